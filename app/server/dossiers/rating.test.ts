/** Satisfaction ratings on both databases: once, by the owner, after the dossier is finished; counted in metrics. */
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { computeMetrics } from "../../domain/stats/metrics.ts";
import { countMetrics } from "../stats/stats-queries.server.ts";
import { RatingNotPossibleError, rateDossier } from "./rating.server.ts";

const NOW = new Date("2025-03-19T03:00:00Z");

describe.each(testTargets())("rating dossiers on $label PostgreSQL", (target: TestTarget) => {
  it("lets the owner rate a finished dossier once, and the rating counts", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, NOW);
      const done = await db
        .selectFrom("dossiers")
        .select(["id", "applicant_id"])
        .where("status", "=", "returned")
        .executeTakeFirstOrThrow();
      const open = await db
        .selectFrom("dossiers")
        .select(["id", "applicant_id"])
        .where("status", "=", "processing")
        .where("applicant_id", "is not", null)
        .executeTakeFirstOrThrow();
      const owner = done.applicant_id ?? "";
      const other = await db
        .selectFrom("users")
        .select("id")
        .where("id", "<>", owner)
        .where("role", "=", "citizen")
        .executeTakeFirstOrThrow();

      const problem = (p: Promise<unknown>) =>
        p.then(
          () => "ok",
          (e) => (e instanceof RatingNotPossibleError ? e.problem : String(e)),
        );
      expect(await problem(rateDossier(db, other.id, done.id, 3, NOW))).toBe("invalid");
      expect(await problem(rateDossier(db, open.applicant_id ?? "", open.id, 3, NOW))).toBe("notFinished");
      expect(await problem(rateDossier(db, owner, done.id, 1, NOW))).toBe("ok");
      expect(await problem(rateDossier(db, owner, done.id, 3, NOW))).toBe("alreadyRated");

      const row = await db
        .selectFrom("dossiers")
        .select(["rating", "rated_at"])
        .where("id", "=", done.id)
        .executeTakeFirstOrThrow();
      expect(row.rating).toBe(1);
      const audit = await db
        .selectFrom("audit_events")
        .select("action")
        .where("entity_id", "=", done.id)
        .where("action", "=", "dossier.rate")
        .execute();
      expect(audit).toHaveLength(1);
      const counts = await countMetrics(db, { from: "2025-03-01", to: "2025-03-31" }, { agencyCodes: null }, NOW);
      expect(counts.ratings).toEqual({ r1: 1, r2: 0, r3: 0 });
      expect(computeMetrics(counts).satisfiedRate).toBe(0);
    } finally {
      await close();
    }
  });
});
