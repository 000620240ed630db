import type { LoaderFunctionArgs } from "@remix-run/node";
import { allAgencies } from "../server/catalogue/catalogue-queries.server.ts";
import { db } from "../server/db.server.ts";
import { isIsoDate, successorLinks, unitsAsOf } from "../server/units/units.server.ts";

/**
 * Open data: the agencies (units) with level, parent, validity period and successors (see /openapi.json).
 * `asOf=YYYY-MM-DD` lists only the units that existed on that Vietnam date (ADR 016); without it, all
 * units, past ones included, so old dossier codes and statistics can still be read.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const asOf = new URL(request.url).searchParams.get("asOf");
  if (asOf !== null && !isIsoDate(asOf)) {
    return Response.json(
      { error: "bad_request", messages: ["asOf must be a date that exists, YYYY-MM-DD"] },
      { status: 400, headers: { "Access-Control-Allow-Origin": "*" } },
    );
  }
  const [rows, links] = await Promise.all([asOf ? unitsAsOf(db, asOf) : allAgencies(db), successorLinks(db)]);
  return Response.json(
    {
      asOf,
      items: rows.map((a) => ({
        code: a.code,
        name: a.name_vi,
        nameEn: a.name_en,
        level: a.level,
        parentCode: a.parent_code,
        validFrom: a.valid_from,
        validTo: a.valid_to,
        successors: (links.get(a.code) ?? []).map((l) => ({
          code: l.successor_code,
          whole: l.whole,
          from: l.effective_on,
        })),
      })),
    },
    { headers: { "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" } },
  );
}
