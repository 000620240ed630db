/**
 * Every workflow action (receive, refuse, request supplement, process, resolve, return, stop,
 * withdraw, answer supplement, transfer, payment, fee waiver) is one transaction: lock the row, check the version
 * the user saw, decide with the pure workflow, apply the clock, write the change, its audit event and
 * the citizen's notification together — or nothing at all.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import { type DeadlineUnit, toVnDateString, type WorkingCalendar } from "../../domain/calendar/working-calendar.ts";
import type { DossierAction, DossierStatus } from "../../domain/dossier/dossier.ts";
import { type ApologyProblem, checkApology, clockChanges } from "../../domain/dossier/dossier-clock.ts";
import { formatDossierCode } from "../../domain/dossier/dossier-code.ts";
import { StaleVersionError } from "../../domain/dossier/dossier-errors.ts";
import { type Actor, type DossierCommandInput, decide } from "../../domain/dossier/dossier-workflow.ts";
import type { DeliveryMethod } from "../../utils/contact.ts";
import { recordAudit } from "../audit.server.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { checkUpload, cleanFileName, type FileProblem, storeBytes } from "../files/file-store.server.ts";
import { notifyApplicant } from "../jobs/queue.server.ts";
import { feeStatusTx, refundFeeOfEndedDossier } from "../payments/payment-ledger.server.ts";
import { issueResult } from "../results/result-issue.server.ts";
import { lockDossier, nextDossierSequence } from "./dossier-queries.server.ts";
import { DossierNotFoundError, writeEvent } from "./dossier-service.server.ts";

/** Actions whose outcome depends on the dossier's fee. */
const FEE_ACTIONS: ReadonlySet<DossierAction> = new Set(["resolve", "return_result", "request_payment", "waive_fee"]);

export type WorkflowCommand = { action: DossierAction; input?: DossierCommandInput; expectedVersion: number };

export async function actOnDossier(
  db: Kysely<Database>,
  dossierId: string,
  command: WorkflowCommand,
  actor: Actor,
  now: Date,
  /** More writes that belong to the same change (e.g. the files of a supplement), in its transaction. */
  alsoWrite?: (trx: Transaction<Database>) => Promise<void>,
): Promise<{ status: DossierStatus; version: number }> {
  const calendar = await getCalendar(db);
  return db.transaction().execute((trx) => applyAction(trx, calendar, dossierId, command, actor, now, alsoWrite));
}

