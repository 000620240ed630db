import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchProcedures } from "../server/catalogue/catalogue-queries.server.ts";
import { db } from "../server/db.server.ts";
import { MAX_PAGE_SIZE, parseCatalogueQuery } from "../utils/catalogue-schema.ts";

/** Open data: the catalogue as JSON, same filters as the page (see /openapi.json). No personal data. */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const lang = url.searchParams.get("lang") === "en" ? "en" : "vi";
  // The page quietly falls back to the default size; an API client asking for more than the maximum is told so.
  const asked = url.searchParams.get("pageSize");
  if (asked !== null && !(/^\d+$/.test(asked) && Number(asked) >= 1 && Number(asked) <= MAX_PAGE_SIZE)) {
    return Response.json(
      {
        error: `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (the maximum); use page to read further.`,
        maximum: MAX_PAGE_SIZE,
      },
      { status: 400, headers: { "Access-Control-Allow-Origin": "*" } },
    );
  }
  const query = parseCatalogueQuery(url.searchParams);
  const { items, total } = await searchProcedures(db, query, lang);
  return Response.json(
    {
      items: items.map((p) => ({
        code: p.code,
        name: lang === "en" ? p.name_en : p.name_vi,
        nameVi: p.name_vi,
        nameEn: p.name_en,
        field: p.field_code,
        level: p.level,
        agencyCode: p.agency_code,
        processingTime: { amount: p.processing_amount, unit: p.processing_unit },
        feeVnd: p.fee_vnd,
        onlineKind: p.online_kind,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    },
    { headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" } },
  );
}
