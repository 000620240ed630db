/**
 * Rollups always equal a recount from the rows (issue 6), on both databases.
 *
 * Dossiers and payments are inserted, updated (in bulk and one by one, concurrently), transferred,
 * refunded, rated and deleted; after each round the whole `stats_rollup` table is compared with rollups
 * recomputed here in plain TypeScript from the rows, and `countMetrics` (rollups) with `recountMetrics`
 * (rows) for many periods and scopes.
 */
import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { createDb, type Database } from "../db.server.ts";
import { countMetrics, periodSlices, recountMetrics, type StatsScope } from "./stats-queries.server.ts";
import { bulkLoadWithRollupRebuild } from "./stats-rollup.server.ts";

const NOW = new Date("2025-06-16T05:30:00Z"); // Monday 16 June 2025, 12:30 in Vietnam

function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, number>;

/** The rollup recomputed from the rows, by the docs/domain.md#metrics definitions, keyed grain|period|agency|procedure. */
async function expectedRollup(db: Kysely<Database>): Promise<Map<string, Row>> {
  const dossiers = await db.selectFrom("dossiers").selectAll().execute();
  const payments = await db.selectFrom("payments").selectAll().execute();
  const fieldOf = new Map(
    (await db.selectFrom("procedures").select(["code", "field_code"]).execute()).map((p) => [p.code, p.field_code]),
  );
  const out = new Map<string, Row>();
  const add = (at: Date, agency: string, procedure: string, counters: Row) => {
    const day = toVnDateString(at);
    const month = `${day.slice(0, 7)}-01`;
    const field = `@${fieldOf.get(procedure)}`;
    for (const key of [
      `d|${day}|${agency}|${procedure}`,
      `d|${day}|${agency}|*`,
      `d|${day}|${agency}|${field}`,
      `m|${month}|${agency}|${procedure}`,
      `m|${month}|${agency}|*`,
      `m|${month}|${agency}|${field}`,
    ]) {
      const row = out.get(key) ?? {};
      for (const [k, v] of Object.entries(counters)) row[k] = (row[k] ?? 0) + v;
      out.set(key, row);
    }
  };
  const b = (v: boolean) => (v ? 1 : 0);
  for (const d of dossiers) {
    if (d.status === "draft") continue;
    if (d.received_at) {
      const wholly = d.wholly_online ?? (d.channel === "online" && (d.fee_vnd === 0 || d.paid_online) && d.e_result);
      add(d.received_at, d.agency_code, d.procedure_code, {
        received: 1,
        received_online: b(d.channel === "online"),
        full_proc_received: b(d.full_procedure),
        wholly_online: b(d.full_procedure && wholly),
        digitised: b(d.digitised),
        fee_bearing: b(d.fee_vnd > 0),
        paid_online_dossiers: b(d.fee_vnd > 0 && d.paid_online),
      });
    }
    if (d.ended_at && d.received_at) {
      add(d.ended_at, d.agency_code, d.procedure_code, {
        ended: 1,
        resolved_early: b(d.outcome === "early"),
        resolved_on_time: b(d.outcome === "on_time"),
        resolved_late: b(d.outcome === "late"),
        ended_not_satisfied: b(d.outcome != null && d.rating === 1),
      });
    }
    if (d.returned_at)
      add(d.returned_at, d.agency_code, d.procedure_code, { returned: 1, returned_electronic: b(d.e_result) });
    if (d.rated_at && d.rating)
      add(d.rated_at, d.agency_code, d.procedure_code, {
        rated_1: b(d.rating === 1),
        rated_2: b(d.rating === 2),
        rated_3: b(d.rating === 3),
      });
  }
  for (const p of payments) {
    if (p.status !== "paid" || !p.paid_at) continue;
    add(p.paid_at, p.agency_code ?? "?", p.procedure_code ?? "?", {
      fee_payments: 1,
      cashless_payments: b(p.method === "gateway" || p.method === "transfer"),
      online_payments: b(p.method === "gateway"),
    });
  }
  return out;
}

