import { data, type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "../../components/pagination.tsx";
import { ScopeForm, Select } from "../../components/stats/scope-form.tsx";
import { ReadSourceNote, ScopeSummary } from "../../components/stats/stats-ui.tsx";
import { ErrorSummary } from "../../components/ui/error-summary.tsx";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { readNotice, readWith } from "../../server/read-db.server.ts";
import {
  agencyNames,
  countDrillDown,
  DRILL_METRICS,
  type DrillRowView,
  drillDownPage,
  drillRowView,
  isPaymentMetric,
  lateStepsOf,
  PAGE_SIZE,
  readDrillRequest,
} from "../../server/stats/drilldown.server.ts";
import { requireManager, scopeOptions } from "../../server/stats/manager-dashboard.server.ts";
import { formatDateTime } from "../../utils/format.ts";

export const handle = { i18n: ["stats", "dossier", "auth", "validation"] };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const now = new Date();
  const url = new URL(request.url);
  const [t, lng] = await Promise.all([getT(request, "stats"), getLanguage(request)]);
  const { sel, metric, page: askedPage, problems } = await readDrillRequest(url, user, now);
  const blocking = Object.keys(problems).some((k) => k !== "page");
  if (metric && Object.keys(problems).length === 0) {
    const canonical = `${sel.query}&metric=${metric}${askedPage > 1 ? `&page=${askedPage}` : ""}`;
    if (url.search.slice(1) !== canonical) throw redirect(`/manager/dossiers?${canonical}`);
  }
  let total: number | null = null;
  let pageCount = 0;
  let page = askedPage;
  let rows: DrillRowView[] = [];
  // The list is read where the dashboard's figures are (the replica when fresh enough, ADR 022).
  const read = await readWith(async (choice) => {
    if (metric && !blocking) {
      const db = choice.db;
      const q = { metric, period: sel.period, scope: sel.scope, now };
      total = await countDrillDown(db, q);
      pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
      page = askedPage;
      if (page > pageCount) {
        problems.page = "stats:errors.pageRange";
        page = 1;
      }
      const pageRows = await drillDownPage(db, q, page);
      const [late, names] = await Promise.all([lateStepsOf(db, pageRows, now), agencyNames(db, lng)]);
      rows = pageRows.map((r) => drillRowView(r, late.get(r.id), names, lng));
    }
    return readNotice(choice);
  });
  const options = await scopeOptions(sel.tree, lng, undefined, sel.filters);
  const failed = Object.keys(problems).length > 0;
  const metricLabel = metric ? t(`metric.${metric}`) : t("drill.anyMetric");
  return data(
    {
      title: t("drill.title", { metric: metricLabel }),
      formFailed: failed,
      problems: problems as Record<string, string>,
      metric,
      metrics: [...DRILL_METRICS],
      payments: metric ? isPaymentMetric(metric) : false,
      filters: sel.filters,
      query: sel.query,
      options,
      total,
      page,
      pageCount,
      rows,
      read,
    },
    // An agency outside the manager's subtree is a refusal, not just a typo.
    { status: problems.agency ? 403 : failed ? 400 : 200 },
  );
}

export default function DrillDown() {
  const { problems, metric, metrics, payments, filters, query, options, total, page, pageCount, rows, read } =
    useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("stats");
  const lng = i18n.language;
  const when = (v: string | null) => (v ? formatDateTime(v, lng) : "—");
  const failed = Object.keys(problems).length > 0;
  const listQuery = new URLSearchParams(query);
  if (metric) listQuery.set("metric", metric);
  const heading = metric ? t(`metric.${metric}`) : t("drill.anyMetric");
  return (
    <>
      <ErrorSummary errors={problems} formError={failed ? "stats:errors.summary" : undefined} />
      <p>
        <Link to={`/manager?${query}`}>{t("drill.back")}</Link>
      </p>
      <h1>{t("drill.heading", { metric: heading })}</h1>
      <ScopeSummary filters={filters} options={options} />
      {metric ? <p className="hint">{t(`definition.${metric}`)}</p> : null}
      {total !== null ? (
        <>
          <p className="lead" id="drill-total">
            {payments ? t("drill.totalPayments", { count: total }) : t("drill.total", { count: total })}
          </p>
          <ReadSourceNote read={read} />
          <p>
            <a href={`/manager/dossiers.csv?${listQuery.toString()}`} download>
              {t("export.drill")}
            </a>
          </p>
          {rows.length === 0 ? (
            <p>{t("drill.empty")}</p>
          ) : (
            <div className="table-scroll">
              <table className="table table--cards table--compact">
                <caption>{t("drill.caption", { metric: heading, page, pageCount })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("drill.code")}</th>
                    <th scope="col">{t("drill.procedure")}</th>
                    <th scope="col">{t("drill.unit")}</th>
                    <th scope="col">{t("drill.channel")}</th>
                    <th scope="col">{t("drill.received")}</th>
                    <th scope="col">{t("drill.due")}</th>
                    <th scope="col">{t("drill.ended")}</th>
                    <th scope="col">{t("drill.outcome")}</th>
                    {payments ? <th scope="col">{t("drill.payment")}</th> : null}
                    <th scope="col">{t("drill.lateStep")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.id}-${r.paidAt ?? ""}`}>
                      <th scope="row" data-label={t("drill.code")}>
                        <Link to={`/manager/dossiers/${r.id}?${listQuery.toString()}`}>{r.code}</Link>
                      </th>
                      <td data-label={t("drill.procedure")}>
                        {r.procedureCode} — {r.procedure}
                      </td>
                      <td data-label={t("drill.unit")}>{r.unit}</td>
                      <td data-label={t("drill.channel")}>{t(`dossier:channel.${r.channel}`)}</td>
                      <td data-label={t("drill.received")}>{when(r.receivedAt)}</td>
                      <td data-label={t("drill.due")}>{when(r.dueAt)}</td>
                      <td data-label={t("drill.ended")}>{when(r.endedAt)}</td>
                      <td data-label={t("drill.outcome")}>
                        {r.outcome ? t(`dossier:outcome.${r.outcome}`) : t(`dossier:status.${r.status}`)}
                      </td>
                      {payments ? (
                        <td data-label={t("drill.payment")}>
                          {when(r.paidAt)}
                          {r.paymentMethod ? ` — ${t(`dossier:payment.methods.${r.paymentMethod}`)}` : null}
                        </td>
                      ) : null}
                      <td data-label={t("drill.lateStep")}>
                        {r.late ? (
                          <>
                            {t("drill.lateStepText", {
                              step: t(`dossier:steps.names.${r.late.step}`),
                              unit: r.late.unit,
                              used: r.late.usedHours,
                              budget: r.late.budgetHours,
                            })}{" "}
                            <Link to={`/manager/dossiers/${r.id}?${listQuery.toString()}`}>
                              {t("drill.sheetLink", { code: r.code })}
                            </Link>
                          </>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <Pagination page={page} pageCount={pageCount} search={`?${listQuery.toString()}`} />
        </>
      ) : null}
      <h2>{t("drill.changeTitle")}</h2>
      <ScopeForm
        action="/manager/dossiers"
        filters={filters}
        options={options}
        errors={problems}
        extra={
          <Select name="metric" label={t("drill.metric")} error={problems.metric} defaultValue={metric ?? "received"}>
            {metrics.map((m) => (
              <option key={m} value={m}>
                {t(`metric.${m}`)}
              </option>
            ))}
          </Select>
        }
      />
    </>
  );
}
