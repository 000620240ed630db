/**
 * Manager dashboard and /api/v1/metrics at a province's volume and at a national one (issue 6, point 6):
 * server-side latency of the rollup path against a naive GROUP BY over the dossier table, in the same run.
 * Targets: p95 < 50 ms at 861,990 dossiers, < 100 ms at 10,000,000.
 *
 *   npm run bench:dashboard                       # 861,990 dossiers (Quảng Ninh 2023)
 *   npm run bench:dashboard -- --dossiers 10000000
 *   options: --fresh (regenerate the data), --runs N (rollup samples per scenario, default 40)
 *
 * Data: a province shaped like Quảng Ninh (12 departments, 13 districts, 177 communes, 1,367 procedures),
 * dossiers spread over 2023 and generated in SQL (generate_series) in batches, so the database triggers
 * maintain the rollups exactly as they do for the portal's own writes; the data set is kept in a database
 * named bench_dashboard_<N> on DATABASE_URL's server (or the embedded one) and reused by later runs.
 * The generated values only need realistic shapes (skewed procedures, ~77% online, ~0.3% late, fees on a
 * third); they are not the calibrated simulation (that is `npm run seed:year`).
 */

// Side-effect import first: sets DATABASE_URL before the app's db module loads.
import "./bench-database.ts";
import { parseArgs } from "node:util";
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { db as appDb, type Database } from "../app/server/db.server.ts";
import { migrateToLatest } from "../app/server/migrate.server.ts";
import {
  dashboardData,
  type Manager,
  readSelection,
  scopeOptions,
} from "../app/server/stats/manager-dashboard.server.ts";
import { recountMetrics, type StatsScope } from "../app/server/stats/stats-queries.server.ts";
import { bulkLoadWithRollupRebuild } from "../app/server/stats/stats-rollup.server.ts";
import { metricsByUnit, metricsFor, monthlyTrend } from "../app/server/stats/stats-service.server.ts";
import { ensureTestEmbedded } from "../tests/test-database.ts";
import { BENCH_DB_NAME, BENCH_EMBEDDED, BENCH_SERVER_URL } from "./bench-database.ts";