async function actualRollup(db: Kysely<Database>): Promise<Map<string, Row>> {
  const rows = await db.selectFrom("stats_rollup").selectAll().execute();
  const out = new Map<string, Row>();
  for (const r of rows) {
    const { grain, period, agency_code, procedure_code, ...counters } = r;
    const nonZero = Object.fromEntries(Object.entries(counters).filter(([, v]) => v !== 0)) as Row;
    if (Object.keys(nonZero).length > 0)
      out.set(`${grain}|${String(period)}|${agency_code}|${procedure_code}`, nonZero);
  }
  return out;
}

async function expectRollupEqualsRecount(db: Kysely<Database>) {
  const expected = await expectedRollup(db);
  for (const [k, row] of expected) {
    const nonZero = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== 0));
    if (Object.keys(nonZero).length === 0) expected.delete(k);
    else expected.set(k, nonZero);
  }
  const actual = await actualRollup(db);
  expect(Object.fromEntries([...actual].sort())).toEqual(Object.fromEntries([...expected].sort()));
  // Payments follow their dossier (a transfer moves them).
  const strays = await db
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .whereRef("p.agency_code", "<>", "d.agency_code")
    .select("p.id")
    .execute();
  expect(strays).toEqual([]);
}

async function expectCountsEqualRecount(db: Kysely<Database>, random: () => number) {
  const agencies = await db.selectFrom("agencies").select(["code", "parent_code"]).execute();
  const procedures = await db.selectFrom("procedures").select(["code", "field_code"]).execute();
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
  const scopes: StatsScope[] = [
    { agencyCodes: null },
    { agencyCodes: null, level: "commune" },
    { agencyCodes: null, level: "district" },
    { agencyCodes: ["000.00.31.H99", ...agencies.filter((a) => a.parent_code === "000.00.31.H99").map((a) => a.code)] },
    { agencyCodes: [pick(agencies).code] },
    { agencyCodes: null, fieldCode: "ho-tich" },
    { agencyCodes: null, procedureCode: pick(procedures).code },
    { agencyCodes: ["000.00.31.H99", "000.01.31.H99"], fieldCode: "ho-tich", level: "commune" },
  ];
  const periods = [
    { from: "2025-01-01", to: "2025-12-31" },
    { from: "2025-03-01", to: "2025-03-31" },
    { from: "2025-02-14", to: "2025-05-09" },
    { from: "2025-06-16", to: "2025-06-16" },
    { from: "2025-06-01", to: "2025-06-20" },
    { from: "2024-12-30", to: "2025-06-15" },
  ];
  for (let i = 0; i < 6; i++) {
    const a = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 200) * 86_400_000).toISOString().slice(0, 10);
    const b = new Date(Date.parse(a) + Math.floor(random() * 90) * 86_400_000).toISOString().slice(0, 10);
    periods.push({ from: a, to: b });
  }
  for (const period of periods) {
    for (const scope of scopes) {
      const fromRollup = await countMetrics(db, period, scope, NOW);
      const fromRows = await recountMetrics(db, period, scope, NOW);
      expect({ period, scope, ...fromRollup }).toEqual({ period, scope, ...fromRows });
    }
  }
}

describe("period slices", () => {
  it("cuts a period into whole months and edge days", () => {
    expect(periodSlices({ from: "2025-01-01", to: "2025-12-31" })).toEqual({
      months: ["2025-01-01", "2025-12-01"],
      days: [],
    });
    expect(periodSlices({ from: "2025-02-14", to: "2025-05-09" })).toEqual({
      months: ["2025-03-01", "2025-04-01"],
      days: [
        ["2025-02-14", "2025-02-28"],
        ["2025-05-01", "2025-05-09"],
      ],
    });
    expect(periodSlices({ from: "2025-06-03", to: "2025-06-20" })).toEqual({
      months: null,
      days: [["2025-06-03", "2025-06-20"]],
    });
    expect(periodSlices({ from: "2024-02-01", to: "2024-02-29" })).toEqual({
      months: ["2024-02-01", "2024-02-01"],
      days: [],
    });
  });
});

