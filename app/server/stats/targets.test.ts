/** Targets: set and removed in one audited transaction, only within the manager's subtree; inherited down the tree. */
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { vnDateTime } from "../../domain/calendar/working-calendar.ts";
import { countDrillDown } from "./drilldown.server.ts";
import {
  openDueByAgency,
  removeTarget,
  setTarget,
  sumOpen,
  TargetOutsideScopeError,
  targetResolver,
} from "./targets.server.ts";

const NOW = new Date("2025-03-19T03:00:00Z");
const PROVINCE = "000.00.00.H99";
const HA_LONG = "000.00.31.H99";
const HONG_GAI = "000.01.31.H99";
const JUSTICE = "000.00.02.H99";

describe.each(testTargets())("targets on $label PostgreSQL", (target: TestTarget) => {
  it("sets, inherits, refuses outside the subtree, audits, and counts open dossiers for the forecast", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, NOW);
      const users = await db.selectFrom("users").select(["id", "username"]).execute();
      const id = (u: string) => users.find((x) => x.username === u)?.id ?? "";
      const province = { id: id("lanhdao.tinh"), agencyCode: PROVINCE };
      const haLong = { id: id("lanhdao.halong"), agencyCode: HA_LONG };

      await setTarget(db, province, { agencyCode: PROVINCE, indicator: "onTimeRate", targetBp: 9970 });
      await setTarget(db, haLong, { agencyCode: HONG_GAI, indicator: "onTimeRate", targetBp: 9900 });
      await setTarget(db, haLong, { agencyCode: HONG_GAI, indicator: "onTimeRate", targetBp: 9950 });
      await expect(
        setTarget(db, haLong, { agencyCode: JUSTICE, indicator: "onlineRate", targetBp: 7700 }),
      ).rejects.toBeInstanceOf(TargetOutsideScopeError);
      await expect(removeTarget(db, haLong, { agencyCode: PROVINCE, indicator: "onTimeRate" })).rejects.toBeInstanceOf(
        TargetOutsideScopeError,
      );

      const resolver = await targetResolver(db, HA_LONG);
      expect(resolver.targetFor(HONG_GAI, "onTimeRate")).toEqual({ target: 0.995, setOn: HONG_GAI });
      expect(resolver.targetFor("000.02.31.H99", "onTimeRate")).toEqual({ target: 0.997, setOn: PROVINCE });
      expect(resolver.targetFor(HA_LONG, "onlineRate")).toBeNull();

      const audit = await db
        .selectFrom("audit_events")
        .select(["action", "entity_id", "actor_id", "data"])
        .where("entity", "=", "metric_target")
        .orderBy("id")
        .execute();
      expect(audit.map((a) => [a.action, a.entity_id])).toEqual([
        ["target_set", `${PROVINCE}:onTimeRate`],
        ["target_set", `${HONG_GAI}:onTimeRate`],
        ["target_set", `${HONG_GAI}:onTimeRate`],
      ]);
      expect(audit[2]?.data).toMatchObject({ targetBp: 9950, previousBp: 9900 });
      expect(audit[2]?.actor_id).toBe(haLong.id);

      await removeTarget(db, haLong, { agencyCode: HONG_GAI, indicator: "onTimeRate" });
      const after = await targetResolver(db, HA_LONG);
      expect(after.targetFor(HONG_GAI, "onTimeRate")).toEqual({ target: 0.997, setOn: PROVINCE });
      expect(
        await db.selectFrom("audit_events").select("action").where("action", "=", "target_remove").execute(),
      ).toHaveLength(1);

      // Open dossiers now, by due time against the end of March: their total is every dossier open now,
      // and the overdue ones are the drill-down's overdueOpen for a period ending now.
      const end = vnDateTime("2025-03-31", 1440);
      const open = sumOpen(await openDueByAgency(db, { agencyCodes: null }, end, NOW), [HA_LONG, HONG_GAI, PROVINCE]);
      const period = { from: "2025-03-01", to: "2025-03-19" };
      const overdue = await countDrillDown(db, {
        metric: "overdueOpen",
        period,
        scope: { agencyCodes: null },
        now: NOW,
      });
      const notDue = await countDrillDown(db, {
        metric: "openNotYetDue",
        period,
        scope: { agencyCodes: null },
        now: NOW,
      });
      expect(open.overdue).toBe(overdue);
      expect(open.overdue + open.dueBeforePeriodEnd + open.dueAfterPeriodEnd).toBe(overdue + notDue);
      expect(open).toEqual({ overdue: 1, dueBeforePeriodEnd: 3, dueAfterPeriodEnd: 0 });
      // The same split whichever side is counted from the rows (a near period end, or a far one).
      const sum = async (end: Date) =>
        sumOpen(await openDueByAgency(db, { agencyCodes: null }, end, NOW), [HA_LONG, HONG_GAI, PROVINCE]);
      expect(await sum(vnDateTime("2025-09-30", 1440))).toEqual({
        overdue: 1,
        dueBeforePeriodEnd: 3,
        dueAfterPeriodEnd: 0,
      });
      expect(await sum(new Date(NOW.getTime() + 1))).toEqual({
        overdue: 1,
        dueBeforePeriodEnd: 0,
        dueAfterPeriodEnd: 3,
      });
    } finally {
      await close();
    }
  });
});
