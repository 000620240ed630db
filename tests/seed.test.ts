/** The demo seed runs the real domain rules on both databases and produces the intended states. */
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../db/seed/seed.ts";
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
});
