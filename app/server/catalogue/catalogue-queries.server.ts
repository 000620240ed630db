/** Read-only catalogue queries: fields, agencies and their procedures. */
import { type Kysely, sql } from "kysely";
import type { Language } from "../../i18n.ts";
import { type CatalogueQuery, searchWords } from "../../utils/catalogue-schema.ts";
import { type Memo, memo } from "../cache.server.ts";
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
        .select(["code", sql<number>`0`.as("depth")])
        .where("code", "=", rootCode)
        .unionAll((u) =>
          u
            .selectFrom("agencies as a")
            .innerJoin("tree as t", "t.code", "a.parent_code")
            .select(["a.code", sql<number>`t.depth + 1`.as("depth")]),
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

function escapeLike(word: string): string {
  return word.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Catalogue search: every word must appear (any order, accents and case ignored, via the trigram-
 * indexed `search_doc`); ranked by how well the whole query matches, then by name.
 */
export async function searchProcedures(db: Kysely<Database>, query: CatalogueQuery, lng: Language) {
  const words = searchWords(query.q);
  const phrase = words.join(" ");
  let base = db
    .selectFrom("procedures as p")
    .innerJoin("agencies as a", "a.code", "p.agency_code")
    .innerJoin("fields as f", "f.code", "p.field_code")
    .where("p.active", "=", true);
  for (const word of words) {
    base = base.where(sql<boolean>`p.search_doc like '%' || portal_unaccent(${escapeLike(word)}) || '%'`);
  }
  if (query.field) base = base.where("p.field_code", "=", query.field);
  if (query.level) base = base.where("p.level", "=", query.level);
  if (query.agency) base = base.where("p.agency_code", "=", query.agency);
  if (query.online) base = base.where("p.online_kind", "=", query.online);

  const offset = (query.page - 1) * query.pageSize;
  const [rows, count] = await Promise.all([
    base
      .select([
        "p.code",
        "p.name_vi",
        "p.name_en",
        "p.level",
        "p.agency_code",
        "p.field_code",
        "p.processing_amount",
        "p.processing_unit",
        "p.fee_vnd",
        "p.online_kind",
        "a.name_vi as agency_name_vi",
        "a.name_en as agency_name_en",
        "f.name_vi as field_name_vi",
        "f.name_en as field_name_en",
      ])
      .$if(words.length > 0, (q) => q.orderBy(sql`word_similarity(portal_unaccent(${phrase}), p.search_doc)`, "desc"))
      .orderBy(lng === "en" ? "p.name_en" : "p.name_vi")
      .orderBy("p.code")
      .limit(query.pageSize)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: rows, total: Number(count.n) };
}

export async function catalogueFilterOptions(db: Kysely<Database>, lng: Language) {
  const [fieldRows, agencyRows] = await Promise.all([
    db
      .selectFrom("fields")
      .select(["code", lng === "en" ? "name_en as name" : "name_vi as name"])
      .orderBy(lng === "en" ? "name_en" : "name_vi")
      .execute(),
    db
      .selectFrom("agencies as a")
      .where((eb) =>
        eb.exists(eb.selectFrom("procedures as p").select("p.code").whereRef("p.agency_code", "=", "a.code")),
      )
      .select(["a.code", lng === "en" ? "a.name_en as name" : "a.name_vi as name", "a.level"])
      .orderBy("a.code")
      .execute(),
  ]);
  return { fields: fieldRows, agencies: agencyRows };
}

export async function procedureByCode(db: Kysely<Database>, code: string) {
  return db
    .selectFrom("procedures as p")
    .innerJoin("agencies as a", "a.code", "p.agency_code")
    .innerJoin("fields as f", "f.code", "p.field_code")
    .selectAll("p")
    .select([
      "a.name_vi as agency_name_vi",
      "a.name_en as agency_name_en",
      "f.name_vi as field_name_vi",
      "f.name_en as field_name_en",
    ])
    .where("p.code", "=", code)
    .where("p.active", "=", true)
    .executeTakeFirst();
}

export async function scopeLists(db: Kysely<Database>) {
  const [fields, procedures] = await Promise.all([
    db.selectFrom("fields").select(["code", "name_vi", "name_en"]).orderBy("code").execute(),
    db
      .selectFrom("procedures")
      .select(["code", "name_vi", "name_en", "field_code"])
      .where("active", "=", true)
      .orderBy("field_code")
      .orderBy("code")
      .execute(),
  ]);
  return { fields, procedures };
}

/** A procedure's form and documents, active or not (a draft keeps the form it was started with). */
export async function procedureSpec(db: Kysely<Database>, code: string) {
  return db.selectFrom("procedures").select(["form", "documents"]).where("code", "=", code).executeTakeFirst();
}

export async function allAgencies(db: Kysely<Database>) {
  return db
    .selectFrom("agencies")
    .select(["code", "name_vi", "name_en", "level", "parent_code", "valid_from", "valid_to"])
    .orderBy("code")
    .execute();
}

/**
 * The catalogue as the public pages read it on every request (home counts, search filters and results, a
 * procedure's page), kept in memory for CATALOGUE_CACHE_MS per database, like the working calendar: the catalogue changes
 * rarely (seeding, `seed:year`), and a page may show a change up to a minute late. Cached values are shared
 * between requests: callers must not modify them.
 */
export const CATALOGUE_CACHE_MS = 60_000;
const catalogueCaches = new WeakMap<Kysely<Database>, Memo<unknown>>();

function cachedRead<V>(db: Kysely<Database>, key: string, load: () => Promise<V>): Promise<V> {
  let cache = catalogueCaches.get(db);
  if (!cache) {
    cache = memo<unknown>(CATALOGUE_CACHE_MS, 2_000);
    catalogueCaches.set(db, cache);
  }
  return cache.get(key, load) as Promise<V>;
}

export const cachedCatalogue = {
  fieldsWithCounts: (db: Kysely<Database>, lng: Language) =>
    cachedRead(db, `fields:${lng}`, () => fieldsWithCounts(db, lng)),
  totals: (db: Kysely<Database>) => cachedRead(db, "totals", () => catalogueTotals(db)),
  filterOptions: (db: Kysely<Database>, lng: Language) =>
    cachedRead(db, `options:${lng}`, () => catalogueFilterOptions(db, lng)),
  procedureByCode: (db: Kysely<Database>, code: string) =>
    cachedRead(db, `procedure:${code}`, () => procedureByCode(db, code)),
  procedureSpec: (db: Kysely<Database>, code: string) => cachedRead(db, `spec:${code}`, () => procedureSpec(db, code)),
  agencyByCode: (db: Kysely<Database>, code: string) => cachedRead(db, `agency:${code}`, () => agencyByCode(db, code)),
  /** A unit's active procedures (the clerk queue's filter). */
  proceduresOfAgency: (db: Kysely<Database>, code: string) =>
    cachedRead(db, `agency-procedures:${code}`, () => proceduresOfAgency(db, code)),
  /** A manager's scope: the unit and everything below it, with their procedure counts. */
  agencySubtree: (db: Kysely<Database>, rootCode: string) =>
    cachedRead(db, `subtree:${rootCode}`, () => agencySubtree(db, rootCode)),
  /** The fields and active procedures a statistics scope can be narrowed to. */
  scopeLists: (db: Kysely<Database>) => cachedRead(db, "scope-lists", () => scopeLists(db)),
  /** Search results are derived from the catalogue too: a popular search is answered from memory. */
  search: (db: Kysely<Database>, query: CatalogueQuery, lng: Language) =>
    cachedRead(db, `search:${lng}:${JSON.stringify(query)}`, () => searchProcedures(db, query, lng)),
};

export function invalidateCatalogue(db: Kysely<Database>): void {
  catalogueCaches.delete(db);
}
