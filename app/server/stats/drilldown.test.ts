/**
 * The drill-down lists exactly the dossiers behind each dashboard number: its total equals the metric count
 * from metricsFor, for several metrics, periods and scopes, on both databases.
 */
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { payOneOnlineOneCash } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import type { MetricCounts } from "../../domain/stats/metrics.ts";
import {
  countDrillDown,
  type DrillMetric,
  drillDownAll,
  drillDownPage,
  isLateRow,
  lateStepsOf,
  PAGE_SIZE,
} from "./drilldown.server.ts";
import type { StatsScope } from "./stats-queries.server.ts";
import { metricsFor } from "./stats-service.server.ts";

const NOW = new Date("2025-03-19T03:00:00Z"); // Wed 19 March 2025, 10:00 in Vietnam

/** The count each drill-down metric must reproduce. */
const EXPECTED: Array<[DrillMetric, (c: MetricCounts) => number]> = [
  ["received", (c) => c.received],
  ["receivedOnline", (c) => c.receivedOnline],
  ["resolved", (c) => c.resolvedEarly + c.resolvedOnTime + c.resolvedLate],
  ["resolvedInTime", (c) => c.resolvedEarly + c.resolvedOnTime],
  ["resolvedEarly", (c) => c.resolvedEarly],
  ["resolvedOnTime", (c) => c.resolvedOnTime],
  ["resolvedLate", (c) => c.resolvedLate],
  ["overdueOpen", (c) => c.overdueOpen],
  ["openNotYetDue", (c) => c.openNotYetDue],
  ["fullProcedureDossiers", (c) => c.fullProcedureDossiers],
  ["handledWhollyOnline", (c) => c.handledWhollyOnline],
  ["digitisedDossiers", (c) => c.digitisedDossiers],
  ["feeBearingDossiers", (c) => c.feeBearingDossiers],
  ["dossiersPaidOnline", (c) => c.dossiersPaidOnline],
  ["returned", (c) => c.returned],
  ["returnedElectronic", (c) => c.returnedElectronic],
  ["rated", (c) => c.ratings.r1 + c.ratings.r2 + c.ratings.r3],
  ["ratedSatisfied", (c) => c.ratings.r2 + c.ratings.r3],
  ["ratedNotSatisfied", (c) => c.ratings.r1],
  ["feePayments", (c) => c.feePayments],
  ["cashlessPayments", (c) => c.cashlessPayments],
];

