import { useTranslation } from "react-i18next";
import { formatPercent } from "../utils/format.ts";

export type TrendPoint = { month: string; onTimeRate: number | null; onlineRate: number | null };

const W = 640;
const H = 220;
const PAD = { left: 44, right: 28, top: 12, bottom: 28 };

/** Monthly on-time and online rates as server-rendered SVG (no JavaScript), with the data table behind it. */
export function TrendChart({ points }: { points: TrendPoint[] }) {
  const { t, i18n } = useTranslation("auth");
  if (points.length === 0) return null;
  const x = (i: number) =>
    PAD.left + (points.length === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const line = (key: "onTimeRate" | "onlineRate") =>
    points
      .map((p, i) => (p[key] === null ? null : `${x(i).toFixed(1)},${y(p[key] ?? 0).toFixed(1)}`))
      .filter(Boolean)
      .join(" ");
  const pct = (v: number | null) => formatPercent(v, i18n.language);
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="trend-title trend-desc" className="trend__svg">
        <title id="trend-title">{t("manager.trendTitle")}</title>
        <desc id="trend-desc">{t("manager.trendDesc")}</desc>
        {[0, 0.5, 1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="#b1b4b6" strokeWidth="1" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fontSize="11" fill="#0b0c0c">
              {v * 100}%
            </text>
          </g>
        ))}
        {points.map((p, i) => (
          <text key={p.month} x={x(i)} y={H - 8} textAnchor="middle" fontSize="11" fill="#0b0c0c">
            {p.month.slice(5)}/{p.month.slice(2, 4)}
          </text>
        ))}
        <polyline points={line("onTimeRate")} fill="none" stroke="#00703c" strokeWidth="3" />
        <polyline points={line("onlineRate")} fill="none" stroke="#1d4f91" strokeWidth="3" strokeDasharray="6 4" />
        {points.map((p, i) => (
          <g key={`m-${p.month}`}>
            {p.onTimeRate === null ? null : <circle cx={x(i)} cy={y(p.onTimeRate)} r="4" fill="#00703c" />}
            {p.onlineRate === null ? null : (
              <rect x={x(i) - 4} y={y(p.onlineRate) - 4} width="8" height="8" fill="#1d4f91" />
            )}
          </g>
        ))}
      </svg>
      <figcaption className="hint">
        <span className="legend legend--ontime">{t("manager.onTimeRate")}</span>{" "}
        <span className="legend legend--online">{t("manager.onlineRate")}</span>
      </figcaption>
      <details>
        <summary>{t("manager.trendTable")}</summary>
        <table className="table">
          <caption className="visually-hidden">{t("manager.trendTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("manager.month")}</th>
              <th scope="col" className="num">
                {t("manager.onTimeRate")}
              </th>
              <th scope="col" className="num">
                {t("manager.onlineRate")}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.month}>
                <td>{p.month}</td>
                <td className="num">{pct(p.onTimeRate)}</td>
                <td className="num">{pct(p.onlineRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