describe.each(testTargets())("stats rollups on $label PostgreSQL", (target: TestTarget) => {
  it("always equal a recount from the dossier and payment rows", { timeout: 180_000 }, async () => {
    const { db, scratch, close } = await openTestDb(target);
    // Bulk loads switch triggers off (ALTER TABLE): the owner's path, never the app's.
    const owner = createDb(scratch.ownerUrl, 2);
    const random = rng(20250616);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, new Date("2025-03-19T03:00:00Z"));
      await expectRollupEqualsRecount(db);

      const agencies = (await db.selectFrom("agencies").select(["code"]).execute()).map((a) => a.code);
      const procedures = await db.selectFrom("procedures").select(["code", "agency_code", "fee_vnd"]).execute();
      const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
      const t0 = Date.UTC(2024, 11, 1);
      const rows = Array.from({ length: 700 }, (_, i) => {
        const p = pick(procedures);
        // Some arrive "today" before NOW, to exercise the mid-day cutoff.
        const received =
          i % 50 === 0
            ? new Date(NOW.getTime() - Math.floor(random() * 4 * 3600_000))
            : new Date(t0 + Math.floor(random() * 197 * 86_400_000));
        const status = random() < 0.05 ? "draft" : "received";
        return {
          code: `TEST-${i}`,
          procedure_code: p.code,
          agency_code: random() < 0.8 ? p.agency_code : pick(agencies),
          receiving_agency_code: p.agency_code,
          channel: pick(["online", "online", "counter", "postal"]),
          status,
          applicant_name: "Test",
          applicant_national_id: "001090000000",
          fee_vnd: p.fee_vnd > 0 ? p.fee_vnd : random() < 0.2 ? 50_000 : 0,
          submitted_at: received,
          received_at: status === "draft" ? null : received,
          due_at: new Date(received.getTime() + Math.floor(random() * 20 + 1) * 86_400_000),
        };
      });
      // One multi-row insert (one statement: the trigger sees 700 rows at once).
      await db.insertInto("dossiers").values(rows).execute();
      await expectRollupEqualsRecount(db);

      // A multi-row update (one statement, many rows and rollup keys).
      await db
        .updateTable("dossiers")
        .set({ channel: "online", paid_online: true })
        .where("code", "like", "TEST-3%")
        .execute();
      await expectRollupEqualsRecount(db);

      // Ends one by one, with an outcome from the due date, some rated and returned electronically.
      const open = await db
        .selectFrom("dossiers")
        .select(["id", "received_at", "due_at"])
        .where("code", "like", "TEST-%")
        .where("status", "=", "received")
        .execute();
      for (const d of open.slice(0, 250)) {
        if (!d.received_at || !d.due_at) continue;
        const ended = new Date(d.received_at.getTime() + Math.floor(random() * 25 * 86_400_000));
        if (ended > NOW) continue;
        const outcome =
          toVnDateString(ended) < toVnDateString(d.due_at) ? "early" : ended <= d.due_at ? "on_time" : "late";
        await db
          .updateTable("dossiers")
          .set({
            status: "returned",
            resolved_at: ended,
            ended_at: ended,
            returned_at: ended,
            outcome,
            e_result: random() < 0.7,
            ...(random() < 0.5 ? { rating: 1 + Math.floor(random() * 3), rated_at: ended } : {}),
          })
          .where("id", "=", d.id)
          .execute();
      }
      await expectRollupEqualsRecount(db);

      // Attachments mark dossiers digitised (statement trigger on attachments).
      const someIds = (await db.selectFrom("dossiers").select("id").where("code", "like", "TEST-1%").execute()).map(
        (d) => d.id,
      );
      await db
        .insertInto("dossier_attachments")
        .values(
          someIds.map((id) => ({
            dossier_id: id,
            document_index: 0,
            file_name: "a.pdf",
            mime_type: "application/pdf",
            sha256: "0".repeat(64),
            size_bytes: 10,
          })),
        )
        .execute();

      // Payments: gateway / transfer / cash, some pending then paid, some refunded.
      const feeBearing = await db
        .selectFrom("dossiers")
        .select(["id", "fee_vnd", "received_at"])
        .where("fee_vnd", ">", 0)
        .where("received_at", "is not", null)
        .execute();
      let n = 0;
      for (const d of feeBearing) {
        if (!d.received_at) continue;
        const paidAt = new Date(Math.min(NOW.getTime() - 60_000, d.received_at.getTime() + 3600_000 * (1 + n)));
        n++;
        await db
          .insertInto("payments")
          .values({
            dossier_id: d.id,
            order_ref: `O-${n}`,
            amount_vnd: d.fee_vnd,
            method: pick(["gateway", "gateway", "transfer", "cash"]),
            status: n % 5 === 0 ? "pending" : "paid",
            payer_name: "Test",
            paid_at: n % 5 === 0 ? null : paidAt,
            receipt_no: `BL-${n}`,
          })
          .execute();
      }
      await db
        .updateTable("payments")
        .set({ status: "paid", paid_at: new Date("2025-06-02T02:00:00Z") })
        .where("status", "=", "pending")
        .execute();
      await db
        .updateTable("payments")
        .set({ status: "refunded" })
        .where("order_ref", "in", ["O-3", "O-7", "O-11"])
        .execute();
      await expectRollupEqualsRecount(db);

      // Transfers move a dossier and its payments to another agency; procedure changes too.
      const moved = await db
        .selectFrom("payments")
        .select("dossier_id")
        .where("status", "=", "paid")
        .limit(5)
        .execute();
      await db
        .updateTable("dossiers")
        .set({ agency_code: "000.01.31.H99" })
        .where(
          "id",
          "in",
          moved.map((m) => m.dossier_id),
        )
        .execute();
      await db
        .updateTable("dossiers")
        .set({ procedure_code: procedures[0]?.code ?? "" })
        .where("code", "=", "TEST-2")
        .execute();
      await expectRollupEqualsRecount(db);

      // Concurrent writers on the same rollup rows: no lost updates, no deadlock.
      const openNow = await db
        .selectFrom("dossiers")
        .select(["id"])
        .where("code", "like", "TEST-%")
        .where("ended_at", "is", null)
        .where("received_at", "is not", null)
        .limit(40)
        .execute();
      await Promise.all(
        openNow.map((d, i) =>
          db.transaction().execute(async (trx) => {
            await trx
              .updateTable("dossiers")
              .set({ status: "withdrawn", ended_at: new Date(NOW.getTime() - 1000 * (i + 1)), outcome: "early" })
              .where("id", "=", d.id)
              .execute();
          }),
        ),
      );
      await expectRollupEqualsRecount(db);

      // A procedure moved to another field takes its counts to that field's rows.
      await db
        .updateTable("procedures")
        .set({ field_code: "dat-dai" })
        .where("code", "in", [procedures[0]?.code ?? "", procedures[1]?.code ?? ""])
        .execute();
      await expectRollupEqualsRecount(db);

      // Deleting dossiers takes their contribution away. Nothing cascades from a dossier (ADR 009): their
      // payments and attachments are deleted first, as a maintenance script would.
      const deleted = ["TEST-1", "TEST-10", "TEST-11", "TEST-12"];
      const gone = db.selectFrom("dossiers").select("id").where("code", "in", deleted);
      await db.deleteFrom("payments").where("dossier_id", "in", gone).execute();
      await db.deleteFrom("dossier_attachments").where("dossier_id", "in", gone).execute();
      await db.deleteFrom("dossiers").where("code", "in", deleted).execute();
      await expectRollupEqualsRecount(db);

      await expectCountsEqualRecount(db, random);

      // A bulk load with the triggers off and one rebuild at the end gives the same rollup.
      await bulkLoadWithRollupRebuild(owner, async (trx) => {
        await trx
          .insertInto("dossiers")
          .values(rows.slice(0, 100).map((r) => ({ ...r, code: `BULK-${r.code}` })))
          .execute();
        await trx.updateTable("payments").set({ method: "transfer" }).where("order_ref", "=", "O-2").execute();
      });
      await expectRollupEqualsRecount(db);
    } finally {
      await owner.destroy();
      await close();
    }
  });
});
