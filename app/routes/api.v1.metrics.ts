import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { metricsFor, scopeOf, UnknownAgencyError } from "../server/stats/stats-service.server.ts";
import { MetricsQuerySchema } from "../utils/metrics-query-schema.ts";

/**
 * Open data: aggregate metrics for a period and scope (see /openapi.json). Aggregate only, no personal
 * data; rates are fractions 0..1 (null when there is nothing to measure), counts are integers.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const parsed = MetricsQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) {
    return Response.json(
      { error: "bad_request", messages: parsed.error.issues.map((i) => i.message) },
      { status: 400 },
    );
  }
  const { from, to, agency, level } = parsed.data;
  try {
    const scope = await scopeOf(db, agency, level);
    const { metrics, index } = await metricsFor(db, { from, to }, scope);
    return Response.json(
      { from, to, agency: agency ?? null, level: level ?? null, ...metrics, decision766Score: index.scoreOutOf100 },
      { headers: { "Cache-Control": "public, max-age=60", "Access-Control-Allow-Origin": "*" } },
    );
  } catch (error) {
    if (error instanceof UnknownAgencyError) {
      return Response.json({ error: "bad_request", messages: [`unknown agency code: ${agency}`] }, { status: 400 });
    }
    throw error;
  }
}
