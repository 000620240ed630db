import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { metricsContentType, metricsText } from "../server/observability/metrics.server.ts";
import { mayReadMetrics } from "../server/observability/metrics-access.server.ts";

/**
 * Prometheus exposition (docs/operations-runbook.md, "Signals"): from this machine directly, or with
 * `Authorization: Bearer $METRICS_TOKEN`. Anyone else gets a plain 404, as for a page that does not exist.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const allowed = mayReadMetrics({
    remoteAddress: context.remoteAddress,
    forwardedFor: context.forwardedFor,
    authorization: request.headers.get("Authorization"),
  });
  if (!allowed) return new Response("Not Found\n", { status: 404, headers: { "Content-Type": "text/plain" } });
  return new Response(await metricsText(db), {
    headers: { "Content-Type": metricsContentType, "Cache-Control": "no-store" },
  });
}