/** The body of `actOnDossier`, for callers that already hold a transaction (e.g. a payment's IPN). */
export async function applyAction(
  trx: Transaction<Database>,
  calendar: WorkingCalendar,
  dossierId: string,
  command: WorkflowCommand,
  actor: Actor,
  now: Date,
  alsoWrite?: (trx: Transaction<Database>) => Promise<void>,
): Promise<{ status: DossierStatus; version: number }> {
  {
    const row = await lockDossier(trx, dossierId);
    if (!row) throw new DossierNotFoundError();
    if (row.version !== command.expectedVersion) throw new StaleVersionError(command.expectedVersion, row.version);
    // The fee matters to giving a result and to asking for or waiving it (issue 16).
    const fee = FEE_ACTIONS.has(command.action) ? await feeStatusTx(trx, row) : undefined;
    const decision = decide(
      {
        status: row.status as DossierStatus,
        agencyCode: row.agency_code,
        applicantId: row.applicant_id ?? "",
        receivedAt: row.received_at,
        version: row.version,
        ...(fee ? { fee } : {}),
      },
      { action: command.action, input: command.input, expectedVersion: command.expectedVersion },
      actor,
      now,
    );
    const procedure = await trx
      .selectFrom("procedures")
      .select(["processing_amount", "processing_unit"])
      .where("code", "=", row.procedure_code)
      .executeTakeFirstOrThrow();
    const clock = clockChanges(
      {
        receivedAt: row.received_at,
        dueAt: row.due_at,
        pausedAt: row.paused_at,
        pausedMinutes: row.paused_minutes,
        supplementsAfterReceipt: row.supplements_after_receipt,
      },
      command.action,
      { amount: procedure.processing_amount, unit: procedure.processing_unit as DeadlineUnit },
      calendar,
      now,
    );
    const version = row.version + 1;
    await trx
      .updateTable("dossiers")
      .set({
        status: decision.nextStatus,
        version,
        updated_at: now,
        ...(decision.changes.agencyCode ? { agency_code: decision.changes.agencyCode } : {}),
        ...(clock.receivedAt ? { received_at: clock.receivedAt } : {}),
        ...(clock.dueAt ? { due_at: clock.dueAt } : {}),
        ...(clock.originalDueAt ? { original_due_at: clock.originalDueAt } : {}),
        ...("pausedAt" in clock ? { paused_at: clock.pausedAt ?? null } : {}),
        ...(clock.pausedMinutes !== undefined ? { paused_minutes: clock.pausedMinutes } : {}),
        ...(clock.supplementsAfterReceipt !== undefined
          ? { supplements_after_receipt: clock.supplementsAfterReceipt }
          : {}),
        ...(clock.resolvedAt ? { resolved_at: clock.resolvedAt } : {}),
        ...(clock.returnedAt ? { returned_at: clock.returnedAt } : {}),
        ...(clock.endedAt ? { ended_at: clock.endedAt } : {}),
        ...(clock.outcome ? { outcome: clock.outcome } : {}),
        ...(command.action === "waive_fee"
          ? { fee_waived_at: now, fee_waived_by: actor.userId, fee_waive_reason: decision.event.reason ?? null }
          : {}),
      })
      .where("id", "=", dossierId)
      .execute();
    await writeEvent(trx, dossierId, decision, decision.changes.agencyCode ?? row.agency_code);
    if (command.action === "return_result") await issueResult(trx, dossierId, now);
    if (command.action === "stop" || command.action === "withdraw" || command.action === "refuse") {
      // A fee paid online for a dossier that will not be resolved is refunded through the gateway.
      await refundFeeOfEndedDossier(trx, dossierId, now);
    }
    if (command.action === "waive_fee") {
      await recordAudit(trx, {
        actorId: actor.userId,
        action: "fee_waived",
        entity: "dossier",
        entityId: dossierId,
        data: { reason: decision.event.reason, feeVnd: fee?.feeVnd ?? row.fee_vnd },
      });
    }
    await alsoWrite?.(trx);
    if (row.applicant_id) {
      await notifyApplicant(trx, {
        userId: row.applicant_id,
        dossierId: dossierId,
        kind: "status_changed",
        data: { code: row.code, status: decision.nextStatus, action: command.action },
        now: now,
      });
    }
    return { status: decision.nextStatus, version };
  }
}

/** Staff views are recorded for the citizen's "who looked at my dossier" list. */
export async function recordStaffView(
  db: Kysely<Database>,
  dossierId: string,
  viewer: { id: string; role: string; agencyCode: string | null },
  action: "open" | "download",
): Promise<void> {
  await db
    .insertInto("dossier_views")
    .values({
      dossier_id: dossierId,
      viewer_id: viewer.id,
      viewer_role: viewer.role,
      agency_code: viewer.agencyCode,
      action,
    })
    .execute();
}

