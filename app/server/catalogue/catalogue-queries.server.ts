/** Read-only catalogue queries: fields, agencies and their procedures. */
import type { Kysely } from "kysely";
import type { Language } from "../../i18n.ts";
import type { Database } from "../db.server.ts";

export async function fieldsWithCounts(db: Kysely<Database>, lng: Language) {
  const rows = await db
    .selectFrom("fields as f")
    .leftJoin("procedures as p", (j) => j.onRef("p.field_code", "=", "f.code").on("p.active", "=", true))
    .select((eb) => [
      "f.code",
      lng === "en" ? "f.name_en as name" : "f.name_vi as name",
      eb.fn.count<number>("p.code").as("procedures"),
    ])
    .groupBy(["f.code", "f.name_vi", "f.name_en"])
    .orderBy(lng === "en" ? "f.name_en" : "f.name_vi")
    .execute();
  return rows.map((r) => ({ code: r.code, name: r.name, procedures: Number(r.procedures) }));
}

export async function catalogueTotals(db: Kysely<Database>) {
  const row = await db
    .selectFrom("procedures")
    .where("active", "=", true)
    .select((eb) => [
      eb.fn.countAll<number>().as("total"),
      eb.fn.countAll<number>().filterWhere("online_kind", "=", "full").as("full"),
      eb.fn.countAll<number>().filterWhere("online_kind", "=", "partial").as("partial"),
    ])
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), full: Number(row.full), partial: Number(row.partial) };
}

export async function agencyByCode(db: Kysely<Database>, code: string) {
  return db.selectFrom("agencies").selectAll().where("code", "=", code).executeTakeFirst();
}

/** The agency and every unit below it (a manager's scope). */
export async function agencySubtree(db: Kysely<Database>, rootCode: string) {
  return db
    .withRecursive("tree(code, depth)", (qb) =>
      qb
        .selectFrom("agencies")
        .select(["code", (eb) => eb.val(0).as("depth")])
        .where("code", "=", rootCode)
        .unionAll((u) =>
          u
            .selectFrom("agencies as a")
            .innerJoin("tree as t", "t.code", "a.parent_code")
            .select(["a.code", (eb) => eb(eb.ref("t.depth"), "+", 1).as("depth")]),
        ),
    )
    .selectFrom("tree")
    .innerJoin("agencies as a", "a.code", "tree.code")
    .leftJoin("procedures as p", (j) => j.onRef("p.agency_code", "=", "a.code").on("p.active", "=", true))
    .select((eb) => [
      "a.code",
      "a.name_vi",
      "a.name_en",
      "a.level",
      "a.parent_code",
      "tree.depth",
      eb.fn.count<number>("p.code").as("procedures"),
    ])
    .groupBy(["a.code", "a.name_vi", "a.name_en", "a.level", "a.parent_code", "tree.depth"])
    .orderBy("tree.depth")
    .orderBy("a.code")
    .execute();
}

export async function proceduresOfAgency(db: Kysely<Database>, agencyCode: string) {
  return db
    .selectFrom("procedures")
    .select(["code", "name_vi", "name_en", "processing_amount", "processing_unit", "fee_vnd", "online_kind"])
    .where("agency_code", "=", agencyCode)
    .where("active", "=", true)
    .orderBy("code")
    .execute();
}
