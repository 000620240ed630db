import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ScopeForm } from "../../components/stats/scope-form.tsx";
import { ReadSourceNote, ScopeSummary } from "../../components/stats/stats-ui.tsx";
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
import { formatDate, formatDateTime } from "../../utils/format.ts";
import { Headline, IndexTable, IndicatorsTable, UnitsTable } from "./sections.tsx";

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
            date: formatDate(r.effective_on, i18n.language),
            lastDay: formatDate(
              new Date(Date.parse(`${r.effective_on}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
              i18n.language,
            ),
            name: i18n.language === "en" ? r.name_en : r.name_vi,
            basis: r.legal_basis,
          })}
        </p>
      ))}
      <ScopeForm filters={filters} options={options} errors={problems} />

      <h2>{t("manager.headline")}</h2>
      <p className="hint">{t("stats:computedAt", { at: computedAt })}</p>
      <ReadSourceNote read={read} />
      <Headline m={m} index={overall.index.scoreOutOf100} drill={drill} />

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
      <IndicatorsTable indicators={indicators} drill={drill} />
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

      <UnitsTable units={units} drill={drill} />
      {units.some((u) => u.noDossiers) ? <p className="hint">{t("manager.noDossiersNote")}</p> : null}
      <p>
        <a href={csv("units")} download>
          {t("manager.exportCsv")}
        </a>
      </p>

      <IndexTable indicators={overall.index.indicators} />
      <p>
        <a href={csv("index")} download>
          {t("stats:export.index")}
        </a>
      </p>
    </>
  );
}