export async function clerkQueue(
  db: Kysely<Database>,
  agencyCode: string,
  filters: { status?: string; procedure?: string; channel?: string; q?: string },
) {
  // One search box: a dossier code (or its start), an ID number (exact) or part of the applicant's name,
  // without accents or case ("nguyen van" finds "Nguyễn Văn").
  const q = filters.q?.trim() ?? "";
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (
    db
      .selectFrom("dossiers as d")
      .innerJoin("procedures as p", "p.code", "d.procedure_code")
      .leftJoin("users as c", "c.id", "d.claimed_by")
      .select([
        "d.id",
        "d.code",
        "d.status",
        "d.channel",
        "d.applicant_name",
        "c.full_name as claimed_by_name",
        "d.submitted_at",
        "d.received_at",
        "d.due_at",
        "d.procedure_code",
        "p.name_vi",
        "p.name_en",
      ])
      .where("d.agency_code", "=", agencyCode)
      .where("d.status", "in", [
        "submitted",
        "received",
        "processing",
        "supplement_requested",
        "payment_requested",
        "resolved",
      ])
      .$if(Boolean(filters.status), (q) => q.where("d.status", "=", filters.status ?? ""))
      .$if(Boolean(filters.procedure), (q) => q.where("d.procedure_code", "=", filters.procedure ?? ""))
      .$if(Boolean(filters.channel), (q) => q.where("d.channel", "=", filters.channel ?? ""))
      .$if(q !== "", (qb) =>
        qb.where((eb) =>
          eb.or([
            eb(sql`upper(d.code)`, "like", `${q.toUpperCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`),
            eb("d.applicant_national_id", "=", q),
            eb(sql`portal_unaccent(d.applicant_name)`, "like", sql<string>`portal_unaccent(${like})`),
          ]),
        ),
      )
      // Risk order: overdue first, then the soonest due; not-yet-received dossiers by filing time.
      .orderBy((eb) => eb.fn.coalesce("d.due_at", "d.submitted_at"), "asc")
      .limit(200)
      .execute()
  );
}

export const SUPPLEMENT_DOCUMENT_INDEX = 99;

/**
 * The citizen answers a supplement request: the files are checked and stored, then attached and the
 * dossier moves on in one transaction. Files that fail the checks stop the answer (nothing changes).
 */
export async function answerSupplement(
  db: Kysely<Database>,
  citizenId: string,
  dossierId: string,
  input: { files: File[]; note: string; expectedVersion: number },
  now: Date,
): Promise<{ problems: FileProblem[] }> {
  const checked = await Promise.all(input.files.map(async (f) => ({ file: f, result: await checkUpload(f) })));
  const problems = checked.flatMap((c) => (c.result.ok ? [] : [c.result.problem]));
  if (problems.length > 0) return { problems };
  if (checked.length === 0) return { problems: ["empty"] };
  const stored: Array<{ name: string; sha256: string; mime: string; size: number }> = [];
  for (const c of checked) {
    if (!c.result.ok) continue;
    stored.push({
      name: cleanFileName(c.file.name),
      sha256: await storeBytes(c.result.bytes),
      mime: c.result.mimeType,
      size: c.file.size,
    });
  }
  await actOnDossier(
    db,
    dossierId,
    {
      action: "answer_supplement",
      input: { reason: input.note.trim() || undefined },
      expectedVersion: input.expectedVersion,
    },
    { role: "citizen", userId: citizenId },
    now,
    async (trx) => {
      for (const f of stored) {
        await trx
          .insertInto("dossier_attachments")
          .values({
            dossier_id: dossierId,
            document_index: SUPPLEMENT_DOCUMENT_INDEX,
            file_name: f.name,
            mime_type: f.mime,
            size_bytes: f.size,
            sha256: f.sha256,
            uploaded_by: citizenId,
            created_at: now,
          })
          .execute();
      }
    },
  );
  return { problems: [] };
}

export const SCAN_DOCUMENT_INDEX = 98;

/**
 * Intake at the counter or by post: the clerk registers a paper dossier, which starts directly in
 * `received` (docs/domain.md#statuses) with its code and deadline, and the scanned documents attached. If the
 * applicant has an account, the dossier appears in their "My dossiers".
 */
