/**
 * Some real workflow activity for the audit-chain and least-privilege tests: a citizen registers (audit
 * event), files a dossier (dossier events), a clerk opens it (dossier view), receives it and starts
 * processing, a target is set (audit event) — through the portal's own services.
 */
import type { Kysely } from "kysely";
import type { Database } from "../app/server/db.server.ts";
import { createDraft, saveDraft, submitDossier } from "../app/server/dossiers/dossier-service.server.ts";
import { actOnDossier, recordStaffView } from "../app/server/dossiers/workflow-service.server.ts";
import { registerCitizen } from "../app/server/users/account-service.server.ts";
import { insertOneProcedure, TEST_AGENCY } from "./fixtures.ts";

export type Activity = { citizenId: string; clerkId: string; dossierIds: string[] };

export async function insertCatalogueAndClerk(db: Kysely<Database>): Promise<{ clerkId: string }> {
  await insertOneProcedure(db);
  const clerk = await db
    .insertInto("users")
    .values({
      role: "clerk",
      username: "canbo.test",
      full_name: "Cán Bộ",
      password_hash: "x",
      agency_code: TEST_AGENCY,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { clerkId: clerk.id };
}

/** `dossiers` dossiers filed by one new citizen and moved by the clerk. */
export async function workflowActivity(
  db: Kysely<Database>,
  clerkId: string,
  opts: { nationalId: string; dossiers: number; start?: Date },
): Promise<Activity> {
  const citizen = await registerCitizen(db, {
    nationalId: opts.nationalId,
    fullName: "Công Dân",
    password: "MatKhau2026x",
  });
  const clerk = { role: "clerk" as const, userId: clerkId, agencyCode: TEST_AGENCY };
  const start = opts.start ?? new Date("2025-03-03T01:30:00Z");
  const dossierIds: string[] = [];
  for (let i = 0; i < opts.dossiers; i++) {
    const at = (minutes: number) => new Date(start.getTime() + (i * 60 + minutes) * 60_000);
    const { id } = await createDraft(
      db,
      { id: citizen.id, nationalId: opts.nationalId, fullName: "Công Dân", email: null },
      "1.1",
      at(0),
    );
    await saveDraft(
      db,
      citizen.id,
      id,
      {
        answers: {},
        uploads: [],
        removeAttachmentIds: [],
        documentCount: 0,
        contact: { phone: "0912345678", address: "Hạ Long", delivery: "counter" },
      },
      at(1),
    );
    await submitDossier(db, citizen.id, id, at(2));
    await recordStaffView(db, id, { id: clerkId, role: "clerk", agencyCode: TEST_AGENCY }, "open");
    const received = await actOnDossier(
      db,
      id,
      { action: "receive", expectedVersion: await version(db, id) },
      clerk,
      at(10),
    );
    await actOnDossier(db, id, { action: "start_processing", expectedVersion: received.version }, clerk, at(11));
    await recordStaffView(db, id, { id: clerkId, role: "clerk", agencyCode: TEST_AGENCY }, "open");
    dossierIds.push(id);
  }
  return { citizenId: citizen.id, clerkId, dossierIds };
}

async function version(db: Kysely<Database>, id: string): Promise<number> {
  return (await db.selectFrom("dossiers").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
}
