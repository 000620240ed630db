/**
 * Units with a history and the 2025 reform as an event (issue 12; ADR 016, 017), on both databases: the
 * unit tree as of a date, the reform applied once (open dossiers handed over with their clock unchanged,
 * by the only successor, by the applicant's address, or queued for a service-centre clerk), procedures and
 * staff following, everything audited in intact chains, and a second run doing nothing.
 */
import { describe, expect, it } from "vitest";
import { seedDemoDossiers } from "../../../db/seed/demo-dossiers.ts";
import { seedDemoData } from "../../../db/seed/seed.ts";
import { REFORM_2025 } from "../../../db/seed/units-2025.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { verifyAuditChains } from "../audit-verify.server.ts";
import { hashPassword } from "../password.server.ts";
import { countMetrics } from "../stats/stats-queries.server.ts";
import { verifyLogin } from "../users/account-service.server.ts";
import {
  addressOf,
  applyReorganisation,
  ChoiceNotFoundError,
  chooseSuccessor,
  InvalidChoiceError,
  listReorganisations,
  matchAddress,
  pendingChoices,
  ReorganisationNotYetEffectiveError,
} from "./reorganisation.server.ts";
import { levelsInPeriod, reorganisationsWithin, unitsAsOf } from "./units.server.ts";

const BEFORE = new Date("2025-03-19T03:00:00Z");
const AFTER = new Date("2025-07-01T02:00:00Z"); // 09:00 on 1 July 2025 in Vietnam
const HA_LONG_CITY = "000.00.31.H99";
const OLD_HONG_GAI = "000.01.31.H99";

describe("matching an address to a successor", () => {
  const candidates = [
    { code: "A", names: ["phường Hồng Gai", "phường Bạch Đằng", "phường Trần Hưng Đạo"] },
    { code: "B", names: ["phường Hạ Long", "phường Hồng Hà"] },
    { code: "C", names: ["xã Hạ Long"] },
  ];
  it("finds the one unit an address names, without accents or case", () => {
    expect(matchAddress("Số 5, tổ 3, Phường Bạch Đằng, TP Hạ Long", candidates)).toBe("A");
    expect(matchAddress("so 12 phuong ha long, quang ninh", candidates)).toBe("B");
    expect(matchAddress("thôn 2, xã Hạ Long, huyện Vân Đồn", candidates)).toBe("C");
  });
  it("gives up on no address, no match or more than one", () => {
    expect(matchAddress("", candidates)).toBeNull();
    expect(matchAddress("Hà Nội", candidates)).toBeNull();
    expect(matchAddress("phường Hồng Gai hoặc phường Hồng Hà", candidates)).toBeNull();
  });
  it("reads the address from the form's address answers only", () => {
    expect(addressOf({ siteAddress: "phường Bãi Cháy", purpose: "phường Hồng Gai" })).toBe("phường Bãi Cháy");
    expect(addressOf(null)).toBe("");
  });
});