export async function intakeDossier(
  db: Kysely<Database>,
  clerk: { id: string; agencyCode: string },
  input: {
    procedureCode: string;
    channel: "counter" | "postal";
    nationalId: string;
    fullName: string;
    phone?: string | undefined;
    contactAddress?: string | undefined;
    deliveryMethod?: DeliveryMethod;
    postalAddress?: string | undefined;
    scans: File[];
  },
  now: Date,
): Promise<{ id: string; code: string } | { problems: FileProblem[] }> {
  const checked = await Promise.all(input.scans.map(async (f) => ({ file: f, result: await checkUpload(f) })));
  const problems = checked.flatMap((c) => (c.result.ok ? [] : [c.result.problem]));
  if (problems.length > 0) return { problems };
  const stored: Array<{ name: string; sha256: string; mime: string; size: number }> = [];
  for (const c of checked) {
    if (c.result.ok)
      stored.push({
        name: cleanFileName(c.file.name),
        sha256: await storeBytes(c.result.bytes),
        mime: c.result.mimeType,
        size: c.file.size,
      });
  }
  const calendar = await getCalendar(db);
  return db.transaction().execute(async (trx) => {
    const procedure = await trx
      .selectFrom("procedures")
      .select(["code", "agency_code", "fee_vnd", "processing_amount", "processing_unit"])
      .where("code", "=", input.procedureCode)
      .where("agency_code", "=", clerk.agencyCode)
      .where("active", "=", true)
      .executeTakeFirst();
    if (!procedure) throw new DossierNotFoundError();
    const applicant = await trx
      .selectFrom("users")
      .select("id")
      .where("national_id", "=", input.nationalId)
      .executeTakeFirst();
    const clock = clockChanges(
      { receivedAt: null, dueAt: null, pausedAt: null, pausedMinutes: 0, supplementsAfterReceipt: 0 },
      "receive",
      { amount: procedure.processing_amount, unit: procedure.processing_unit as DeadlineUnit },
      calendar,
      now,
    );
    const day = toVnDateString(now);
    const code = formatDossierCode(clerk.agencyCode, day, await nextDossierSequence(trx, clerk.agencyCode, day));
    const created = await trx
      .insertInto("dossiers")
      .values({
        code,
        procedure_code: procedure.code,
        agency_code: clerk.agencyCode,
        receiving_agency_code: clerk.agencyCode,
        applicant_id: applicant?.id ?? null,
        applicant_national_id: input.nationalId,
        applicant_name: input.fullName,
        applicant_phone: input.phone ?? null,
        contact_address: input.contactAddress ?? null,
        delivery_method: input.deliveryMethod ?? "counter",
        postal_address: input.deliveryMethod === "post" ? (input.postalAddress ?? null) : null,
        channel: input.channel,
        status: "received",
        fee_vnd: procedure.fee_vnd,
        submitted_at: now,
        received_at: clock.receivedAt ?? now,
        due_at: clock.dueAt ?? null,
        original_due_at: clock.originalDueAt ?? null,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await writeEvent(
      trx,
      created.id,
      {
        event: {
          at: now,
          actorId: clerk.id,
          actorRole: "clerk",
          action: "intake",
          fromStatus: null,
          toStatus: "received",
          data: { channel: input.channel, scans: stored.length },
        },
      },
      clerk.agencyCode,
    );
    for (const f of stored) {
      await trx
        .insertInto("dossier_attachments")
        .values({
          dossier_id: created.id,
          document_index: SCAN_DOCUMENT_INDEX,
          file_name: f.name,
          mime_type: f.mime,
          size_bytes: f.size,
          sha256: f.sha256,
          uploaded_by: clerk.id,
          created_at: now,
        })
        .execute();
    }
    if (applicant) {
      await notifyApplicant(trx, {
        userId: applicant.id,
        dossierId: created.id,
        kind: "status_changed",
        data: { code, status: "received", action: "intake" },
        now: now,
      });
    }
    return { id: created.id, code };
  });
}

export class ApologyRefusedError extends Error {
  override name = "ApologyRefusedError";
  constructor(readonly problem: ApologyProblem) {
    super(`apology refused: ${problem}`);
  }
}

/**
 * Apology and new appointment (form 04), one transaction: the letter, its audit event and the
 * citizen's notification. The status does not change and the original due date stays the one the
 * outcome is measured against.
 */
export async function recordApology(
  db: Kysely<Database>,
  dossierId: string,
  clerk: { id: string; agencyCode: string },
  input: { reason: string; newDueAt: Date; expectedVersion: number },
  now: Date,
): Promise<void> {
  const calendar = await getCalendar(db);
  await db.transaction().execute(async (trx) => {
    const row = await lockDossier(trx, dossierId);
    if (!row) throw new DossierNotFoundError();
    if (row.version !== input.expectedVersion) throw new StaleVersionError(input.expectedVersion, row.version);
    if (row.agency_code !== clerk.agencyCode) throw new DossierNotFoundError();
    const existing = await trx
      .selectFrom("dossier_apologies")
      .select("id")
      .where("dossier_id", "=", dossierId)
      .executeTakeFirst();
    const problem = checkApology(
      { status: row.status, dueAt: row.due_at, alreadyApologised: Boolean(existing), newDueAt: input.newDueAt },
      calendar,
      now,
    );
    if (problem) throw new ApologyRefusedError(problem);
    await trx
      .insertInto("dossier_apologies")
      .values({
        dossier_id: dossierId,
        reason: input.reason,
        new_due_at: input.newDueAt,
        created_by: clerk.id,
        created_at: now,
      })
      .execute();
    await trx
      .updateTable("dossiers")
      .set({ version: row.version + 1, updated_at: now })
      .where("id", "=", dossierId)
      .execute();
    await writeEvent(
      trx,
      dossierId,
      {
        event: {
          at: now,
          actorId: clerk.id,
          actorRole: "clerk",
          action: "apologise",
          fromStatus: row.status,
          toStatus: row.status,
          reason: input.reason,
          data: { newDueAt: input.newDueAt.toISOString(), originalDueAt: row.due_at?.toISOString() },
        },
      },
      row.agency_code,
    );
    if (row.applicant_id) {
      await notifyApplicant(trx, {
        userId: row.applicant_id,
        dossierId: dossierId,
        kind: "apology",
        data: { code: row.code, status: row.status },
        now: now,
      });
    }
  });
}

export class InvalidAssigneeError extends Error {
  override name = "InvalidAssigneeError";
}

/** Claim (assign to oneself) or assign to a named clerk of the same agency; audited, version-checked. */
export async function assignDossier(
  db: Kysely<Database>,
  dossierId: string,
  clerk: { id: string; agencyCode: string },
  input: { assigneeId: string; expectedVersion: number },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await lockDossier(trx, dossierId);
    if (!row || row.agency_code !== clerk.agencyCode) throw new DossierNotFoundError();
    if (row.version !== input.expectedVersion) throw new StaleVersionError(input.expectedVersion, row.version);
    const assignee = await trx
      .selectFrom("users")
      .select(["id", "full_name"])
      .where("id", "=", input.assigneeId)
      .where("role", "=", "clerk")
      .where("agency_code", "=", clerk.agencyCode)
      .executeTakeFirst();
    if (!assignee) throw new InvalidAssigneeError();
    await trx
      .updateTable("dossiers")
      .set({ claimed_by: assignee.id, version: row.version + 1, updated_at: now })
      .where("id", "=", dossierId)
      .execute();
    await writeEvent(
      trx,
      dossierId,
      {
        event: {
          at: now,
          actorId: clerk.id,
          actorRole: "clerk",
          action: assignee.id === clerk.id ? "claim" : "assign",
          fromStatus: row.status,
          toStatus: row.status,
          data: { assigneeId: assignee.id, assigneeName: assignee.full_name },
        },
      },
      row.agency_code,
    );
  });
}

export async function clerksOfAgency(db: Kysely<Database>, agencyCode: string) {
  return db
    .selectFrom("users")
    .select(["id", "full_name"])
    .where("role", "=", "clerk")
    .where("agency_code", "=", agencyCode)
    .orderBy("full_name")
    .execute();
}
