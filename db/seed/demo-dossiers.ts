/**
 * A few demo dossiers, made by running the REAL domain rules (intake, workflow, calendar, outcome)
 * at past moments, so the demo shows a lived-in one-stop desk: an overdue dossier with its apology,
 * one at risk, one waiting for the citizen, finished ones with signed results. Demo only.
 */
import type { Kysely } from "kysely";
import { toVnDateString, vnDateTime } from "../../app/domain/calendar/working-calendar.ts";
import { getCalendar } from "../../app/server/calendar/calendar-service.server.ts";
import { actOnDossier, intakeDossier, recordApology } from "../../app/server/dossiers/workflow-service.server.ts";
import type { DB } from "../schema.generated.ts";
import { applyDemoReform } from "./seed.ts";

type Step = {
  action: Parameters<typeof actOnDossier>[2]["action"];
  daysAgo: number;
  minute: number;
  input?: Parameters<typeof actOnDossier>[2]["input"];
};

export async function seedDemoDossiers(db: Kysely<DB>, now = new Date()): Promise<number> {
  const calendar = await getCalendar(db);
  const workingDaysAgo = (k: number): string => {
    let day = toVnDateString(now);
    for (let i = 0; i < k; i++) {
      do {
        day = new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      } while (!calendar.isWorkingDay(day));
    }
    return day;
  };
  const at = (daysAgo: number, minute: number) => vnDateTime(workingDaysAgo(daysAgo), minute);
  const users = await db
    .selectFrom("users")
    .select(["id", "username", "national_id", "full_name", "agency_code"])
    .execute();
  const user = (key: string) => {
    const u = users.find((x) => x.username === key || x.national_id === key);
    if (!u) throw new Error(`demo user ${key} missing`);
    return u;
  };
  const an = user("022090000001");
  const binh = user("022195000002");

  async function make(
    clerkName: string,
    procedureCode: string,
    applicant: typeof an,
    channel: "counter" | "postal",
    received: { daysAgo: number; minute: number },
    steps: Step[],
  ): Promise<string> {
    const clerk = user(clerkName);
    const created = await intakeDossier(
      db,
      { id: clerk.id, agencyCode: clerk.agency_code ?? "" },
      { procedureCode, channel, nationalId: applicant.national_id ?? "", fullName: applicant.full_name, scans: [] },
      at(received.daysAgo, received.minute),
    );
    if ("problems" in created) throw new Error("demo intake failed");
    for (const s of steps) {
      const { version } = await db
        .selectFrom("dossiers")
        .select("version")
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      const actor =
        s.action === "answer_supplement"
          ? { role: "citizen" as const, userId: applicant.id }
          : { role: "clerk" as const, userId: clerk.id, agencyCode: clerk.agency_code };
      await actOnDossier(
        db,
        created.id,
        { action: s.action, input: s.input, expectedVersion: version },
        actor,
        at(s.daysAgo, s.minute),
      );
    }
    return created.id;
  }

  // Overdue, with an apology written in time and a new appointment after today.
  const late = await make("canbo.halong", "1.001612", an, "counter", { daysAgo: 8, minute: 9 * 60 }, [
    { action: "start_processing", daysAgo: 8, minute: 9 * 60 + 30 },
  ]);
  const { version } = await db
    .selectFrom("dossiers")
    .select("version")
    .where("id", "=", late)
    .executeTakeFirstOrThrow();
  const halong = user("canbo.halong");
  await recordApology(
    db,
    late,
    { id: halong.id, agencyCode: halong.agency_code ?? "" },
    {
      reason: "Cần xác minh địa điểm kinh doanh với UBND phường trước khi cấp giấy chứng nhận.",
      newDueAt: vnDateTime(calendar.addWorkingDays(toVnDateString(now), 2), 17 * 60),
      expectedVersion: version,
    },
    at(7, 10 * 60),
  );
  // Due today: at risk.
  await make("canbo.halong", "1.013225", binh, "counter", { daysAgo: 15, minute: 10 * 60 }, [
    { action: "start_processing", daysAgo: 15, minute: 11 * 60 },
  ]);
  // Received by post yesterday, being processed.
  await make("canbo.halong", "2.000720", an, "postal", { daysAgo: 1, minute: 14 * 60 }, [
    { action: "start_processing", daysAgo: 1, minute: 15 * 60 },
  ]);
  // Waiting for the citizen's documents: the clock is paused.
  await make("canbo.honggai", "1.004884", binh, "counter", { daysAgo: 3, minute: 9 * 60 }, [
    { action: "start_processing", daysAgo: 3, minute: 9 * 60 + 15 },
    {
      action: "request_supplement",
      daysAgo: 2,
      minute: 10 * 60,
      input: { missingDocuments: ["Bản sao sổ hộ khẩu hoặc giấy xác nhận cư trú"] },
    },
  ]);
  // Finished on time, result returned and signed.
  await make("canbo.honggai", "1.000894", an, "counter", { daysAgo: 6, minute: 8 * 60 + 30 }, [
    { action: "start_processing", daysAgo: 6, minute: 9 * 60 },
    { action: "resolve", daysAgo: 5, minute: 11 * 60 },
    { action: "return_result", daysAgo: 4, minute: 9 * 60 },
  ]);
  // Finished late.
  await make("canbo.honggai", "1.004884", an, "counter", { daysAgo: 12, minute: 9 * 60 }, [
    { action: "start_processing", daysAgo: 12, minute: 9 * 60 + 30 },
    { action: "resolve", daysAgo: 2, minute: 16 * 60 },
    { action: "return_result", daysAgo: 1, minute: 9 * 60 },
  ]);
  return 6;
}

