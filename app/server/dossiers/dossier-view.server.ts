/** The citizen's view of a dossier: status, clock, timeline, files, who looked, receipt QR code. */
import QRCode from "qrcode";
import type { DeadlineUnit } from "../../domain/calendar/working-calendar.ts";
import type { Language } from "../../i18n.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import { db } from "../db.server.ts";
import { apologyOf, attachmentsOf, type DossierRow, eventsOf, viewsOf } from "./dossier-queries.server.ts";
import { contactOf } from "./dossier-service.server.ts";

/**
 * The clock a citizen can read: "working day 6 of 15; 3 days paused waiting for you". Paused time
 * (supplements after reception) does not count, so the day stands still while the citizen is asked.
 */
export async function dossierClock(
  row: {
    received_at: Date | null;
    due_at: Date | null;
    processing_amount: number;
    processing_unit: string;
    paused_at?: Date | null;
    paused_minutes?: number;
    ended_at?: Date | null;
    status?: string;
  },
  now: Date,
) {
  // The clock only runs for dossiers being handled: none before reception, none once finished.
  if (!row.received_at || !row.due_at || row.ended_at || row.status === "resolved" || row.status === "returned")
    return null;
  const calendar = await getCalendar(db);
  const openPause = row.paused_at ? calendar.officeMinutesBetween(row.paused_at, now) : 0;
  const pausedDays = Math.round(((row.paused_minutes ?? 0) + openPause) / (8 * 60));
  const waiting = Boolean(row.paused_at);
  if (row.processing_unit !== "working_days") {
    return { unit: row.processing_unit as DeadlineUnit, day: null, of: row.processing_amount, pausedDays, waiting };
  }
  const elapsed =
    calendar.workingDaysBetween(row.received_at, row.paused_at ?? now) +
    1 -
    Math.round((row.paused_minutes ?? 0) / (8 * 60));
  const day = Math.max(1, Math.min(elapsed, row.processing_amount));
  return { unit: "working_days" as const, day, of: row.processing_amount, pausedDays, waiting };
}

/**
 * Before reception the official deadline does not exist yet: the date the procedure promises, counted
 * from filing (from now for a draft), is shown as expected, with the word that the official date is set
 * at reception. Null once there is an official deadline, or when the dossier ended without one.
 */
export async function expectedDueAt(
  row: {
    status: string;
    due_at: Date | null;
    submitted_at: Date | null;
    processing_amount: number;
    processing_unit: string;
  },
  now: Date,
): Promise<string | null> {
  if (row.due_at || !(row.status === "draft" || row.status === "submitted")) return null;
  const calendar = await getCalendar(db);
  return calendar
    .dueDate(row.submitted_at ?? now, row.processing_amount, row.processing_unit as DeadlineUnit)
    .due.toISOString();
}

export async function citizenDossierView(row: DossierRow, lng: Language, origin: string) {
  const [events, files, views, apology, payments] = await Promise.all([
    eventsOf(db, row.id),
    attachmentsOf(db, row.id),
    viewsOf(db, row.id),
    apologyOf(db, row.id),
    db
      .selectFrom("payments")
      .select(["id", "method", "status", "amount_vnd", "receipt_no", "refund_receipt_no"])
      .where("dossier_id", "=", row.id)
      .orderBy("created_at")
      .execute(),
  ]);
  const requested = [...events].reverse().find((e) => e.action === "request_payment");
  const requestedAmount = Number((requested?.data as { amountVnd?: number } | null)?.amountVnd);
  const lookupUrl = row.code ? `${origin}/lookup?code=${encodeURIComponent(row.code)}` : null;
  const qrSvg = lookupUrl
    ? await QRCode.toString(lookupUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M" })
    : null;
  return {
    id: row.id,
    code: row.code,
    status: row.status,
    channel: row.channel,
    procedure: lng === "en" ? row.procedure_name_en : row.procedure_name_vi,
    procedureCode: row.procedure_code,
    agency: lng === "en" ? row.agency_name_en : row.agency_name_vi,
    submittedAt: row.submitted_at?.toISOString() ?? null,
    receivedAt: row.received_at?.toISOString() ?? null,
    dueAt: row.due_at?.toISOString() ?? null,
    // Before reception the official deadline does not exist yet; the date the procedure page promised
    // (processing time counted from filing) is shown as expected.
    expectedDueAt:
      !row.due_at && row.submitted_at
        ? (await getCalendar(db))
            .dueDate(row.submitted_at, row.processing_amount, row.processing_unit as DeadlineUnit)
            .due.toISOString()
        : null,
    feeVnd: row.fee_vnd,
    contact: contactOf(row),
    clock: await dossierClock(row, new Date()),
    lookupUrl,
    qrSvg,
    amountDue: Number.isSafeInteger(requestedAmount) && requestedAmount > 0 ? requestedAmount : row.fee_vnd,
    payments: payments
      .filter((p) => p.status !== "pending")
      .map((p) => ({
        id: p.id,
        method: p.method,
        status: p.status,
        amount: p.amount_vnd,
        receiptNo: p.receipt_no,
        refundReceiptNo: p.refund_receipt_no,
      })),
    apology: apology
      ? { reason: apology.reason, newDueAt: apology.new_due_at.toISOString(), at: apology.created_at.toISOString() }
      : null,
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      action: e.action,
      toStatus: e.to_status,
      reason: e.reason,
      agency: lng === "en" ? e.name_en : e.name_vi,
      missingDocuments: ((e.data as { missingDocuments?: string[] } | null)?.missingDocuments ?? []).map(String),
    })),
    files: files.map((f) => ({ id: f.id, name: f.file_name, sizeBytes: f.size_bytes })),
    views: views.map((v) => ({
      at: v.at.toISOString(),
      role: v.viewer_role,
      action: v.action,
      agency: lng === "en" ? v.name_en : v.name_vi,
    })),
  };
}
