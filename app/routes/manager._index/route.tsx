import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ScopeForm } from "../../components/stats/scope-form.tsx";
import { pct, ReadSourceNote, ScopeSummary, TargetStatusTag } from "../../components/stats/stats-ui.tsx";
import { TrendChart } from "../../components/trend-chart.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { db } from "../../server/db.server.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import {
  cachedDashboardData,
  readSelection,
  requireManager,
  scopeOptions,
} from "../../server/stats/manager-dashboard.server.ts";
import { reorganisationsWithin } from "../../server/units/units.server.ts";
import { formatCount, formatDate, formatDateTime, formatDecimal, localName } from "../../utils/format.ts";

export const handle = { i18n: ["auth", "stats", "validation", "units"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const now = new Date();
  const [t, lng] = await Promise.all([getT(request, "auth"), getLanguage(request)]);
  const url = new URL(request.url);
  const sel = await readSelection(url, user, now);
  // A form submission carries every field; answer with the short, canonical link to the same view.
  if (url.search && Object.keys(sel.problems).length === 0 && url.search.slice(1) !== sel.query)
    throw redirect(`/manager?${sel.query}`);
  const [dash, options, reforms] = await Promise.all([
    cachedDashboardData(sel, now),
    scopeOptions(sel.tree, lng, { period: sel.period, selected: sel.filters.agency }, sel.filters),
    reorganisationsWithin(db, sel.period.from, sel.period.to),
  ]);
  const problems = sel.problems as Record<string, string>;
  const failed = Object.keys(problems).length > 0;
  return data(
    {
      title: t("manager.title"),
      filters: sel.filters,
      query: sel.query,
      problems,
      formFailed: failed,
      options,
      reforms,
      computedAt: formatDateTime(dash.computedAt, lng),
      read: dash.read,
      ...dash.value,
    },
    { status: failed ? 400 : 200 },
  );
}

export default function ManagerDashboard() {
  const {
    filters,
    query,
    problems,
    options,
    reforms,
    overall,
    indicators,
    units,
    trend,
    forecasting,
    open,
    computedAt,
    read,
  } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("auth");
  const m = overall.metrics;
  const drill = (metric: string, agency?: string) => {
    const q = new URLSearchParams(query);
    q.set("metric", metric);
    if (agency) q.set("agency", agency);
    return `/manager/dossiers?${q.toString()}`;
  };
  const csv = (table: string) => `/manager/export.csv?table=${table}&${query}`;
  const failed = Object.keys(problems).length > 0;
  return (
    <>
      <ErrorSummary errors={problems} formError={failed ? "stats:errors.summary" : undefined} />
      <h1>{t("manager.title")}</h1>
      <ScopeSummary filters={filters} options={options} />
      {reforms.map((r) => (
        <p key={r.code} className="notice">
          {t("units:period.reform", {
            date: r.effective_on,
            lastDay: new Date(Date.parse(`${r.effective_on}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
            name: i18n.language === "en" ? r.name_en : r.name_vi,
            basis: r.legal_basis,
          })}
        </p>
      ))}
      <ScopeForm filters={filters} options={options} errors={problems} />

      <h2>{t("manager.headline")}</h2>
      <p className="hint">{t("stats:computedAt", { at: computedAt })}</p>
      <ReadSourceNote read={read} />
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
          <strong>{formatDecimal(overall.index.scoreOutOf100, i18n.language)}</strong> {t("manager.index")}
        </li>
      </ul>

      <h2 id="targets-title">{t("stats:indicators.title")}</h2>
      <p className="hint">
        {forecasting
          ? t("stats:indicators.forecastHint", {
              overdue: open.overdue,
              dueBefore: open.dueBeforePeriodEnd,
              to: formatDate(filters.to, i18n.language),
            })
          : t("stats:indicators.noForecastHint")}
      </p>
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
      <p>
        <Link to={`/manager/targets?agency=${encodeURIComponent(filters.agency)}`}>{t("stats:targets.link")}</Link>
        {" · "}
        <a href={csv("indicators")} download>
          {t("stats:export.indicators")}
        </a>
      </p>

      <h2>{t("manager.trendTitle")}</h2>
      <TrendChart points={trend} />
      <p>
        <a href={csv("trend")} download>
          {t("stats:export.trend")}
        </a>
      </p>

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
      {units.some((u) => u.noDossiers) ? <p className="hint">{t("manager.noDossiersNote")}</p> : null}
      <p>
        <a href={csv("units")} download>
          {t("manager.exportCsv")}
        </a>
      </p>

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
          {overall.index.indicators.map((ind) => (
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
      <p>
        <a href={csv("index")} download>
          {t("stats:export.index")}
        </a>
      </p>
    </>
  );
}
