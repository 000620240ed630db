/**
 * The parts of the manager's dashboard (route.tsx): the headline figures, the indicators against their targets,
 * the unit ranking and the service-quality index, each linking its counts to the drill-down.
 */
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { pct, TargetStatusTag } from "../../components/stats/stats-ui.tsx";
import type { cachedDashboardData } from "../../server/stats/manager-dashboard.server.ts";
import { formatCount, formatDecimal, localName } from "../../utils/format.ts";

type Dashboard = Awaited<ReturnType<typeof cachedDashboardData>>["value"];
/** The drill-down link for a metric, in the whole scope or one unit. */
type Drill = (metric: string, agency?: string) => string;

/** The headline figures of the scope and period. */
export function Headline({
  m,
  index,
  drill,
}: {
  m: Dashboard["overall"]["metrics"];
  index: number | null;
  drill: Drill;
}) {
  const { t, i18n } = useTranslation("auth");
  return (
    <ul className="stat-list" aria-label={t("manager.headline")}>
      <li>
        <strong>
          <Link to={drill("received")}>{formatCount(m.received, i18n.language)}</Link>
        </strong>{" "}
        {t("manager.received")}
      </li>
      <li>
        <strong>{pct(m.onlineRate, i18n.language)}</strong> {t("manager.onlineRate")} (
        <Link to={drill("receivedOnline")}>{t("stats:headline.onlineCount", { count: m.receivedOnline })}</Link>)
      </li>
      <li>
        <strong>{pct(m.onTimeRate, i18n.language)}</strong> {t("manager.onTimeRate")} (
        <Link to={drill("resolvedLate")}>{t("stats:headline.lateCount", { count: m.resolvedLate })}</Link>)
      </li>
      <li>
        <strong>
          <Link to={drill("overdueOpen")}>{formatCount(m.overdueOpen, i18n.language)}</Link>
        </strong>{" "}
        {t("manager.overdueOpen")}
      </li>
      <li>
        <strong>{pct(m.cashlessRate, i18n.language)}</strong> {t("stats:headline.cashless")} (
        <Link to={drill("cashlessPayments")}>
          {t("stats:headline.paymentsCount", { count: m.cashlessPayments, total: m.feePayments })}
        </Link>
        )
      </li>
      <li>
        <strong>{pct(m.onlineProcedureRate, i18n.language)}</strong> {t("manager.onlineProcedureRate")}
      </li>
      <li>
        <strong>{formatDecimal(index, i18n.language)}</strong> {t("manager.index")}
      </li>
    </ul>
  );
}

