/**
 * Catalogue search at 5,000 procedures: server-side latency of the real query (trigram-indexed
 * `search_doc`) against a naive baseline (unaccenting every row on the fly, no index), in the same run.
 * Target (issue 3): p95 under 50 ms. Run: `npm run bench:search` (DATABASE_URL or embedded PostgreSQL).
 */
import { sql } from "kysely";
import { searchProcedures } from "../app/server/catalogue/catalogue-queries.server.ts";
import { createDb } from "../app/server/db.server.ts";
import { parseCatalogueQuery, searchWords } from "../app/utils/catalogue-schema.ts";
import { agencies, fields, procedures } from "../db/seed/demo-data.ts";
import { createScratchDatabase } from "../tests/test-database.ts";

const TOTAL = Number(process.env.BENCH_PROCEDURES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const QUERIES = [
  "cap giay phep xay dung",
  "đăng ký khai sinh",
  "ho kinh doanh",
  "chung thuc ban sao",
  "dat dai",
  "ly lich tu phap",
  "giay phep lai xe",
  "ket hon",
  "doanh nghiep thanh lap",
  "1.001193",
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function time(label: string, run: (q: string) => Promise<unknown>) {
  for (const q of QUERIES) await run(q); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const q = QUERIES[i % QUERIES.length] ?? "";
    const t0 = performance.now();
    await run(q);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const r = {
    label,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples[samples.length - 1] ?? 0,
  };
  console.log(
    `${label.padEnd(34)} p50 ${r.p50.toFixed(2)} ms   p95 ${r.p95.toFixed(2)} ms   max ${r.max.toFixed(2)} ms`,
  );
  return r;
}

const scratch = await createScratchDatabase(process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL);
const db = createDb(scratch.url, 4);
try {
  const parentsFirst = [...agencies].sort((a, b) => (a.parentCode ? 1 : 0) - (b.parentCode ? 1 : 0));
  for (const a of parentsFirst) {
    await db
      .insertInto("agencies")
      .values({ code: a.code, name_vi: a.nameVi, name_en: a.nameEn, level: a.level, parent_code: a.parentCode })
      .execute();
  }
  await db
    .insertInto("fields")
    .values(fields.map((f) => ({ code: f.code, name_vi: f.nameVi, name_en: f.nameEn })))
    .execute();
  // 5,000 procedures: the demo catalogue repeated as per-unit variants (as provinces publish them).
  const rows = Array.from({ length: TOTAL }, (_, i) => {
    const p = procedures[i % procedures.length];
    if (!p) throw new Error("no demo procedures");
    const variant = Math.floor(i / procedures.length);
    return {
      code: variant === 0 ? p.code : `${p.code}.V${variant}`,
      name_vi: variant === 0 ? p.nameVi : `${p.nameVi} (địa bàn ${variant})`,
      name_en: variant === 0 ? p.nameEn : `${p.nameEn} (area ${variant})`,
      field_code: p.fieldCode,
      level: p.level,
      agency_code: p.agencyCode,
      processing_amount: p.processingTime.amount,
      processing_unit: p.processingTime.unit,
      fee_vnd: p.feeVnd,
      online_kind: p.onlineKind,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto("procedures")
      .values(rows.slice(i, i + 500))
      .execute();
  await sql`analyze procedures`.execute(db);
  console.log(`Catalogue search, ${TOTAL} procedures, ${RUNS} queries each (server-side, one connection at a time)`);

  const baseline = await time("baseline: unaccent per row, no index", async (q) => {
    let query = db.selectFrom("procedures as p").select(["p.code", "p.name_vi"]).where("p.active", "=", true);
    for (const w of searchWords(q)) {
      query = query.where(
        sql<boolean>`portal_unaccent(p.code || ' ' || p.name_vi || ' ' || p.name_en) like '%' || portal_unaccent(${w}) || '%'`,
      );
    }
    return query.orderBy("p.name_vi").limit(20).execute();
  });
  const portal = await time("portal: trigram-indexed search_doc", (q) =>
    searchProcedures(db, parseCatalogueQuery(new URLSearchParams({ q })), "vi"),
  );
  console.log(
    `speed-up at p95: ${(baseline.p95 / portal.p95).toFixed(1)}x; target p95 < 50 ms: ${portal.p95 < 50 ? "met" : "NOT met"}`,
  );
} finally {
  await db.destroy();
  await scratch.drop();
}
