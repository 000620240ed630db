/** Draft, submission and ownership on both databases, with real concurrency. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { NotOwnerError } from "../../domain/dossier/dossier-errors.ts";
import type { Database } from "../db.server.ts";
import { registerCitizen } from "../users/account-service.server.ts";
import {
  createDraft,
  IncompleteDossierError,
  knownContact,
  saveDraft,
  submitDossier,
} from "./dossier-service.server.ts";

const CONTACT = { phone: "0912 345 678", address: "Số 1 Trần Hưng Đạo, Hạ Long", delivery: "online", postal: "" };

const pdf = () => new File([new TextEncoder().encode("%PDF-1.4 test")], "to-khai.pdf", { type: "application/pdf" });
const NOW = new Date("2025-03-10T03:00:00Z"); // Mon 10:00 in Vietnam

describe.each(testTargets())("dossier submission on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let citizen: { id: string; nationalId: string; fullName: string; email: null };
  let other: { id: string; nationalId: string; fullName: string; email: null };

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    process.env.STORAGE_DIR = `${process.env.TMPDIR ?? "/tmp"}/portal-test-uploads`;
    await db
      .insertInto("agencies")
      .values({
        code: "000.00.31.H99",
        name_vi: "UBND TP Hạ Long",
        name_en: "Ha Long",
        level: "district",
        parent_code: null,
      })
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
        agency_code: "000.00.31.H99",
        processing_amount: 3,
        processing_unit: "working_days",
        online_kind: "full",
        documents: JSON.stringify([{ nameVi: "Tờ khai", nameEn: "Form", required: true }]),
        form: JSON.stringify([{ name: "childName", type: "text", required: true, labelVi: "Họ tên", labelEn: "Name" }]),
      })
      .execute();
    const a = await registerCitizen(db, {
      nationalId: "022090000201",
      fullName: "Chủ Hồ Sơ",
      password: "MatKhau2026x",
    });
    const b = await registerCitizen(db, {
      nationalId: "022090000202",
      fullName: "Người Khác",
      password: "MatKhau2026x",
    });
    citizen = { id: a.id, nationalId: "022090000201", fullName: "Chủ Hồ Sơ", email: null };
    other = { id: b.id, nationalId: "022090000202", fullName: "Người Khác", email: null };
  });
  afterAll(async () => {
    await close();
  });

  it("refuses to submit an incomplete draft and says what is missing", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    const err = await submitDossier(db, citizen.id, id, NOW).catch((e) => e);
    expect(err).toBeInstanceOf(IncompleteDossierError);
    expect(err.fieldErrors).toEqual({
      childName: "validation:dossierForm.required",
      "contact-phone": "validation:contact.phoneRequired",
      "contact-address": "validation:contact.addressRequired",
      "contact-delivery": "validation:contact.delivery",
    });
    expect(err.missingDocuments).toEqual([0]);
  });

  it("submits exactly once under concurrent double submission", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    await saveDraft(
      db,
      citizen.id,
      id,
      {
        answers: { childName: "Bé An" },
        uploads: [{ documentIndex: 0, file: pdf() }],
        removeAttachmentIds: [],
        documentCount: 1,
        contact: CONTACT,
      },
      NOW,
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => submitDossier(db, citizen.id, id, NOW)));
    const codes = new Set(results.map((r) => r.code));
    expect(codes.size).toBe(1);
    expect(results.filter((r) => !r.alreadySubmitted)).toHaveLength(1);
    expect([...codes][0]).toMatch(/^000\.00\.31\.H99-250310-\d{4}$/);
    const events = await db
      .selectFrom("dossier_events")
      .select("action")
      .where("dossier_id", "=", id)
      .where("action", "=", "submit")
      .execute();
    expect(events).toHaveLength(1);
  });

  it("issues unique codes to many dossiers submitted at once", async () => {
    const ids = await Promise.all(
      Array.from({ length: 8 }, () => createDraft(db, citizen, "1.001193", NOW).then((r) => r.id)),
    );
    for (const id of ids) {
      await saveDraft(
        db,
        citizen.id,
        id,
        {
          answers: { childName: "Bé" },
          uploads: [{ documentIndex: 0, file: pdf() }],
          removeAttachmentIds: [],
          documentCount: 1,
          contact: CONTACT,
        },
        NOW,
      );
    }
    const results = await Promise.all(ids.map((id) => submitDossier(db, citizen.id, id, NOW)));
    expect(new Set(results.map((r) => r.code)).size).toBe(8);
  });

  it("never lets another citizen read, save or submit someone's dossier", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    await expect(
      saveDraft(
        db,
        other.id,
        id,
        { answers: { childName: "x" }, uploads: [], removeAttachmentIds: [], documentCount: 1 },
        NOW,
      ),
    ).rejects.toBeInstanceOf(NotOwnerError);
    await expect(submitDossier(db, other.id, id, NOW)).rejects.toBeInstanceOf(NotOwnerError);
  });

  it("keeps valid answers and refuses a disguised file when saving", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    const fake = new File([new TextEncoder().encode("MZ not a pdf")], "virus.pdf", { type: "application/pdf" });
    const r = await saveDraft(
      db,
      citizen.id,
      id,
      {
        answers: { childName: "Giữ Lại" },
        uploads: [{ documentIndex: 0, file: fake }],
        removeAttachmentIds: [],
        documentCount: 1,
      },
      NOW,
    );
    expect(r.uploadProblems).toEqual([{ documentIndex: 0, problem: "type" }]);
    const row = await db.selectFrom("dossiers").select("form_data").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.form_data).toEqual({ childName: "Giữ Lại" });
    const files = await db.selectFrom("dossier_attachments").select("id").where("dossier_id", "=", id).execute();
    expect(files).toHaveLength(0);
  });

  it("keeps a mistyped phone number as typed, reports it, and submits only with a mobile number and, by post, an address", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    // Later than the other tests' drafts: this one is the latest the citizen gave.
    const LATER = new Date(NOW.getTime() + 60_000);
    const base = {
      answers: { childName: "Bé Liên Hệ" },
      uploads: [{ documentIndex: 0, file: pdf() }],
      removeAttachmentIds: [],
      documentCount: 1,
    };
    const bad = await saveDraft(
      db,
      citizen.id,
      id,
      { ...base, contact: { phone: "012 345", address: "Hạ Long", delivery: "post", postal: "" } },
      LATER,
    );
    expect(bad.fieldErrors).toEqual({ "contact-phone": "validation:contact.phone" });
    const saved = await db
      .selectFrom("dossiers")
      .select(["applicant_phone", "contact_address", "delivery_method", "postal_address"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(saved).toEqual({
      applicant_phone: "012 345",
      contact_address: "Hạ Long",
      delivery_method: "post",
      postal_address: null,
    });
    const refused = await submitDossier(db, citizen.id, id, LATER).catch((e) => e);
    expect(refused).toBeInstanceOf(IncompleteDossierError);
    expect(refused.fieldErrors).toEqual({
      "contact-phone": "validation:contact.phone",
      "contact-postal": "validation:contact.postalRequired",
    });
    // A delivery method that is not one of the three is refused and the one chosen before stays.
    const odd = await saveDraft(db, citizen.id, id, { ...base, uploads: [], contact: { delivery: "drone" } }, LATER);
    expect(odd.fieldErrors).toEqual({ "contact-delivery": "validation:contact.delivery" });
    expect(odd.contact.delivery).toBe("post");
    await saveDraft(
      db,
      citizen.id,
      id,
      { ...base, uploads: [], contact: { phone: "+84 912.345.678", postal: "Số 3, phố Cột Đồng Hồ, Hạ Long" } },
      LATER,
    );
    expect((await submitDossier(db, citizen.id, id, LATER)).code).toMatch(/^000\.00\.31\.H99-/);
    const filed = await db
      .selectFrom("dossiers")
      .select(["applicant_phone", "postal_address"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(filed).toEqual({ applicant_phone: "0912345678", postal_address: "Số 3, phố Cột Đồng Hồ, Hạ Long" });
  });

  it("prefills a new draft with the contact details the citizen gave last time", async () => {
    const { id } = await createDraft(db, citizen, "1.001193", NOW);
    const row = await db
      .selectFrom("dossiers")
      .select(["applicant_phone", "contact_address", "delivery_method", "postal_address"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      applicant_phone: "0912345678",
      contact_address: "Hạ Long",
      delivery_method: "post",
      postal_address: "Số 3, phố Cột Đồng Hồ, Hạ Long",
    });
    expect(await knownContact(db, other.id)).toEqual({ phone: null, address: null, delivery: null, postal: null });
  });
});
