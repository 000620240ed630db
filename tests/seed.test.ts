/** The demo seed runs the real domain rules on both databases and produces the intended states. */
import { describe, expect, it } from "vitest";
import type { DeadlineUnit } from "../app/domain/calendar/working-calendar.ts";
import { verifyAuditChains } from "../app/server/audit-verify.server.ts";
import { getCalendar } from "../app/server/calendar/calendar-service.server.ts";
import { pendingChoices } from "../app/server/units/reorganisation.server.ts";
import { DEMO_REFORM_AT, seedDemoDossiers, seedDemoReformHistory } from "../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../db/seed/seed.ts";
import { REFORM_2025 } from "../db/seed/units-2025.ts";
import { openTestDb, type TestTarget, testTargets } from "./test-database.ts";

describe.each(testTargets())("demo seed on $label PostgreSQL", (target: TestTarget) => {
  it("seeds the province once and a lived-in desk of dossiers", async () => {
    const { db, close } = await openTestDb(target);
    try {
      expect(await seedDemoData(db)).toBe(true);
      expect(await seedDemoData(db)).toBe(false);
      const counts = await db
        .selectFrom("agencies")
        .select((eb) => [
          eb.fn.countAll<number>().as("n"),
          eb.fn.countAll<number>().filterWhere("level", "=", "district").as("districts"),
        ])
        .executeTakeFirstOrThrow();
      expect(Number(counts.districts)).toBe(13);
      const procedures = await db
        .selectFrom("procedures")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      expect(Number(procedures.n)).toBeGreaterThanOrEqual(60);

      await seedDemoDossiers(db, new Date("2025-03-19T03:00:00Z")); // Wed 19 March 2025, 10:00 in Vietnam
      const rows = await db.selectFrom("dossiers").select(["status", "outcome", "due_at", "channel"]).execute();
      expect(rows).toHaveLength(6);
      expect(
        rows
          .filter((r) => r.status === "returned")
          .map((r) => r.outcome)
          .sort(),
      ).toEqual(["late", "on_time"]);
      expect(rows.filter((r) => r.status === "supplement_requested")).toHaveLength(1);
      const overdue = rows.filter(
        (r) => r.status === "processing" && r.due_at && r.due_at < new Date("2025-03-19T03:00:00Z"),
      );
      expect(overdue).toHaveLength(1);
      expect(await db.selectFrom("dossier_apologies").select("id").execute()).toHaveLength(1);
      expect(await db.selectFrom("dossier_results").select("id").execute()).toHaveLength(2);
    } finally {
      await close();
    }
  });

  it("shows the 2025 reform as it happened: June dossiers at abolished units, handed over or waiting for a choice", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      const now = new Date("2026-11-26T03:00:00Z");
      const history = await seedDemoReformHistory(db, now);
      expect(history.applied).toBe(true);
      expect(history.handedOver).toHaveLength(2);
      expect(history.queued).toHaveLength(1);
      expect(await seedDemoDossiers(db, now)).toBe(6);

      const reform = await db
        .selectFrom("reorganisations")
        .select(["applied_at", "applied_by"])
        .where("code", "=", REFORM_2025.code)
        .executeTakeFirstOrThrow();
      expect(reform).toEqual({ applied_at: DEMO_REFORM_AT, applied_by: null });

      // Whole successor: the old ward's dossiers went to the new ward (timeline + audit), finished there.
      const newHongGai = (
        await db
          .selectFrom("agencies")
          .select("code")
          .where("name_vi", "=", "UBND phường Hồng Gai")
          .where("valid_from", "is not", null)
          .executeTakeFirstOrThrow()
      ).code;
      for (const id of history.handedOver) {
        const d = await db
          .selectFrom("dossiers")
          .select(["agency_code", "receiving_agency_code", "status", "received_at"])
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(d).toMatchObject({
          agency_code: newHongGai,
          receiving_agency_code: "000.01.31.H99",
          status: "returned",
        });
        expect(d.received_at!.getTime()).toBeLessThan(DEMO_REFORM_AT.getTime());
        const events = await db
          .selectFrom("dossier_events")
          .select(["action", "at", "data"])
          .where("dossier_id", "=", id)
          .orderBy("chain_seq")
          .execute();
        expect(events.map((e) => e.action)).toEqual([
          "intake",
          "start_processing",
          "reorganisation_handover",
          "resolve",
          "return_result",
        ]);
        expect(events[2]).toMatchObject({ at: DEMO_REFORM_AT, data: { rule: "only_successor", to: newHongGai } });
        const audit = await db
          .selectFrom("audit_events")
          .select("data")
          .where("entity_id", "=", id)
          .where("action", "=", "dossier_handed_over")
          .execute();
        expect(audit).toHaveLength(1);
      }

      // Divided unit, no address: waits at Hạ Long city for the service centre, deadline as at reception.
      const [waiting] = await pendingChoices(db);
      expect(waiting!.dossierId).toBe(history.queued[0]);
      expect(waiting!.predecessor.code).toBe("000.00.31.H99");
      expect(waiting!.address).toBe("");
      expect(waiting!.candidates).toHaveLength(13);
      const d = await db
        .selectFrom("dossiers as d")
        .innerJoin("procedures as p", "p.code", "d.procedure_code")
        .select(["d.agency_code", "d.status", "d.received_at", "d.due_at", "p.processing_amount", "p.processing_unit"])
        .where("d.id", "=", waiting!.dossierId)
        .executeTakeFirstOrThrow();
      expect(d).toMatchObject({ agency_code: "000.00.31.H99", status: "processing" });
      const calendar = await getCalendar(db);
      expect(d.due_at).toEqual(
        calendar.dueDate(d.received_at!, d.processing_amount, d.processing_unit as DeadlineUnit).due,
      );
      expect((await verifyAuditChains(db)).ok).toBe(true);
    } finally {
      await close();
    }
  });
});
