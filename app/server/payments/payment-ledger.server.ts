/**
 * The writes behind every payment state change (app/domain/payment/payment-state.ts decides, this module
 * records). It does not import the dossier workflow (the workflow imports it, to refund the fee of a dossier
 * that ends); moving a dossier on when its fee is paid is payment-service's `markPaid`. Every function runs inside the caller's transaction, after the caller has locked the dossier
 * (always first) and then the payment row — one lock order everywhere (IPN, reconciliation, counter payment,
 * review, withdrawal), so two of them can never deadlock and never both see the fee unpaid.
 *
 * Each change writes its audit event (recordAudit) in the same transaction.
 */
import type { Kysely, Selectable, Transaction } from "kysely";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import {
  type CaptureDecision,
  canTransition,
  type FeeStatus,
  feeStatus,
  formatReceiptNo,
  onGatewayCapture,
  type PaymentEvent,
  type PaymentStatus,
  PaymentTransitionError,
  type ReceiptSeries,
  type RefundReason,
  recheckAfter,
  vnYear,
} from "../../domain/payment/payment-state.ts";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { enqueueJob } from "../jobs/queue.server.ts";
import { metrics } from "../observability/metrics.server.ts";

export type PaymentRow = Selectable<Database["payments"]>;
type Db = Transaction<Database>;

/** Who caused a change: a person (clerk, reviewer) or the system (IPN, reconciliation, jobs). */
export type LedgerActor = { role: "system" } | { role: string; id: string };

export function actorId(actor: LedgerActor): string | null {
  return "id" in actor ? actor.id : null;
}

/**
 * The next receipt number of a series for the Vietnam year of `now`: BL-2027-0000001, … The counter row is
 * locked until the transaction ends, so numbers are unique and, as transactions commit or roll back
 * together with their payment, without gaps.
 */
export async function nextReceiptNo(trx: Db, series: ReceiptSeries, now: Date): Promise<string> {
  const year = vnYear(now);
  const row = await trx
    .insertInto("receipt_counters")
    .values({ series, year, last_no: 1 })
    .onConflict((oc) =>
      oc.columns(["series", "year"]).doUpdateSet((eb) => ({ last_no: eb("receipt_counters.last_no", "+", 1) })),
    )
    .returning("last_no")
    .executeTakeFirstOrThrow();
  return formatReceiptNo(series, year, row.last_no);
}

export async function lockFeeDossier(trx: Db, dossierId: string) {
  return trx.selectFrom("dossiers").selectAll().where("id", "=", dossierId).forUpdate().executeTakeFirst();
}

export type FeeDossier = NonNullable<Awaited<ReturnType<typeof lockFeeDossier>>>;

