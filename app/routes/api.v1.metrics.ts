import crypto from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { toVnDateString } from "../domain/calendar/working-calendar.ts";
import { db } from "../server/db.server.ts";
import { readHeaders, readWith } from "../server/read-db.server.ts";
import { cachedStats } from "../server/stats/stats-cache.server.ts";
import { metricsFor, scopeOf, UnknownAgencyError } from "../server/stats/stats-service.server.ts";
import { levelEndedOn, levelsInPeriod } from "../server/units/units.server.ts";
import { MetricsQuerySchema } from "../utils/metrics-query-schema.ts";

/**
 * How long a proxy or client may reuse an answer. A period that ended before today changes only through a
 * late import or correction: an hour, then a day more while revalidating. A period that includes today changes
 * with every dossier: a minute. The ETag lets a cache revalidate without the body (304).
 */
const PAST_PERIOD = "public, max-age=3600, stale-while-revalidate=86400";
const CURRENT_PERIOD = "public, max-age=60, stale-while-revalidate=60";

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
  if (level) {
    const levels = await levelsInPeriod(db, from, to);
    if (!levels.includes(level)) {
      // E.g. district after 1 July 2025: Vietnam's local government has two levels since then (ADR 016).
      const ended = await levelEndedOn(db, level);
      const why = ended ? `; the ${level} level was abolished on ${ended}` : "";
      return Response.json(
        {
          error: "bad_request",
          messages: [
            `no unit of level ${level} existed between ${from} and ${to}${why}; levels then: ${levels.join(", ")}`,
          ],
        },
        { status: 400 },
      );
    }
  }
  try {
    const now = new Date();
    const scope = await scopeOf(db, agency, level);
    // Answers are kept a short while, like the proxies this route's Cache-Control allows (stats-cache.server.ts).
    const key = JSON.stringify(["api", agency ?? null, level ?? null]);
    // Counted on the read replica when it is fresh enough (ADR 022); the headers say where and how fresh.
    const answer = await readWith((read) =>
      cachedStats(read.db, key, { from, to }, now, async () => ({
        ...(await metricsFor(read.db, { from, to }, scope, now)),
        readHeaders: readHeaders(read),
      })),
    );
    const { metrics, index } = answer.value;
    const body = JSON.stringify({
      from,
      to,
      agency: agency ?? null,
      level: level ?? null,
      ...metrics,
      decision766Score: index.scoreOutOf100,
    });
    const etag = `"${crypto.createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const headers = {
      "Cache-Control": to < toVnDateString(now) ? PAST_PERIOD : CURRENT_PERIOD,
      ETag: etag,
      "Access-Control-Allow-Origin": "*",
      "Access-Control-Expose-Headers": "ETag, X-Read-Source, X-Replica-Lag-Ms",
      ...answer.value.readHeaders,
    };
    const match = request.headers.get("If-None-Match");
    if (match?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(body, { headers: { ...headers, "Content-Type": "application/json; charset=utf-8" } });
  } catch (error) {
    if (error instanceof UnknownAgencyError) {
      return Response.json({ error: "bad_request", messages: [`unknown agency code: ${agency}`] }, { status: 400 });
    }
    throw error;
  }
}
