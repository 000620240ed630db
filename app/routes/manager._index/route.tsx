import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TrendChart } from "../../components/trend-chart.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { getT } from "../../server/i18n.server.ts";
import { dashboardData, requireManager } from "../../server/stats/manager-dashboard.server.ts";
import { localName } from "../../utils/format.ts";

export const handle = { i18n: ["auth", "validation"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const t = await getT(request, "auth");
  const data = await dashboardData(request, user);
  return { title: t("manager.title"), ...data, formFailed: Boolean(data.problem) };
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)}%`;
}

export default function ManagerDashboard() {
  const { period, problem, overall, units, trend } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  const m = overall.metrics;
  const query = new URLSearchParams(period).toString();
  return (
    <>
      <ErrorSummary formError={problem ?? undefined} />
      <h1>{t("manager.title")}</h1>
      <Form method="get" className="filters" aria-label={t("manager.periodLabel")}>
        <div className="filters__grid">
          <div className="form-group">
            <label className="label" htmlFor="from">
              {t("manager.from")}
            </label>
            <input id="from" name="from" type="date" className="input" defaultValue={period.from} />
          </div>
          <div className="form-group">
            <label className="label" htmlFor="to">
              {t("manager.to")}
            </label>
            <input id="to" name="to" type="date" className="input" defaultValue={period.to} />
          </div>
        </div>
        <button type="submit" className="button">
          {t("manager.apply")}
        </button>
      </Form>
      <ul className="stat-list" aria-label={t("manager.headline")}>
        <li>
          <strong>{m.received}</strong> {t("manager.received")}
        </li>
        <li>
          <strong>{pct(m.onlineRate)}</strong> {t("manager.onlineRate")}
        </li>
        <li>
          <strong>{pct(m.onTimeRate)}</strong> {t("manager.onTimeRate")}
        </li>
        <li>
          <strong>{m.overdueOpen}</strong> {t("manager.overdueOpen")}
        </li>
        <li>
          <strong>{pct(m.onlineProcedureRate)}</strong> {t("manager.onlineProcedureRate")}
        </li>
        <li>
          <strong>{overall.index.scoreOutOf100 ?? "—"}</strong> {t("manager.index")}
        </li>
      </ul>
      <h2>{t("manager.trendTitle")}</h2>
      <TrendChart points={trend} />
      <table className="table">
        <caption>{t("manager.unitsTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("manager.unit")}</th>
            <th scope="col" className="num">
              {t("manager.received")}
            </th>
            <th scope="col" className="num">
              {t("manager.onlineRate")}
            </th>
            <th scope="col" className="num">
              {t("manager.onTimeRate")}
            </th>
            <th scope="col" className="num">
              {t("manager.overdueOpen")}
            </th>
            <th scope="col" className="num">
              {t("manager.index")}
            </th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr key={u.code}>
              <td>{localName({ name_vi: u.nameVi, name_en: u.nameEn }, i18n.language)}</td>
              <td className="num">{u.metrics.received}</td>
              <td className="num">{pct(u.metrics.onlineRate)}</td>
              <td className="num">{pct(u.metrics.onTimeRate)}</td>
              <td className="num">{u.metrics.overdueOpen}</td>
              <td className="num">{u.score ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href={`/manager/export.csv?${query}`} download>
          {t("manager.exportCsv")}
        </a>
      </p>
      <table className="table">
        <caption>{t("manager.indexTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("manager.indicator")}</th>
            <th scope="col" className="num">
              {t("manager.ratio")}
            </th>
            <th scope="col" className="num">
              {t("manager.score")}
            </th>
          </tr>
        </thead>
        <tbody>
          {overall.index.indicators.map((ind) => (
            <tr key={ind.id}>
              <td>
                {ind.id} — {t(`manager.indicators.i${ind.id.replace(".", "_")}`)}
              </td>
              <td className="num">{ind.assessed ? pct(ind.ratio?.value) : t("manager.notAssessed")}</td>
              <td className="num">{ind.assessed ? `${ind.score} / ${ind.points}` : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
