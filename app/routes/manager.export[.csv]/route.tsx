import type { LoaderFunctionArgs } from "@remix-run/node";
import { dashboardData, requireManager } from "../../server/stats/manager-dashboard.server.ts";
import { toCsv } from "../../utils/csv.ts";

/** CSV of the dashboard's table by unit, for the same period. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const { period, units } = await dashboardData(request, user);
  const rows = [
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
    ],
    ...units.map((u) => [
      u.code,
      u.nameVi,
      u.metrics.received,
      u.metrics.receivedOnline,
      u.metrics.onlineRate,
      u.metrics.resolved,
      u.metrics.onTimeRate,
      u.metrics.overdueOpen,
      u.score,
    ]),
  ];
  return new Response(toCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="thong-ke-${period.from}-${period.to}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
