/**
 * A citizen's remote signing against the simulator and a real database: only a verified signature of the
 * current answers is stored (with its audit row); every failure stores nothing; changed answers drop it; the
 * metric counts it.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_SIGNING_TOKEN, type SigningSimulator, startSigningSimulator } from "../../../signing-sim/server.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import type { Database } from "../db.server.ts";
import { createDraft, saveDraft } from "../dossiers/dossier-service.server.ts";
import { publicUrl } from "../env.server.ts";
import { verifyPdf } from "../results/pades.server.ts";
import { demoCaDir } from "../results/pki.server.ts";
import { countMetrics, recountMetrics } from "../stats/stats-queries.server.ts";
import { registerCitizen } from "../users/account-service.server.ts";
import {
  citizenTrust,
  completeCitizenSigning,
  SigningRefused,
  signatureOfDossier,
  startCitizenSigning,
} from "./citizen-signing.server.ts";

const NOW = new Date("2026-11-20T03:00:00Z");

describe.each(testTargets())("citizen signing on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let sim: SigningSimulator;
  /** The simulator's clock runs this far ahead of the real one (the expired-code test). */
  let ahead = 0;
  let n = 0;
  const citizens: { id: string; fullName: string; nationalId: string }[] = [];

  /** A fresh citizen (each test its own credential: a lock does not leak into the next test). */
  async function citizen() {
    n += 1;
    const nationalId = `0220900003${String(n).padStart(2, "0")}`;
    const fullName = `Công Dân Số ${n}`;
    const r = await registerCitizen(db, { nationalId, fullName, password: "MatKhau2026x" });
    const c = { id: r.id, fullName, nationalId };
    citizens.push(c);
    return c;
  }

  async function draftOf(c: { id: string; fullName: string; nationalId: string }, childName = "Bé An") {
    const { id } = await createDraft(db, { ...c, email: null }, "1.001193", NOW);
    await saveDraft(
      db,
      c.id,
      id,
      { answers: { childName }, uploads: [], removeAttachmentIds: [], documentCount: 1 },
      NOW,
    );
    return id;
  }

  const stored = async (dossierId: string) => ({
    rows: (await db.selectFrom("dossier_signatures").select("dossier_id").where("dossier_id", "=", dossierId).execute())
      .length,
    audits: (
      await db
        .selectFrom("audit_events")
        .select("id")
        .where("entity_id", "=", dossierId)
        .where("action", "=", "sign_declaration")
        .execute()
    ).length,
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => "signed",
      (e) => (e instanceof SigningRefused ? e.problem : String(e)),
    );

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    sim = await startSigningSimulator({
      port: 0,
      caDir: demoCaDir(),
      crlUrl: `${publicUrl()}/pki/demo-ca.crl`,
      token: DEMO_SIGNING_TOKEN,
      now: () => Date.now() + ahead,
    });
    process.env.SIGNING_SERVICE_URL = sim.url;
    process.env.SIGNING_SIMULATOR = "1";
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
  });
  afterAll(async () => {
    await sim.close();
    delete process.env.SIGNING_SERVICE_URL;
    delete process.env.SIGNING_SIMULATOR;
    await close();
  });

  it("stores a verified signature of the current answers, with its audit row; changing the answers drops it", async () => {
    const c = await citizen();
    const dossierId = await draftOf(c);
    const { credentialID } = await startCitizenSigning(c);
    const signed = await completeCitizenSigning(db, c, dossierId, sim.lastOtp(credentialID) ?? "", new Date());
    expect(signed.signer).toContain(c.fullName);
    expect(await stored(dossierId)).toEqual({ rows: 1, audits: 1 });
    const verdict = await signatureOfDossier(db, dossierId);
    expect(verdict).toMatchObject({
      valid: true,
      signerName: c.fullName,
      signerNationalId: c.nationalId,
      matchesAnswers: true,
    });
    const row = await db
      .selectFrom("dossier_signatures")
      .select("pdf")
      .where("dossier_id", "=", dossierId)
      .executeTakeFirstOrThrow();
    expect(await verifyPdf(row.pdf, await citizenTrust())).toMatchObject({ ok: true, valid: true });
    // A stored file changed behind the portal's back: the clerk's verdict warns, with the reason.
    const tampered = Buffer.from(row.pdf);
    const at = tampered.indexOf(Buffer.from("/Type /Page")) + 2;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    await db.updateTable("dossier_signatures").set({ pdf: tampered }).where("dossier_id", "=", dossierId).execute();
    expect(await signatureOfDossier(db, dossierId)).toMatchObject({ valid: false, intact: false });
    await db.updateTable("dossier_signatures").set({ pdf: row.pdf }).where("dossier_id", "=", dossierId).execute();

    // Saving the same answers keeps it; other answers drop it.
    await saveDraft(
      db,
      c.id,
      dossierId,
      { answers: { childName: "Bé An" }, uploads: [], removeAttachmentIds: [], documentCount: 1 },
      NOW,
    );
    expect((await stored(dossierId)).rows).toBe(1);
    await saveDraft(
      db,
      c.id,
      dossierId,
      { answers: { childName: "Bé Bình" }, uploads: [], removeAttachmentIds: [], documentCount: 1 },
      NOW,
    );
    expect((await stored(dossierId)).rows).toBe(0);
    const dropped = await db
      .selectFrom("audit_events")
      .select("action")
      .where("entity_id", "=", dossierId)
      .where("action", "=", "signature_dropped")
      .execute();
    expect(dropped).toHaveLength(1);
  });

  it("stores nothing for a wrong code, and locks the credential after three", async () => {
    const c = await citizen();
    const dossierId = await draftOf(c);
    const { credentialID } = await startCitizenSigning(c);
    const right = sim.lastOtp(credentialID) ?? "";
    const wrong = right === "000000" ? "111111" : "000000";
    expect(await refusal(completeCitizenSigning(db, c, dossierId, wrong))).toBe("wrongOtp");
    expect(await refusal(completeCitizenSigning(db, c, dossierId, wrong))).toBe("wrongOtp");
    expect(await refusal(completeCitizenSigning(db, c, dossierId, wrong))).toBe("locked");
    expect(await refusal(completeCitizenSigning(db, c, dossierId, right))).toBe("locked");
    expect(await refusal(startCitizenSigning(c))).toBe("locked");
    expect(await refusal(completeCitizenSigning(db, c, dossierId, "12ab"))).toBe("otpFormat");
    expect(await stored(dossierId)).toEqual({ rows: 0, audits: 0 });
  });

  it("stores nothing for an expired code", async () => {
    const c = await citizen();
    const dossierId = await draftOf(c);
    const { credentialID } = await startCitizenSigning(c);
    const otp = sim.lastOtp(credentialID) ?? "";
    ahead = 6 * 60_000;
    try {
      expect(await refusal(completeCitizenSigning(db, c, dossierId, otp))).toBe("otpExpired");
    } finally {
      ahead = 0;
    }
    expect(await stored(dossierId)).toEqual({ rows: 0, audits: 0 });
  });

  it("stores nothing when the certificate was revoked: the signature is made but does not verify", async () => {
    const c = await citizen();
    const dossierId = await draftOf(c);
    const { credentialID } = await startCitizenSigning(c);
    sim.revoke(credentialID, new Date(Date.now() - 60_000));
    expect(await refusal(completeCitizenSigning(db, c, dossierId, sim.lastOtp(credentialID) ?? ""))).toBe(
      "notVerified",
    );
    expect(await stored(dossierId)).toEqual({ rows: 0, audits: 0 });
  });

  it("stores nothing when the answers change while signing", async () => {
    const c = await citizen();
    const dossierId = await draftOf(c);
    const { credentialID } = await startCitizenSigning(c);
    const problem = await refusal(
      completeCitizenSigning(db, c, dossierId, sim.lastOtp(credentialID) ?? "", new Date(), {
        async verify(pdf) {
          await saveDraft(
            db,
            c.id,
            dossierId,
            { answers: { childName: "Khác" }, uploads: [], removeAttachmentIds: [], documentCount: 1 },
            NOW,
          );
          return verifyPdf(pdf, await citizenTrust());
        },
      }),
    );
    expect(problem).toBe("changed");
    expect(await stored(dossierId)).toEqual({ rows: 0, audits: 0 });
  });

  it("counts received dossiers signed by the citizen, the same from rollups and from rows, per scope", async () => {
    const c = await citizen();
    const signedId = await draftOf(c, "Bé Có Ký");
    const plainId = await draftOf(c, "Bé Không Ký");
    const { credentialID } = await startCitizenSigning(c);
    await completeCitizenSigning(db, c, signedId, sim.lastOtp(credentialID) ?? "", new Date());
    const receivedAt = new Date("2026-11-20T03:00:00Z");
    for (const [i, id] of [signedId, plainId].entries())
      await db
        .updateTable("dossiers")
        .set({
          code: `000.00.31.H99-261120-090${i}`,
          status: "received",
          received_at: receivedAt,
          submitted_at: receivedAt,
          due_at: new Date("2026-11-25T10:00:00Z"),
        })
        .where("id", "=", id)
        .execute();
    const period = { from: "2026-11-01", to: "2026-11-30" };
    const scope = { agencyCodes: ["000.00.31.H99"] };
    const counts = await countMetrics(db, period, scope, new Date("2026-12-01T00:00:00Z"));
    expect(counts.citizenSigned).toBe(1);
    expect(counts.received).toBeGreaterThanOrEqual(2);
    expect((await recountMetrics(db, period, scope, new Date("2026-12-01T00:00:00Z"))).citizenSigned).toBe(1);
    expect((await countMetrics(db, period, { agencyCodes: ["nowhere"] })).citizenSigned).toBe(0);
    expect((await countMetrics(db, { from: "2026-10-01", to: "2026-10-31" }, scope)).citizenSigned).toBe(0);
  });
});
