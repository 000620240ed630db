import type { LoaderFunctionArgs } from "@remix-run/node";
import { getT } from "../../server/i18n.server.ts";
import { cachedDashboardData, readSelection, requireManager } from "../../server/stats/manager-dashboard.server.ts";
import { toCsv } from "../../utils/csv.ts";

const TABLES = ["units", "indicators", "trend", "index"] as const;
type Table = (typeof TABLES)[number];

/**
 * CSV of a dashboard table for the same period and scope: `table=units` (the ranking, the default),
 * `indicators` (rates against targets), `trend` (the chart's data) or `index` (Decision 766 indicators).
 * Cells are escaped so a spreadsheet never runs them as formulas. Rates are fractions 0..1.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const url = new URL(request.url);
  const t = await getT(request, "stats");
  const table = (url.searchParams.get("table") || "units") as Table;
  const now = new Date();
  const sel = await readSelection(url, user, now);
  const problems = Object.values(sel.problems);
  if (!(TABLES as readonly string[]).includes(table)) problems.push("stats:errors.table");
  if (problems.length > 0) {
    return new Response(`${problems.map((k) => t(k)).join("\n")}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
  const answer = await cachedDashboardData(sel, now);
  const dash = answer.value;
  const { period } = sel;
  let rows: Array<Array<string | number | null>>;
  switch (table) {
    case "units":
      rows = [
        [
          "agency_code",
          "agency_name",
          "received",
          "received_online",
          "online_rate",
          "resolved",
          "on_time_rate",
          "overdue_open",
          "decision766_score",
          "below_target",
          "forecast_below_target",
        ],
        ...dash.units.map((u) => [
          u.code,
          u.nameVi,
          u.metrics.received,
          u.metrics.receivedOnline,
          u.metrics.onlineRate,
          u.metrics.resolved,
          u.metrics.onTimeRate,
          u.metrics.overdueOpen,
          u.score,
          u.below.join(" "),
          u.forecastBelow.join(" "),
        ]),
      ];
      break;
    case "indicators":
      rows = [
        [
          "indicator",
          "numerator",
          "denominator",
          "rate",
          "target",
          "target_set_on",
          "projected_at_period_end",
          "status",
        ],
        ...dash.indicators.map((i) => [
          i.indicator,
          i.numerator.count,
          i.denominator.count,
          i.value,
          i.target,
          i.targetSetOn,
          i.projected,
          i.status,
        ]),
      ];
      break;
    case "trend":
      rows = [
        ["month", "on_time_rate", "online_rate"],
        ...dash.trend.map((p) => [p.month, p.onTimeRate, p.onlineRate]),
      ];
      break;
    case "index":
      rows = [
        ["indicator_id", "group", "name", "points", "threshold", "numerator", "denominator", "ratio", "score"],
        ...dash.overall.index.indicators.map((i) => [
          i.id,
          i.group,
          i.name,
          i.points,
          i.threshold,
          i.ratio?.numerator ?? null,
          i.ratio?.denominator ?? null,
          i.ratio?.value ?? null,
          i.score,
        ]),
        ["total", "", "", dash.overall.index.maxAssessed, "", "", "", "", dash.overall.index.score],
      ];
      break;
    default: {
      const unreachable: never = table;
      throw new Error(`unknown table ${String(unreachable)}`);
    }
  }
  const name = table === "units" ? "thong-ke" : `thong-ke-${table}`;
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${period.from}-${period.to}.csv"`,
      "Cache-Control": "private, no-store",
      // Where the figures were read (ADR 022): the replica, or the primary and why.
      "X-Read-Source": answer.read.fallback ? `primary; replica ${answer.read.fallback}` : answer.read.source,
    },
  });
}
