/** The clerk workflow on both databases: deadlines, supplements, outcome, audit, and real concurrency. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { vnDateTime } from "../../domain/calendar/working-calendar.ts";
import {
  ActorNotAllowedError,
  StaleVersionError,
  TransitionNotAllowedError,
} from "../../domain/dossier/dossier-errors.ts";
import type { Database } from "../db.server.ts";
import { registerCitizen } from "../users/account-service.server.ts";
import { createDraft, saveDraft, submitDossier } from "./dossier-service.server.ts";
import { actOnDossier } from "./workflow-service.server.ts";

const AGENCY = "000.00.31.H99";

describe.each(testTargets())("clerk workflow on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let citizenId: string;
  const clerk = { role: "clerk" as const, userId: "", agencyCode: AGENCY };
  const otherClerk = { role: "clerk" as const, userId: "", agencyCode: "000.00.32.H99" };

  async function submitted(at: Date) {
    const { id } = await createDraft(
      db,
      { id: citizenId, nationalId: "022090000301", fullName: "Công Dân", email: null },
      "1.001193",
      at,
    );
    await saveDraft(
      db,
      citizenId,
      id,
      {
        answers: { childName: "Bé" },
        uploads: [],
        removeAttachmentIds: [],
        documentCount: 0,
        contact: { phone: "0912345678", address: "Hạ Long", delivery: "counter" },
      },
      at,
    );
    await submitDossier(db, citizenId, id, at);
    return id;
  }
  async function version(id: string) {
    return (await db.selectFrom("dossiers").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
  }

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    await db
      .insertInto("agencies")
      .values([
        { code: AGENCY, name_vi: "UBND TP Hạ Long", name_en: "Ha Long", level: "district", parent_code: null },
        {
          code: "000.00.32.H99",
          name_vi: "UBND TP Móng Cái",
          name_en: "Mong Cai",
          level: "district",
          parent_code: null,
        },
      ])
      .execute();
    await db.insertInto("fields").values({ code: "ho-tich", name_vi: "Hộ tịch", name_en: "Civil status" }).execute();
    await db
      .insertInto("procedures")
      .values({
        code: "1.001193",
        name_vi: "Đăng ký khai sinh",
        name_en: "Birth registration",
        field_code: "ho-tich",
        level: "district",
        agency_code: AGENCY,
        processing_amount: 10,
        processing_unit: "working_days",
        online_kind: "full",
        documents: JSON.stringify([]),
        form: JSON.stringify([{ name: "childName", type: "text", required: true, labelVi: "Tên", labelEn: "Name" }]),
      })
      .execute();
    citizenId = (
      await registerCitizen(db, { nationalId: "022090000301", fullName: "Công Dân", password: "MatKhau2026x" })
    ).id;
    const staff = await db
      .insertInto("users")
      .values([
        { role: "clerk", username: "c1", full_name: "Clerk", password_hash: "x", agency_code: AGENCY },
        { role: "clerk", username: "c2", full_name: "Other", password_hash: "x", agency_code: "000.00.32.H99" },
      ])
      .returning("id")
      .execute();
    clerk.userId = staff[0]?.id ?? "";
    otherClerk.userId = staff[1]?.id ?? "";
  });
  afterAll(async () => {
    await close();
  });

  it("walks docs/domain.md example 6: receive, supplement pause, answer, resolve on time", async () => {
    const id = await submitted(vnDateTime("2025-03-03", 8 * 60 + 30));
    let v = await version(id);
    ({ version: v } = await actOnDossier(
      db,
      id,
      { action: "receive", expectedVersion: v },
      clerk,
      vnDateTime("2025-03-03", 9 * 60),
    ));
    ({ version: v } = await actOnDossier(
      db,
      id,
      { action: "start_processing", expectedVersion: v },
      clerk,
      vnDateTime("2025-03-03", 9 * 60 + 5),
    ));
    ({ version: v } = await actOnDossier(
      db,
      id,
      { action: "request_supplement", input: { missingDocuments: ["Giấy chứng sinh"] }, expectedVersion: v },
      clerk,
      vnDateTime("2025-03-05", 10 * 60),
    ));
    ({ version: v } = await actOnDossier(
      db,
      id,
      { action: "answer_supplement", expectedVersion: v },
      { role: "citizen", userId: citizenId },
      vnDateTime("2025-03-10", 10 * 60),
    ));
    let row = await db.selectFrom("dossiers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("processing");
    expect(row.due_at).toEqual(vnDateTime("2025-03-20", 17 * 60));
    expect(row.original_due_at).toEqual(vnDateTime("2025-03-17", 17 * 60));
    ({ version: v } = await actOnDossier(
      db,
      id,
      { action: "resolve", expectedVersion: v },
      clerk,
      vnDateTime("2025-03-20", 16 * 60),
    ));
    await actOnDossier(
      db,
      id,
      { action: "return_result", expectedVersion: v },
      clerk,
      vnDateTime("2025-03-21", 9 * 60),
    );
    row = await db.selectFrom("dossiers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("returned");
    expect(row.outcome).toBe("on_time");
    const events = await db
      .selectFrom("dossier_events")
      .select("action")
      .where("dossier_id", "=", id)
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      "create_draft",
      "submit",
      "receive",
      "start_processing",
      "request_supplement",
      "answer_supplement",
      "resolve",
      "return_result",
    ]);
    const notes = await db.selectFrom("notifications").select("kind").where("dossier_id", "=", id).execute();
    expect(notes).toHaveLength(6);
  });

  it("lets exactly one of two clerks acting at once win; the other is told the dossier changed", async () => {
    const id = await submitted(vnDateTime("2025-03-03", 8 * 60 + 30));
    const v = await version(id);
    const results = await Promise.allSettled([
      actOnDossier(db, id, { action: "receive", expectedVersion: v }, clerk, vnDateTime("2025-03-03", 9 * 60)),
      actOnDossier(
        db,
        id,
        { action: "refuse", input: { reason: "Thiếu giấy tờ" }, expectedVersion: v },
        clerk,
        vnDateTime("2025-03-03", 9 * 60),
      ),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(StaleVersionError);
    const events = await db
      .selectFrom("dossier_events")
      .select("action")
      .where("dossier_id", "=", id)
      .where("action", "in", ["receive", "refuse"])
      .execute();
    expect(events).toHaveLength(1);
  });

  it("refuses a clerk of another agency and an action not allowed now, changing nothing", async () => {
    const id = await submitted(vnDateTime("2025-03-03", 8 * 60 + 30));
    const v = await version(id);
    await expect(
      actOnDossier(db, id, { action: "receive", expectedVersion: v }, otherClerk, new Date()),
    ).rejects.toBeInstanceOf(ActorNotAllowedError);
    await expect(
      actOnDossier(db, id, { action: "resolve", expectedVersion: v }, clerk, new Date()),
    ).rejects.toBeInstanceOf(TransitionNotAllowedError);
    expect(await version(id)).toBe(v);
  });
});