describe.each(testTargets())("drill-down on $label PostgreSQL", (target: TestTarget) => {
  it("lists as many dossiers as the dashboard counts, for every metric, period and scope", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, NOW);
      // Two fees paid in March (online and cash), so the payment metrics are not all zero.
      const ids = await db.selectFrom("dossiers").select("id").orderBy("received_at").limit(2).execute();
      const paidAt = new Date("2025-03-18T03:00:00Z");
      await payOneOnlineOneCash(
        db,
        ids.map((d) => d.id),
        paidAt,
      );
      // Ratings: the returned dossiers are rated "very satisfied" and "not satisfied".
      const returned = await db.selectFrom("dossiers").select("id").where("returned_at", "is not", null).execute();
      for (const [i, r] of returned.entries())
        await db
          .updateTable("dossiers")
          .set({ rating: i === 0 ? 3 : 1, rated_at: paidAt })
          .where("id", "=", r.id)
          .execute();
      const hongGai = ["000.01.31.H99"];
      const haLong = (await db.selectFrom("agencies").select("code").where("code", "like", "%.31.H99").execute()).map(
        (a) => a.code,
      );
      const cases: Array<{ period: { from: string; to: string }; scope: StatsScope }> = [
        { period: { from: "2025-03-01", to: "2025-03-31" }, scope: { agencyCodes: null } },
        { period: { from: "2025-01-01", to: "2025-12-31" }, scope: { agencyCodes: haLong } },
        { period: { from: "2025-03-01", to: "2025-03-31" }, scope: { agencyCodes: hongGai } },
        { period: { from: "2025-02-01", to: "2025-02-28" }, scope: { agencyCodes: null } },
        { period: { from: "2025-03-10", to: "2025-03-14" }, scope: { agencyCodes: null, level: "district" } },
        { period: { from: "2025-01-01", to: "2025-12-31" }, scope: { agencyCodes: haLong, level: "commune" } },
      ];
      let nonZero = 0;
      for (const { period, scope } of cases) {
        const { counts } = await metricsFor(db, period, scope, NOW);
        for (const [metric, expected] of EXPECTED) {
          const n = await countDrillDown(db, { metric, period, scope, now: NOW });
          expect(n, `${metric} ${JSON.stringify({ period, scope })}`).toBe(expected(counts));
          if (n > 0) nonZero++;
        }
      }
      expect(nonZero).toBeGreaterThan(20);

      // The March province list, by hand: 5 received, 1 late (Hồng Gai), 1 overdue (Hạ Long).
      const march = { period: { from: "2025-03-01", to: "2025-03-31" }, scope: { agencyCodes: null }, now: NOW };
      expect(await countDrillDown(db, { ...march, metric: "received" })).toBe(5);
      const late = await drillDownPage(db, { ...march, metric: "resolvedLate" }, 1);
      expect(late).toHaveLength(1);
      expect(late[0]).toMatchObject({ agency_code: "000.01.31.H99", outcome: "late", procedure_code: "1.004884" });
      expect(late[0]).not.toHaveProperty("applicant_national_id");
      const steps = await lateStepsOf(db, late, NOW);
      expect(steps.get(late[0]?.id ?? "")).toMatchObject({ step: "processing", agencyCode: "000.01.31.H99" });
      const overdue = await drillDownPage(db, { ...march, metric: "overdueOpen" }, 1);
      expect(overdue.map((r) => [r.agency_code, r.procedure_code])).toEqual([["000.00.31.H99", "1.001612"]]);
      expect(isLateRow(overdue[0] as (typeof overdue)[number], NOW)).toBe(true);

      // Field and procedure scopes (the procedure wins over its field, as in the counts).
      expect(
        await countDrillDown(db, {
          ...march,
          metric: "received",
          scope: { agencyCodes: null, procedureCode: "1.004884" },
        }),
      ).toBe(2);
      const field = await db
        .selectFrom("procedures")
        .select("field_code")
        .where("code", "=", "1.004884")
        .executeTakeFirstOrThrow();
      const inField = await db
        .selectFrom("dossiers as d")
        .innerJoin("procedures as p", "p.code", "d.procedure_code")
        .where("p.field_code", "=", field.field_code)
        .where("d.received_at", ">=", new Date("2025-02-28T17:00:00Z"))
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(
        await countDrillDown(db, {
          ...march,
          metric: "received",
          scope: { agencyCodes: null, fieldCode: field.field_code },
        }),
      ).toBe(Number(inField.n));
    } finally {
      await close();
    }
  });

  it("pages and exports every row once, in the metric's time order", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, NOW);
      // Clone the six demo dossiers 20 times (same received times: the keyset must break ties by id).
      for (let i = 0; i < 20; i++) {
        await db
          .insertInto("dossiers")
          .columns([
            "code",
            "procedure_code",
            "agency_code",
            "receiving_agency_code",
            "channel",
            "status",
            "applicant_name",
            "applicant_national_id",
            "received_at",
            "due_at",
            "original_due_at",
            "ended_at",
            "outcome",
          ])
          .expression((eb) =>
            eb
              .selectFrom("dossiers")
              .select([
                sql<string>`code || ${sql.lit(`-c${i}`)}`.as("code"),
                "procedure_code",
                "agency_code",
                "receiving_agency_code",
                "channel",
                "status",
                "applicant_name",
                "applicant_national_id",
                "received_at",
                "due_at",
                "original_due_at",
                "ended_at",
                "outcome",
              ])
              .where("code", "not like", "%-c%"),
          )
          .execute();
      }
      const q = {
        metric: "received" as const,
        period: { from: "2025-01-01", to: "2025-12-31" },
        scope: { agencyCodes: null },
        now: NOW,
      };
      const total = await countDrillDown(db, q);
      expect(total).toBe(126);
      const pages = [];
      for (let p = 1; p <= Math.ceil(total / PAGE_SIZE); p++) pages.push(...(await drillDownPage(db, q, p)));
      const all = [];
      for await (const batch of drillDownAll(db, q, 7)) all.push(...batch);
      expect(new Set(pages.map((r) => r.id)).size).toBe(total);
      expect(all.map((r) => r.id)).toEqual(pages.map((r) => r.id));
      const times = all.map((r) => r.received_at?.getTime() ?? 0);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    } finally {
      await close();
    }
  });
});
