import { allAgencies } from "../server/catalogue/catalogue-queries.server.ts";
import { db } from "../server/db.server.ts";

/** Open data: every agency with its level and parent (see /openapi.json). */
export async function loader() {
  const rows = await allAgencies(db);
  return Response.json(
    {
      items: rows.map((a) => ({
        code: a.code,
        name: a.name_vi,
        nameEn: a.name_en,
        level: a.level,
        parentCode: a.parent_code,
      })),
    },
    { headers: { "Cache-Control": "public, max-age=3600", "Access-Control-Allow-Origin": "*" } },
  );
}