/** When the demo applies the 2025 reform: 08:00 on 1 July 2025 in Vietnam, its effective day (ADR 017). */
export const DEMO_REFORM_AT = new Date("2025-07-01T01:00:00Z");

export type DemoReformHistory = { handedOver: string[]; queued: string[]; applied: boolean };

/**
 * The demo's reform as it happened: dossiers filed in June 2025 at units the reform abolished, then the 2025
 * reform applied on its effective day as an event (applyDemoReform: the real reorganisation code), then the
 * work going on at the new units. Old Hồng Gai went wholly into the new ward of that name, so its two open
 * dossiers are handed over (dossier event + audit row) and finished there in July 2025. Hạ Long city was
 * divided between 13 new units and its applicant gave no address naming one, so that dossier waits in the
 * service centre's choice queue (/clerk/reorganisation, canbo.trungtam) with its deadline unchanged.
 * Only when `now` is after the reform; returns what the reform did with the dossiers.
 */
export async function seedDemoReformHistory(db: Kysely<DB>, now = new Date()): Promise<DemoReformHistory> {
  if (now < DEMO_REFORM_AT) return { handedOver: [], queued: [], applied: false };
  const vn = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+07:00`);
  const users = async () =>
    db.selectFrom("users").select(["id", "username", "national_id", "full_name", "agency_code"]).execute();
  const before = await users();
  const find = (list: typeof before, key: string) => {
    const u = list.find((x) => x.username === key || x.national_id === key);
    if (!u) throw new Error(`demo user ${key} missing`);
    return u;
  };
  const an = find(before, "022090000001");
  const binh = find(before, "022195000002");

  async function act(
    id: string,
    action: Parameters<typeof actOnDossier>[2]["action"],
    clerk: { id: string; agency_code: string | null },
    at: Date,
  ) {
    const { version } = await db
      .selectFrom("dossiers")
      .select("version")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await actOnDossier(
      db,
      id,
      { action, expectedVersion: version },
      { role: "clerk", userId: clerk.id, agencyCode: clerk.agency_code },
      at,
    );
  }
  async function intake(
    clerkName: string,
    procedureCode: string,
    applicant: typeof an,
    received: Date,
    started: Date,
  ): Promise<string> {
    const clerk = find(before, clerkName);
    const created = await intakeDossier(
      db,
      { id: clerk.id, agencyCode: clerk.agency_code ?? "" },
      {
        procedureCode,
        channel: "counter",
        nationalId: applicant.national_id ?? "",
        fullName: applicant.full_name,
        scans: [],
      },
      received,
    );
    if ("problems" in created) throw new Error("demo intake failed");
    await act(created.id, "start_processing", clerk, started);
    return created.id;
  }

  // June 2025, the 2023 structure: at Hạ Long city (a district-level unit) and at the old ward of Hồng Gai.
  const split = await intake("canbo.halong", "1.013225", an, vn("2025-06-24", "10:00"), vn("2025-06-24", "10:30"));
  const wholeA = await intake("canbo.honggai", "1.004884", binh, vn("2025-06-26", "09:00"), vn("2025-06-26", "09:20"));
  const wholeB = await intake("canbo.honggai", "1.000894", an, vn("2025-06-30", "15:00"), vn("2025-06-30", "15:10"));

  await applyDemoReform(db, DEMO_REFORM_AT);

  // July 2025: the new ward of Hồng Gai (where the reform moved canbo.honggai) finishes what it took over.
  const honggai = find(await users(), "canbo.honggai");
  await act(wholeB, "resolve", honggai, vn("2025-07-01", "10:00"));
  await act(wholeB, "return_result", honggai, vn("2025-07-01", "14:00"));
  await act(wholeA, "resolve", honggai, vn("2025-07-02", "15:00"));
  await act(wholeA, "return_result", honggai, vn("2025-07-03", "09:00"));

  const queued = await db
    .selectFrom("reorganisation_choices")
    .select("dossier_id")
    .where("dossier_id", "in", [split, wholeA, wholeB])
    .where("chosen_code", "is", null)
    .execute();
  return {
    handedOver: [wholeA, wholeB],
    queued: queued.map((q) => q.dossier_id),
    applied: true,
  };
}