/** Each indicator: numerator and denominator (linked), value, target, forecast and status. */
export function IndicatorsTable({ indicators, drill }: { indicators: Dashboard["indicators"]; drill: Drill }) {
  const { t, i18n } = useTranslation("auth");
  return (
    <table className="table table--cards table--compact" aria-labelledby="targets-title">
      <thead>
        <tr>
          <th scope="col">{t("manager.indicator")}</th>
          <th scope="col" className="num">
            {t("stats:indicators.numerator")}
          </th>
          <th scope="col" className="num">
            {t("stats:indicators.denominator")}
          </th>
          <th scope="col" className="num">
            {t("stats:indicators.value")}
          </th>
          <th scope="col" className="num">
            {t("stats:indicators.target")}
          </th>
          <th scope="col" className="num">
            {t("stats:indicators.projected")}
          </th>
          <th scope="col">{t("stats:indicators.status")}</th>
        </tr>
      </thead>
      <tbody>
        {indicators.map((ind) => (
          <tr key={ind.indicator}>
            <th scope="row" data-label={t("manager.indicator")}>
              {t(`stats:indicator.${ind.indicator}`)}
            </th>
            <td data-label={t("stats:indicators.numerator")} className="num">
              {ind.numerator.metric ? (
                <Link
                  to={drill(ind.numerator.metric)}
                  aria-label={t("stats:indicators.drillLabel", {
                    count: ind.numerator.count,
                    metric: t(`stats:metric.${ind.numerator.metric}`),
                  })}
                >
                  {formatCount(ind.numerator.count, i18n.language)}
                </Link>
              ) : (
                formatCount(ind.numerator.count, i18n.language)
              )}
            </td>
            <td data-label={t("stats:indicators.denominator")} className="num">
              {ind.denominator.metric ? (
                <Link
                  to={drill(ind.denominator.metric)}
                  aria-label={t("stats:indicators.drillLabel", {
                    count: ind.denominator.count,
                    metric: t(`stats:metric.${ind.denominator.metric}`),
                  })}
                >
                  {formatCount(ind.denominator.count, i18n.language)}
                </Link>
              ) : (
                formatCount(ind.denominator.count, i18n.language)
              )}
            </td>
            <td data-label={t("stats:indicators.value")} className="num">
              {pct(ind.value, i18n.language)}
            </td>
            <td data-label={t("stats:indicators.target")} className="num">
              {ind.target === null ? "—" : `≥ ${pct(ind.target, i18n.language, 2)}`}
            </td>
            <td data-label={t("stats:indicators.projected")} className="num">
              {pct(ind.projected, i18n.language)}
            </td>
            <td data-label={t("stats:indicators.status")}>
              <TargetStatusTag status={ind.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The units of the scope, ranked, with their figures and where they fall short of their targets. */
export function UnitsTable({ units, drill }: { units: Dashboard["units"]; drill: Drill }) {
  const { t, i18n } = useTranslation("auth");
  return (
    <table className="table table--cards table--compact">
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
          <th scope="col">{t("stats:indicators.againstTargets")}</th>
        </tr>
      </thead>
      <tbody>
        {units.map((u) => {
          const name = localName({ name_vi: u.nameVi, name_en: u.nameEn }, i18n.language);
          return (
            <tr key={u.code}>
              <td data-label={t("manager.unit")}>{name}</td>
              <td data-label={t("manager.received")} className="num">
                <Link
                  to={drill("received", u.code)}
                  aria-label={t("stats:units.drillLabel", {
                    count: u.metrics.received,
                    metric: t("stats:metric.received"),
                    unit: name,
                  })}
                >
                  {formatCount(u.metrics.received, i18n.language)}
                </Link>
              </td>
              <td data-label={t("manager.onlineRate")} className="num">
                {pct(u.metrics.onlineRate, i18n.language)}
              </td>
              <td data-label={t("manager.onTimeRate")} className="num">
                {pct(u.metrics.onTimeRate, i18n.language)}
              </td>
              <td data-label={t("manager.overdueOpen")} className="num">
                <Link
                  to={drill("overdueOpen", u.code)}
                  aria-label={t("stats:units.drillLabel", {
                    count: u.metrics.overdueOpen,
                    metric: t("stats:metric.overdueOpen"),
                    unit: name,
                  })}
                >
                  {formatCount(u.metrics.overdueOpen, i18n.language)}
                </Link>
              </td>
              <td data-label={t("manager.index")} className="num">
                {formatDecimal(u.score, i18n.language)}
              </td>
              <td data-label={t("stats:indicators.againstTargets")}>
                {u.below.length === 0 && u.forecastBelow.length === 0 ? "—" : null}
                {u.below.length > 0 ? (
                  <p style={{ margin: 0 }}>
                    <TargetStatusTag status="below" /> {u.below.map((i) => t(`stats:indicator.${i}`)).join("; ")}
                  </p>
                ) : null}
                {u.forecastBelow.length > 0 ? (
                  <p style={{ margin: 0 }}>
                    <TargetStatusTag status="forecastBelow" />{" "}
                    {u.forecastBelow.map((i) => t(`stats:indicator.${i}`)).join("; ")}
                    {u.onTimeProjected !== null && u.forecastBelow.includes("onTimeRate")
                      ? ` (${t("stats:indicators.projectedShort", { value: pct(u.onTimeProjected, i18n.language) })})`
                      : null}
                  </p>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The service-quality index (Decision 766/QĐ-TTg) indicator by indicator. */
export function IndexTable({ indicators }: { indicators: Dashboard["overall"]["index"]["indicators"] }) {
  const { t, i18n } = useTranslation("auth");
  return (
    <table className="table table--cards table--compact">
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
        {indicators.map((ind) => (
          <tr key={ind.id}>
            <td data-label={t("manager.indicator")}>
              {ind.id} — {t(`manager.indicators.i${ind.id.replace(".", "_")}`)}
            </td>
            <td data-label={t("manager.ratio")} className="num">
              {ind.assessed ? pct(ind.ratio?.value, i18n.language) : t("manager.notAssessed")}
            </td>
            <td data-label={t("manager.score")} className="num">
              {ind.assessed
                ? `${formatDecimal(ind.score, i18n.language)} / ${formatCount(ind.points, i18n.language)}`
                : "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