describe.each(testTargets())("the 2025 reform on $label PostgreSQL", (target: TestTarget) => {
  it("reads units as of a date and applies the reform once, as audited events", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await seedDemoData(db);
      await seedDemoDossiers(db, BEFORE);

      // As of a date: 2023 has three levels and the 13 district-level units; 2026 has two and 54 communes.
      const y2023 = await unitsAsOf(db, "2023-06-30");
      const y2026 = await unitsAsOf(db, "2026-01-15");
      expect(y2023.filter((u) => u.level === "district")).toHaveLength(13);
      expect(y2023.filter((u) => u.level === "commune")).toHaveLength(171);
      expect(y2026.filter((u) => u.level === "district")).toHaveLength(0);
      expect(y2026.filter((u) => u.level === "commune")).toHaveLength(54);
      expect(y2026.filter((u) => u.kind === "special_zone").map((u) => u.name_vi)).toEqual([
        "UBND đặc khu Vân Đồn",
        "UBND đặc khu Cô Tô",
      ]);
      expect(await levelsInPeriod(db, "2023-01-01", "2023-12-31")).toEqual(["province", "district", "commune"]);
      expect(await levelsInPeriod(db, "2026-01-01", "2026-12-31")).toEqual(["province", "commune"]);
      expect((await reorganisationsWithin(db, "2025-01-01", "2025-12-31")).map((r) => r.code)).toEqual([
        REFORM_2025.code,
      ]);
      expect(await reorganisationsWithin(db, "2025-07-01", "2025-12-31")).toEqual([]);

      const newUnit = (name: string) => {
        const u = y2026.find((x) => x.name_vi === name);
        if (!u) throw new Error(name);
        return u.code;
      };
      const newHongGai = newUnit("UBND phường Hồng Gai");
      const wardHaLong = newUnit("UBND phường Hạ Long");

      const openAtCity = await db
        .selectFrom("dossiers")
        .select(["id", "due_at", "status", "version"])
        .where("agency_code", "=", HA_LONG_CITY)
        .where("status", "=", "processing")
        .orderBy("id")
        .execute();
      expect(openAtCity).toHaveLength(3);
      // One applicant gave an address in the form: it names a ward that went wholly into the new Hồng Gai.
      await db
        .updateTable("dossiers")
        .set({ form_data: JSON.stringify({ siteAddress: "Số 5, tổ 3, khu 2, phường Bạch Đằng, TP Hạ Long" }) })
        .where("id", "=", openAtCity[0]!.id)
        .execute();
      const atOldHongGai = await db
        .selectFrom("dossiers")
        .select(["id", "due_at", "paused_at", "status"])
        .where("agency_code", "=", OLD_HONG_GAI)
        .where("status", "=", "supplement_requested")
        .executeTakeFirstOrThrow();
      const closedCommune2025 = await countMetrics(
        db,
        { from: "2025-01-01", to: "2025-03-31" },
        { agencyCodes: null, level: "commune" },
        BEFORE,
      );
      const admin = await db
        .selectFrom("users")
        .select("id")
        .where("username", "=", "quantri")
        .executeTakeFirstOrThrow();
      const halongClerk = await db
        .selectFrom("users")
        .select("id")
        .where("username", "=", "canbo.halong")
        .executeTakeFirstOrThrow();

      // Not before its effective date.
      await expect(
        applyReorganisation(db, REFORM_2025.code, { userId: admin.id, role: "admin" }, BEFORE),
      ).rejects.toBeInstanceOf(ReorganisationNotYetEffectiveError);

      const first = await applyReorganisation(db, REFORM_2025.code, { userId: admin.id, role: "admin" }, AFTER);
      expect(first.applied).toBe(true);
      expect(first.summary).toMatchObject({
        abolishedUnits: 13 + 171,
        dossiersMoved: 2,
        dossiersByAddress: 1,
        dossiersQueued: 2,
        staffDisabled: 0,
      });
      expect(first.summary.proceduresMoved).toBeGreaterThan(30);
      expect(first.summary.staffReassigned).toBe(3); // canbo.halong, lanhdao.halong, canbo.honggai

      // Whole merge: moved, clock and status untouched, a hand-over on the timeline.
      const moved = await db
        .selectFrom("dossiers")
        .select(["agency_code", "due_at", "paused_at", "status", "receiving_agency_code"])
        .where("id", "=", atOldHongGai.id)
        .executeTakeFirstOrThrow();
      expect(moved).toMatchObject({
        agency_code: newHongGai,
        status: "supplement_requested",
        receiving_agency_code: OLD_HONG_GAI,
      });
      expect(moved.due_at).toEqual(atOldHongGai.due_at);
      expect(moved.paused_at).toEqual(atOldHongGai.paused_at);
      const events = await db
        .selectFrom("dossier_events")
        .select(["action", "data", "from_status", "to_status"])
        .where("dossier_id", "=", atOldHongGai.id)
        .where("action", "=", "reorganisation_handover")
        .execute();
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ from_status: "supplement_requested", to_status: "supplement_requested" });
      expect(events[0]!.data).toMatchObject({ from: OLD_HONG_GAI, to: newHongGai, rule: "only_successor" });

      // By address.
      const byAddress = await db
        .selectFrom("dossiers")
        .select(["agency_code", "due_at"])
        .where("id", "=", openAtCity[0]!.id)
        .executeTakeFirstOrThrow();
      expect(byAddress.agency_code).toBe(newHongGai);
      expect(byAddress.due_at).toEqual(openAtCity[0]!.due_at);

      // Queued: still at the city until a service-centre clerk chooses.
      const queue = await pendingChoices(db);
      expect(queue.map((q) => q.dossierId).sort()).toEqual([openAtCity[1]!.id, openAtCity[2]!.id].sort());
      expect(queue[0]!.candidates.map((c) => c.code)).toContain(wardHaLong);
      expect(queue[0]!.candidates.length).toBeGreaterThan(10);

      // Procedures follow the district's work to its seat, at commune level; staff too.
      const cityProcedures = await db
        .selectFrom("procedures")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("agency_code", "in", [HA_LONG_CITY, OLD_HONG_GAI])
        .executeTakeFirstOrThrow();
      expect(Number(cityProcedures.n)).toBe(0);
      const districtProcedures = await db
        .selectFrom("procedures")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("level", "=", "district")
        .executeTakeFirstOrThrow();
      expect(Number(districtProcedures.n)).toBe(0);
      const wardProcedures = await db
        .selectFrom("procedures")
        .select(["level"])
        .where("agency_code", "=", wardHaLong)
        .execute();
      expect(wardProcedures.length).toBeGreaterThan(10);
      expect(new Set(wardProcedures.map((p) => p.level))).toEqual(new Set(["commune"]));
      const staff = await db
        .selectFrom("users")
        .select(["username", "agency_code"])
        .where("username", "in", ["canbo.halong", "lanhdao.halong", "canbo.honggai"])
        .orderBy("username")
        .execute();
      expect(staff).toEqual([
        { username: "canbo.halong", agency_code: wardHaLong },
        { username: "canbo.honggai", agency_code: newHongGai },
        { username: "lanhdao.halong", agency_code: wardHaLong },
      ]);

      // 2025's first quarter still rolls up by the units (and levels) of its time: finished dossiers do not move.
      const after = await countMetrics(
        db,
        { from: "2025-01-01", to: "2025-03-31" },
        { agencyCodes: null, level: "commune" },
        BEFORE,
      );
      const ended = (m: typeof after) => m.resolvedEarly + m.resolvedOnTime + m.resolvedLate;
      expect(ended(closedCommune2025)).toBe(2);
      expect(ended(after)).toBe(ended(closedCommune2025));

      // Twice: nothing more happens.
      const auditBefore = await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      const second = await applyReorganisation(db, REFORM_2025.code, { userId: admin.id, role: "admin" }, AFTER);
      expect(second.applied).toBe(false);
      expect(second.summary).toEqual(first.summary);
      const auditAfter = await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow();
      expect(auditAfter.n).toBe(auditBefore.n);
      const [listed] = await listReorganisations(db);
      expect(listed).toMatchObject({ code: REFORM_2025.code, abolished: 184, created: 54, pendingChoices: 2 });

      // The choice: only a clerk of the province's service centre, only among the successors.
      const centreClerk = await db
        .insertInto("users")
        .values({
          role: "clerk",
          username: "test.ttpvhcc",
          full_name: "Test",
          password_hash: "x",
          agency_code: "000.00.01.H99",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      const queued = openAtCity[1]!.id;
      await expect(
        chooseSuccessor(db, queued, wardHaLong, { userId: halongClerk.id, agencyCode: wardHaLong }, AFTER),
      ).rejects.toBeInstanceOf(ChoiceNotFoundError);
      await expect(
        chooseSuccessor(db, queued, "000.00.02.H99", { userId: centreClerk.id, agencyCode: "000.00.01.H99" }, AFTER),
      ).rejects.toBeInstanceOf(InvalidChoiceError);
      await chooseSuccessor(db, queued, wardHaLong, { userId: centreClerk.id, agencyCode: "000.00.01.H99" }, AFTER);
      await expect(
        chooseSuccessor(db, queued, wardHaLong, { userId: centreClerk.id, agencyCode: "000.00.01.H99" }, AFTER),
      ).rejects.toBeInstanceOf(ChoiceNotFoundError);
      const chosen = await db
        .selectFrom("dossiers")
        .select(["agency_code", "due_at"])
        .where("id", "=", queued)
        .executeTakeFirstOrThrow();
      expect(chosen).toEqual({ agency_code: wardHaLong, due_at: openAtCity[1]!.due_at });
      const choiceAudit = await db
        .selectFrom("audit_events")
        .select(["actor_id", "data"])
        .where("entity_id", "=", queued)
        .where("action", "=", "reorganisation_choice_made")
        .execute();
      expect(choiceAudit).toHaveLength(1);
      expect(choiceAudit[0]!.actor_id).toBe(centreClerk.id);
      // Every hand-over is in the audit trail too: by the reform (the system, for the admin who applied it) or
      // by the clerk who chose; the dossier's timeline has the same hand-over.
      const handovers = await db
        .selectFrom("audit_events")
        .select(["entity_id", "actor_id", "data"])
        .where("action", "=", "dossier_handed_over")
        .orderBy("id")
        .execute();
      const byDossier = new Map(handovers.map((h) => [h.entity_id, h]));
      expect(handovers).toHaveLength(3);
      expect(byDossier.get(atOldHongGai.id)).toMatchObject({
        actor_id: admin.id,
        data: { from: OLD_HONG_GAI, to: newHongGai, rule: "only_successor", reorganisation: REFORM_2025.code },
      });
      expect(byDossier.get(openAtCity[0]!.id)).toMatchObject({
        actor_id: admin.id,
        data: { from: HA_LONG_CITY, to: newHongGai, rule: "address" },
      });
      expect(byDossier.get(queued)).toMatchObject({
        actor_id: centreClerk.id,
        data: { from: HA_LONG_CITY, to: wardHaLong, rule: "clerk_choice" },
      });
      const chosenEvents = await db
        .selectFrom("dossier_events")
        .select(["actor_id", "actor_role", "data"])
        .where("dossier_id", "=", queued)
        .where("action", "=", "reorganisation_handover")
        .execute();
      expect(chosenEvents).toEqual([
        {
          actor_id: centreClerk.id,
          actor_role: "clerk",
          data: { from: HA_LONG_CITY, to: wardHaLong, rule: "clerk_choice", reorganisation: REFORM_2025.code },
        },
      ]);
      expect(await pendingChoices(db)).toHaveLength(1);

      const verified = await verifyAuditChains(db);
      expect(verified.ok).toBe(true);
    } finally {
      await close();
    }
  });

  it("disables the staff of a unit that ends without a successor: no sign-in, no session", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await db
        .insertInto("agencies")
        .values([
          { code: "000.00.00.T01", name_vi: "Tỉnh", name_en: "Province", level: "province", parent_code: null },
          {
            code: "000.00.31.T01",
            name_vi: "Huyện",
            name_en: "District",
            level: "district",
            parent_code: "000.00.00.T01",
            valid_to: "2025-07-01",
          },
        ])
        .execute();
      await db
        .insertInto("reorganisations")
        .values({ code: "t", effective_on: "2025-07-01", name_vi: "T", name_en: "T" })
        .execute();
      const clerk = await db
        .insertInto("users")
        .values({
          role: "clerk",
          username: "clerk.t01",
          full_name: "Clerk",
          password_hash: await hashPassword("Mat-khau-2026"),
          agency_code: "000.00.31.T01",
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await db
        .insertInto("sessions")
        .values({ id: "s-t01", user_id: clerk.id, expires_at: new Date(Date.now() + 3_600_000) })
        .execute();
      expect(await verifyLogin(db, "clerk.t01", "Mat-khau-2026")).not.toBeNull();
      const result = await applyReorganisation(db, "t", { userId: null, role: "system" }, AFTER);
      expect(result.summary).toMatchObject({ abolishedUnits: 1, staffDisabled: 1, staffReassigned: 0 });
      expect(await verifyLogin(db, "clerk.t01", "Mat-khau-2026")).toBeNull();
      expect(await db.selectFrom("sessions").select("id").where("user_id", "=", clerk.id).execute()).toEqual([]);
      const audit = await db.selectFrom("audit_events").select("action").where("entity_id", "=", clerk.id).execute();
      expect(audit.map((a) => a.action)).toEqual(["staff_disabled"]);
    } finally {
      await close();
    }
  });
});