const { values: args } = parseArgs({
  options: {
    dossiers: { type: "string", default: "861990" },
    runs: { type: "string", default: "40" },
    "naive-runs": { type: "string", default: "3" },
    fresh: { type: "boolean", default: false },
    /** Only the scenarios whose name contains this text. */
    only: { type: "string", default: "" },
    /** Load with the rollup triggers off and rebuild once (bulkLoadWithRollupRebuild), for the 10 M set. */
    bulk: { type: "boolean", default: false },
  },
});
const TOTAL = Number(args.dossiers);
const RUNS = Number(args.runs);
const NAIVE_RUNS = Number(args["naive-runs"]);
const BATCH = 250_000;
const ROOT = "000.00.00.H99";
/** "Now" for the run: Tuesday 2 January 2024, 10:00 in Vietnam, just after the generated year. */
const NOW = new Date("2024-01-02T03:00:00Z");

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function openDatabase(): Promise<{ db: Kysely<Database>; fresh: boolean; stop: () => Promise<void> }> {
  const embedded = BENCH_EMBEDDED ? await ensureTestEmbedded() : null;
  const server = BENCH_SERVER_URL;
  const name = BENCH_DB_NAME;
  const admin = new pg.Client({ connectionString: withDatabase(server, "postgres") });
  await admin.connect();
  const exists = (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
  if (exists && args.fresh) await admin.query(`drop database ${name} with (force)`);
  if (!exists || args.fresh) await admin.query(`create database ${name}`);
  await admin.end();
  // The app's own pool, pointed at this database by bench-database.ts.
  const db = appDb;
  await migrateToLatest(db);
  return {
    db,
    fresh: !exists || Boolean(args.fresh),
    stop: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}

async function generate(db: Kysely<Database>) {
  const existing = await sql<{ n: number }>`select count(*)::int as n from dossiers`.execute(db);
  if ((existing.rows[0]?.n ?? 0) >= TOTAL) return;
  console.log(`Generating ${TOTAL.toLocaleString("en")} dossiers…`);
  const t0 = performance.now();
  await sql`
    insert into agencies (code, name_vi, name_en, level, parent_code) values (${ROOT}, 'Tỉnh', 'Province', 'province', null)
    on conflict do nothing`.execute(db);
  await sql`
    insert into agencies (code, name_vi, name_en, level, parent_code)
    select format('000.00.%s.H99', lpad(i::text, 2, '0')), 'Sở ' || i, 'Department ' || i, 'province', ${ROOT}
    from generate_series(1, 12) i
    union all
    select format('000.00.%s.H99', 30 + i), 'Huyện ' || i, 'District ' || i, 'district', ${ROOT}
    from generate_series(1, 13) i
    on conflict do nothing`.execute(db);
  await sql`
    insert into agencies (code, name_vi, name_en, level, parent_code)
    select format('000.%s.%s.H99', lpad((1 + (i - 1) / 13)::text, 2, '0'), 31 + (i - 1) % 13), 'Xã ' || i, 'Commune ' || i,
      'commune', format('000.00.%s.H99', 31 + (i - 1) % 13)
    from generate_series(1, 177) i
    on conflict do nothing`.execute(db);
  await sql`
    insert into fields (code, name_vi, name_en)
    select 'field-' || i, 'Lĩnh vực ' || i, 'Field ' || i from generate_series(1, 12) i on conflict do nothing`.execute(
    db,
  );
  // 1,367 procedures: 180 commune, 320 district, 867 provincial (owned by the departments).
  await sql`
    insert into procedures (code, name_vi, name_en, field_code, level, agency_code, processing_amount, processing_unit,
      online_kind, fee_vnd)
    select 'B.' || lpad(i::text, 4, '0'), 'Thủ tục ' || i, 'Procedure ' || i, 'field-' || (1 + i % 12),
      case when i <= 180 then 'commune' when i <= 500 then 'district' else 'province' end,
      case when i <= 180 then '000.01.31.H99' when i <= 500 then '000.00.31.H99'
           else format('000.00.%s.H99', lpad((1 + i % 12)::text, 2, '0')) end,
      3 + i % 12, 'working_days',
      case when i % 11 = 0 then 'none' when i % 3 = 0 then 'partial' else 'full' end,
      case when i % 3 = 0 then 50000 + (i % 7) * 10000 else 0 end
    from generate_series(1, 1367) i on conflict do nothing`.execute(db);

  const load = async (conn: Kysely<Database>) => {
    for (let from = (existing.rows[0]?.n ?? 0) + 1; from <= TOTAL; from += BATCH) {
      const to = Math.min(TOTAL, from + BATCH - 1);
      const b0 = performance.now();
      const batch = async (trx: Kysely<Database>) => {
        await sql`
        with a as (
          select array_agg(code) filter (where level = 'commune') as c,
                 array_agg(code) filter (where level = 'district') as d
          from agencies
        ), p as (
          select array_agg(code order by code) as codes, array_agg(level order by code) as levels,
                 array_agg(agency_code order by code) as owners, array_agg(fee_vnd order by code) as fees,
                 array_agg(processing_amount order by code) as days
          from procedures
        ), base as (
          -- Skewed demand: low procedure numbers (commune civil status, certification) dominate.
          select g, 1 + floor(power(random(), 3) * array_length(p.codes, 1))::int as pi,
                 timestamptz '2023-01-01 01:00+00' + random() * interval '364 days' as recv,
                 random() as r_agency, random() as r_channel, random() as r_end, random() as r_speed, random() as r_rate
          from generate_series(${from}::int, ${to}::int) g, p
        ), x as (
          select b.*, p.codes[b.pi] as procedure_code, p.fees[b.pi] as fee,
                 case p.levels[b.pi]
                   when 'commune' then a.c[1 + floor(b.r_agency * array_length(a.c, 1))::int]
                   when 'district' then a.d[1 + floor(b.r_agency * array_length(a.d, 1))::int]
                   else p.owners[b.pi] end as agency_code,
                 b.recv + p.days[b.pi] * interval '1 day' as due,
                 case when b.recv + p.days[b.pi] * interval '1 day' > ${NOW} then 'open'
                      when b.r_end < 0.003 then 'late'
                      else 'in_time' end as fate
          from base b, a, p
        )
        insert into dossiers (code, procedure_code, agency_code, receiving_agency_code, channel, status,
          applicant_name, applicant_national_id, fee_vnd, submitted_at, received_at, due_at, ended_at, resolved_at,
          returned_at, outcome, e_result, digitised, rating, rated_at)
        select 'BENCH-' || lpad(g::text, 8, '0'), procedure_code, agency_code, agency_code,
          case when r_channel < 0.77 then 'online' when r_channel < 0.97 then 'counter' else 'postal' end,
          case when fate = 'open' then 'processing' else 'returned' end,
          'Người nộp ' || g, lpad((g % 1000000000)::text, 12, '0'), fee, recv, recv, due,
          ended, ended, ended,
          case when fate = 'late' then 'late' when fate = 'open' then null
               when (ended + interval '7 hours')::date < (due + interval '7 hours')::date then 'early' else 'on_time' end,
          fate <> 'open' and r_channel < 0.9, r_channel < 0.95,
          case when fate = 'open' or r_rate >= 0.4 then null when r_rate < 0.004 then 1 when r_rate < 0.15 then 2 else 3 end,
          case when fate <> 'open' and r_rate < 0.4 then ended end
        from (
          select x.*, case when fate = 'late' then least(due + interval '1 day' + r_speed * interval '3 days', ${NOW}::timestamptz - interval '1 hour')
                           when fate = 'open' then null
                           else recv + (due - recv) * (0.2 + 0.75 * r_speed) end as ended
          from x
        ) y`.execute(trx);
        // Fees: paid shortly after receipt, almost all online or by transfer.
        await sql`
        insert into payments (dossier_id, order_ref, amount_vnd, method, status, payer_name, paid_at, receipt_no,
          agency_code, procedure_code)
        select d.id, 'B' || d.code, d.fee_vnd,
          case when random() < 0.8 then 'gateway' when random() < 0.97 then 'transfer' else 'cash' end,
          'paid', d.applicant_name, d.received_at + interval '2 hours', 'R' || d.code, d.agency_code, d.procedure_code
        from dossiers d
        where d.code between ${`BENCH-${String(from).padStart(8, "0")}`} and ${`BENCH-${String(to).padStart(8, "0")}`}
          and d.fee_vnd > 0`.execute(trx);
      };
      if (conn.isTransaction) await batch(conn);
      else await conn.transaction().execute(batch);
      const rate = Math.round((to - from + 1) / ((performance.now() - b0) / 1000));
      console.log(
        `  ${to.toLocaleString("en")} / ${TOTAL.toLocaleString("en")}  (${rate.toLocaleString("en")} dossiers/s)`,
      );
    }
  };
  if (args.bulk) {
    await bulkLoadWithRollupRebuild(db, async (trx) => {
      await load(trx);
      console.log("  rebuilding the rollup…");
    });
  } else {
    await load(db);
  }
  await sql`vacuum analyze`.execute(db);
  console.log(`Generated in ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function sample(runs: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}

const { db, fresh, stop } = await openDatabase();
try {
  if (fresh || (await sql<{ n: number }>`select count(*)::int as n from dossiers`.execute(db)).rows[0]?.n !== TOTAL) {
    await generate(db);
  }
  const counts = await sql<{ dossiers: number; rollup: number; payments: number }>`
    select (select count(*)::int from dossiers) as dossiers, (select count(*)::int from stats_rollup) as rollup,
           (select count(*)::int from payments) as payments`.execute(db);
  console.log(
    `Data: ${counts.rows[0]?.dossiers.toLocaleString("en")} dossiers, ${counts.rows[0]?.payments.toLocaleString("en")} payments, ${counts.rows[0]?.rollup.toLocaleString("en")} rollup rows`,
  );

  const district = "000.00.31.H99";
  const districtTree = (
    await db
      .selectFrom("agencies")
      .select("code")
      .where((eb) => eb.or([eb("code", "=", district), eb("parent_code", "=", district)]))
      .execute()
  ).map((a) => a.code);
  const scenarios: Array<{ name: string; period: { from: string; to: string }; scope: StatsScope; root: string }> = [
    {
      name: "province, year 2023",
      period: { from: "2023-01-01", to: "2023-12-31" },
      scope: { agencyCodes: null },
      root: ROOT,
    },
    {
      name: "province, 1 July to today (live cutoff)",
      period: { from: "2023-07-01", to: "2024-01-02" },
      scope: { agencyCodes: null },
      root: ROOT,
    },
    {
      name: "province, Q2",
      period: { from: "2023-04-01", to: "2023-06-30" },
      scope: { agencyCodes: null },
      root: ROOT,
    },
    {
      name: "province, March",
      period: { from: "2023-03-01", to: "2023-03-31" },
      scope: { agencyCodes: null },
      root: ROOT,
    },
    {
      name: "province, 14 Feb – 20 Nov",
      period: { from: "2023-02-14", to: "2023-11-20" },
      scope: { agencyCodes: null },
      root: ROOT,
    },
    {
      name: "commune level, year",
      period: { from: "2023-01-01", to: "2023-12-31" },
      scope: { agencyCodes: null, level: "commune" },
      root: ROOT,
    },
    {
      name: "one district + communes, year",
      period: { from: "2023-01-01", to: "2023-12-31" },
      scope: { agencyCodes: districtTree },
      root: district,
    },
    {
      name: "one field, year",
      period: { from: "2023-01-01", to: "2023-12-31" },
      scope: { agencyCodes: null, fieldCode: "field-2" },
      root: ROOT,
    },
    {
      name: "one procedure, year",
      period: { from: "2023-01-01", to: "2023-12-31" },
      scope: { agencyCodes: null, procedureCode: "B.0001" },
      root: ROOT,
    },
  ];

  const manager = { id: "bench", role: "manager", fullName: "Bench", agencyCode: ROOT } as unknown as Manager;
  const results = [];
  const rss0 = process.memoryUsage().rss;
  for (const s of scenarios.filter((x) => x.name.includes(args.only ?? ""))) {
    const api = await sample(RUNS, () => metricsFor(db, s.period, s.scope, NOW));
    const dashboard = await sample(RUNS, () =>
      Promise.all([
        metricsFor(db, s.period, s.scope, NOW),
        metricsByUnit(db, s.period, s.root, NOW),
        monthlyTrend(db, s.period, s.scope, NOW),
      ]),
    );
    const q = new URLSearchParams({ from: s.period.from, to: s.period.to });
    if (s.root !== ROOT) q.set("agency", s.root);
    if (s.scope.level) q.set("level", s.scope.level);
    if (s.scope.fieldCode) q.set("field", s.scope.fieldCode);
    if (s.scope.procedureCode) q.set("procedure", s.scope.procedureCode);
    const pageUrl = new URL(`http://bench/manager?${q.toString()}`);
    const page = await sample(RUNS, async () => {
      const sel = await readSelection(pageUrl, manager, NOW);
      if (Object.keys(sel.problems).length > 0) throw new Error(`bench URL refused: ${JSON.stringify(sel.problems)}`);
      return Promise.all([dashboardData(sel, NOW), scopeOptions(sel.tree, "vi")]);
    });
    const naive = await sample(NAIVE_RUNS, () => recountMetrics(db, s.period, s.scope, NOW));
    const row = {
      scenario: s.name,
      apiP95: api.p95,
      dashboardP50: dashboard.p50,
      dashboardP95: dashboard.p95,
      pageP50: page.p50,
      pageP95: page.p95,
      naiveP50: naive.p50,
      ratio: naive.p50 / dashboard.p50,
    };
    results.push(row);
    console.log(
      `${s.name.padEnd(40)} API p95 ${api.p95.toFixed(1).padStart(6)} | stats p95 ${dashboard.p95.toFixed(1).padStart(6)} | page p95 ${page.p95.toFixed(1).padStart(6)} ms | naive GROUP BY p50 ${naive.p50.toFixed(0).padStart(6)} ms | ×${row.ratio.toFixed(0)}`,
    );
  }
  const target = TOTAL > 1_000_000 ? 100 : 50;
  const worst = Math.max(...results.map((r) => Math.max(r.dashboardP95, r.apiP95, r.pageP95)));
  console.log(
    `\nWorst p95 ${worst.toFixed(1)} ms against a target of ${target} ms: ${worst < target ? "met" : "NOT met"}. ` +
      `Memory: RSS ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB (${((process.memoryUsage().rss - rss0) / 1e6).toFixed(0)} MB during the timings).`,
  );
  console.log(
    "\n| scenario | API p95 | dashboard stats p50 / p95 | whole page loader p50 / p95 | naive GROUP BY p50 | naive / stats p50 |\n|---|---:|---:|---:|---:|---:|",
  );
  for (const r of results)
    console.log(
      `| ${r.scenario} | ${r.apiP95.toFixed(1)} | ${r.dashboardP50.toFixed(1)} / ${r.dashboardP95.toFixed(1)} | ${r.pageP50.toFixed(1)} / ${r.pageP95.toFixed(1)} | ${r.naiveP50.toFixed(0)} | ×${r.ratio.toFixed(0)} |`,
    );
} finally {
  await stop();
}