export async function lockPayment(trx: Db, where: { id: string } | { orderRef: string }) {
  return trx
    .selectFrom("payments")
    .selectAll()
    .$call((q) => ("id" in where ? q.where("id", "=", where.id) : q.where("order_ref", "=", where.orderRef)))
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Every payment state change passes here, just before it is written: the place the outcome is counted
 * (portal_payment_outcomes_total). Counted inside the change's transaction, so a transaction that then rolls
 * back (a lost race, rare) is still counted; the payments table stays the record.
 */
export function assertMove(p: { status: string }, event: PaymentEvent, to: PaymentStatus): void {
  if (!canTransition(p.status as PaymentStatus, event, to))
    throw new PaymentTransitionError(p.status as PaymentStatus, event);
  metrics.paymentOutcomes.inc({ outcome: to, event });
}

/** The amount the clerk last requested (request_payment), or null when the fee was never requested. */
export async function requestedAmount(trx: Kysely<Database>, dossierId: string): Promise<number | null> {
  const ev = await trx
    .selectFrom("dossier_events")
    .select("data")
    .where("dossier_id", "=", dossierId)
    .where("action", "=", "request_payment")
    .orderBy("id", "desc")
    .executeTakeFirst();
  if (!ev) return null;
  const requested = Number((ev.data as { amountVnd?: number } | undefined)?.amountVnd);
  return Number.isSafeInteger(requested) && requested > 0 ? requested : null;
}

/** The fee of a dossier from its rows, inside a transaction (see feeStatusOfDossier for the UI). */
export async function feeStatusTx(
  trx: Kysely<Database>,
  d: { id: string; status: string; fee_vnd: number; fee_waived_at: Date | null; procedure_code: string },
): Promise<FeeStatus> {
  const [requested, paid, refundedByReview, procedure] = await Promise.all([
    requestedAmount(trx, d.id),
    trx
      .selectFrom("payments")
      .select("id")
      .where("dossier_id", "=", d.id)
      .where("status", "=", "paid")
      .executeTakeFirst(),
    trx
      .selectFrom("payments")
      .select("id")
      .where("dossier_id", "=", d.id)
      .where("status", "in", ["refunding", "refunded"])
      .where("refund_reason", "=", "review")
      .executeTakeFirst(),
    trx.selectFrom("procedures").select("fee_variable").where("code", "=", d.procedure_code).executeTakeFirst(),
  ]);
  return feeStatus({
    dossierStatus: d.status as DossierStatus,
    procedureFeeVnd: d.fee_vnd,
    feeVariable: procedure?.fee_variable ?? false,
    requestedAmountVnd: requested,
    paid: Boolean(paid),
    waived: d.fee_waived_at !== null,
    refundedByReview: Boolean(refundedByReview),
  });
}

async function otherPaid(trx: Db, dossierId: string, exceptPaymentId: string): Promise<boolean> {
  const row = await trx
    .selectFrom("payments")
    .select("id")
    .where("dossier_id", "=", dossierId)
    .where("status", "=", "paid")
    .where("id", "<>", exceptPaymentId)
    .executeTakeFirst();
  return Boolean(row);
}

/** What a capture of this (locked) payment would mean for its (locked) dossier. */
export async function captureDecision(trx: Db, p: PaymentRow, d: FeeDossier): Promise<CaptureDecision> {
  return onGatewayCapture({
    order: p.status as PaymentStatus,
    orderHasReceipt: p.receipt_no !== null,
    dossier: {
      status: d.status as DossierStatus,
      feeWaived: d.fee_waived_at !== null,
      otherPaid: await otherPaid(trx, d.id, p.id),
    },
  });
}

export type GatewayFields = { transactionNo?: string | null; bankCode?: string | null; responseCode?: string | null };

/**
 * Money arrived that is not (or no longer) the dossier's fee: it is recorded with its receipt and goes
 * straight to `refunding`; the refund job gives it back through the gateway.
 */
export async function recordForRefund(
  trx: Db,
  p: PaymentRow,
  d: { id: string },
  event: PaymentEvent,
  reason: RefundReason,
  fields: GatewayFields,
  actor: LedgerActor,
  now: Date,
  extra: Partial<PaymentRow> = {},
): Promise<string> {
  assertMove(p, event, "refunding");
  const receiptNo = p.receipt_no ?? (await nextReceiptNo(trx, "BL", now));
  await trx
    .updateTable("payments")
    .set({
      ...extra,
      status: "refunding",
      paid_at: p.paid_at ?? now,
      receipt_no: receiptNo,
      transaction_no: fields.transactionNo ?? p.transaction_no,
      bank_code: fields.bankCode ?? p.bank_code,
      response_code: fields.responseCode ?? p.response_code,
      refund_reason: reason,
      refund_requested_at: now,
      recheck_after: null,
      updated_at: now,
    })
    .where("id", "=", p.id)
    .execute();
  await recordAudit(trx, {
    actorId: actorId(actor),
    action: "payment_refund_requested",
    entity: "payment",
    entityId: p.id,
    data: { dossierId: d.id, orderRef: p.order_ref, amount: p.amount_vnd, reason, receiptNo, from: p.status },
  });
  if (p.method === "gateway") await enqueueRefund(trx, p.id);
  return receiptNo;
}

export async function enqueueRefund(trx: Db, paymentId: string): Promise<void> {
  await enqueueJob(trx, "refund_payment", { id: paymentId }, { jobKey: `refund:${paymentId}` });
}

/** The fee that was paid goes back (dossier withdrawn, stopped or refused; or a reviewer's decision). */
export async function requestRefund(
  trx: Db,
  p: PaymentRow,
  reason: RefundReason,
  actor: LedgerActor,
  now: Date,
): Promise<void> {
  await recordForRefund(trx, p, { id: p.dossier_id }, "refund_requested", reason, {}, actor, now);
}

/** The refund went through (the gateway said so, or the clerk handed cash back): refund receipt HT-…. */
export async function markRefunded(
  trx: Db,
  p: PaymentRow,
  event: PaymentEvent,
  refundTransactionNo: string | null,
  actor: LedgerActor,
  now: Date,
  extra: Partial<PaymentRow> = {},
): Promise<string> {
  assertMove(p, event, "refunded");
  const refundReceiptNo = await nextReceiptNo(trx, "HT", now);
  await trx
    .updateTable("payments")
    .set({
      ...extra,
      status: "refunded",
      refunded_at: now,
      refund_receipt_no: refundReceiptNo,
      refund_transaction_no: refundTransactionNo,
      refund_requested_at: p.refund_requested_at ?? now,
      updated_at: now,
    })
    .where("id", "=", p.id)
    .execute();
  await recordAudit(trx, {
    actorId: actorId(actor),
    action: "payment_refunded",
    entity: "payment",
    entityId: p.id,
    data: { dossierId: p.dossier_id, orderRef: p.order_ref, amount: p.amount_vnd, refundReceiptNo },
  });
  return refundReceiptNo;
}

/** An order closes without money: declined (failed), replaced by a counter payment (cancelled), or expired. */
export async function closeOrder(
  trx: Db,
  p: PaymentRow,
  event: "gateway_declined" | "superseded" | "expire" | "review_cancel",
  to: "failed" | "cancelled" | "expired",
  actor: LedgerActor,
  now: Date,
  extra: Partial<PaymentRow> = {},
): Promise<void> {
  assertMove(p, event, to);
  // Closed while the gateway may still take the money (its IPN could then be lost): ask once more later.
  const recheck = event === "superseded" || event === "review_cancel" ? recheckAfter(p.created_at, now) : null;
  await trx
    .updateTable("payments")
    .set({ ...extra, status: to, closed_at: now, recheck_after: recheck, updated_at: now })
    .where("id", "=", p.id)
    .execute();
  await recordAudit(trx, {
    actorId: actorId(actor),
    action: `payment_${to}`,
    entity: "payment",
    entityId: p.id,
    data: { dossierId: p.dossier_id, orderRef: p.order_ref, amount: p.amount_vnd, from: p.status },
  });
}

/** Reconciliation stops asking and hands the payment to a person, with the reason. */
export async function sendToReview(trx: Db, p: PaymentRow, reason: string, now: Date): Promise<void> {
  assertMove(p, "give_up", "needs_review");
  await trx
    .updateTable("payments")
    .set({ status: "needs_review", review_reason: reason, review_since: now, recheck_after: null, updated_at: now })
    .where("id", "=", p.id)
    .execute();
  await recordAudit(trx, {
    actorId: null,
    action: "payment_needs_review",
    entity: "payment",
    entityId: p.id,
    data: { dossierId: p.dossier_id, orderRef: p.order_ref, amount: p.amount_vnd, reason, from: p.status },
  });
}

/**
 * When a dossier ends without a result (withdrawn, stopped, refused), the fee it paid online goes back
 * through the gateway. A fee paid at the counter is handed back by hand (a reviewer records it).
 */
export async function refundFeeOfEndedDossier(trx: Db, dossierId: string, now: Date): Promise<void> {
  const paid = await trx
    .selectFrom("payments")
    .selectAll()
    .where("dossier_id", "=", dossierId)
    .where("status", "=", "paid")
    .where("method", "=", "gateway")
    .forUpdate()
    .execute();
  for (const p of paid) await requestRefund(trx, p, "dossier_closed", { role: "system" }, now);
}
