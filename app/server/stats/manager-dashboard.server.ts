/** The manager's dashboard data: their scope, a period (year to date by default), metrics and ranking. */
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { MetricsQuerySchema } from "../../utils/metrics-query-schema.ts";
import type { SessionUser } from "../auth.server.ts";
import { requirePermission } from "../auth.server.ts";
import { db } from "../db.server.ts";
import { metricsByUnit, metricsFor, monthlyTrend, scopeOf } from "./stats-service.server.ts";

export async function requireManager(request: Request): Promise<SessionUser & { agencyCode: string }> {
  const user = await requirePermission(request, "read:stats:agency");
  if (user.role !== "manager" || !user.agencyCode) throw new Response("Forbidden", { status: 403 });
  return { ...user, agencyCode: user.agencyCode };
}

export async function dashboardData(request: Request, user: { agencyCode: string }) {
  const url = new URL(request.url);
  const today = toVnDateString(new Date());
  const defaults = { from: `${today.slice(0, 4)}-01-01`, to: today };
  const parsed = MetricsQuerySchema.safeParse({
    from: url.searchParams.get("from") || defaults.from,
    to: url.searchParams.get("to") || defaults.to,
  });
  const period = parsed.success ? { from: parsed.data.from, to: parsed.data.to } : defaults;
  const problem = parsed.success ? null : "validation:stats.period";
  const scope = await scopeOf(db, user.agencyCode);
  const [overall, units, trend] = await Promise.all([
    metricsFor(db, period, scope),
    metricsByUnit(db, period, user.agencyCode),
    monthlyTrend(db, period, scope),
  ]);
  return { period, problem, overall, units, trend };
}
