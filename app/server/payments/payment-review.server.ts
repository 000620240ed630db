/**
 * Payments a person has to look at, and the money reports of the finance view (docs/decisions/011-payment-states.md).
 *
 * - `listPaymentsNeedingReview` / `resolvePaymentReview`: reconciliation hands a payment to `needs_review`
 *   when the gateway gave no final answer in time (or a refund did not go through); a reviewer decides:
 *   `mark_paid` (the money did arrive), `refund` (give it back) or `cancel` (no money arrived). Audited, in one
 *   transaction with the change; a resolution the state machine refuses throws PaymentReviewError.
 * - `takingsByMethod`: receipts issued on a Vietnam calendar day, by method (money received that day, whatever
 *   happened to it later); `refundsBetween`: refunds completed in a period (refund receipts HT-…).
 */
import type { Kysely } from "kysely";
import { vnDateTime } from "../../domain/calendar/working-calendar.ts";
import type { DossierStatus } from "../../domain/dossier/dossier.ts";
import {
  decideReview,
  type PaymentMethod,
  type PaymentStatus,
  type ReviewResolution,
  recheckAfter,
} from "../../domain/payment/payment-state.ts";
import { recordAudit } from "../audit.server.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { lockFeeDossier, lockPayment, markRefunded, recordForRefund } from "./payment-ledger.server.ts";
import { markPaid } from "./payment-service.server.ts";

export type PaymentScope = { agencyCodes?: string[] };

/** A refused review; `code` is an i18n key (validation:paymentReview.*). */
export class PaymentReviewError extends Error {
  override name = "PaymentReviewError";
  constructor(readonly code: string) {
    super(code);
  }
}

export const PAYMENT_REVIEW_ERROR_CODES = [
  "validation:paymentReview.notFound",
  "validation:paymentReview.notInReview",
  "validation:paymentReview.alreadyHoldsMoney",
  "validation:paymentReview.noteRequired",
  "validation:paymentReview.notAllowed",
] as const;

/** Roles that may resolve a review (the finance view decides who sees it; citizens never may). */
const REVIEWER_ROLES = new Set(["clerk", "manager", "admin"]);

export async function listPaymentsNeedingReview(
  db: Kysely<Database>,
  scope?: { agencyCodes?: string[] },
): Promise<
  Array<{
    id: string;
    orderRef: string;
    dossierId: string;
    dossierCode: string | null;
    amountVnd: number;
    method: string;
    reason: string;
    since: Date;
  }>
> {
  if (scope?.agencyCodes && scope.agencyCodes.length === 0) return [];
  const rows = await db
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .select([
      "p.id",
      "p.order_ref",
      "p.dossier_id",
      "d.code",
      "p.amount_vnd",
      "p.method",
      "p.review_reason",
      "p.review_since",
      "p.updated_at",
    ])
    .where("p.status", "=", "needs_review")
    .$if(Boolean(scope?.agencyCodes), (q) => q.where("d.agency_code", "in", scope?.agencyCodes ?? []))
    .orderBy("p.review_since")
    .orderBy("p.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderRef: r.order_ref,
    dossierId: r.dossier_id,
    dossierCode: r.code,
    amountVnd: r.amount_vnd,
    method: r.method,
    reason: r.review_reason ?? "unknown",
    since: r.review_since ?? r.updated_at,
  }));
}

/**
 * A reviewer resolves a payment in `needs_review` (see decideReview for the rules). `mark_paid` records the
 * money as the dossier's fee (receipt; the dossier moves on if it was waiting) or — when the fee is no longer
 * owed — records it and refunds it; `refund` gives it back (through the gateway for an online payment, by
 * hand for a counter payment: refund receipt at once); `cancel` closes an order that brought no money.
 */
export async function resolvePaymentReview(
  db: Kysely<Database>,
  input: {
    paymentId: string;
    resolution: "mark_paid" | "refund" | "cancel";
    note: string;
    actor: { id: string; role: string };
  },
  now: Date,
): Promise<void> {
  const note = input.note.trim();
  if (note === "") throw new PaymentReviewError("validation:paymentReview.noteRequired");
  if (!REVIEWER_ROLES.has(input.actor.role)) throw new PaymentReviewError("validation:paymentReview.notAllowed");
  const calendar = await getCalendar(db);
  const found = await db
    .selectFrom("payments")
    .select("dossier_id")
    .where("id", "=", input.paymentId)
    .executeTakeFirst();
  if (!found) throw new PaymentReviewError("validation:paymentReview.notFound");
  await db.transaction().execute(async (trx) => {
    const d = await lockFeeDossier(trx, found.dossier_id);
    const p = await lockPayment(trx, { id: input.paymentId });
    if (!d || !p) throw new PaymentReviewError("validation:paymentReview.notFound");
    const otherPaid = await trx
      .selectFrom("payments")
      .select("id")
      .where("dossier_id", "=", d.id)
      .where("status", "=", "paid")
      .where("id", "<>", p.id)
      .executeTakeFirst();
    const decision = decideReview({
      status: p.status as PaymentStatus,
      hasReceipt: p.receipt_no !== null,
      method: p.method as PaymentMethod,
      resolution: input.resolution as ReviewResolution,
      dossier: {
        status: d.status as DossierStatus,
        feeWaived: d.fee_waived_at !== null,
        otherPaid: Boolean(otherPaid),
      },
    });
    if ("refused" in decision) throw new PaymentReviewError(`validation:paymentReview.${decision.refused}`);
    const actor = { role: input.actor.role, id: input.actor.id };
    const reviewed = {
      reviewed_at: now,
      reviewed_by: input.actor.id,
      review_resolution: input.resolution,
      review_note: note,
    };
    switch (decision.to) {
      case "paid":
        await markPaid(trx, calendar, p, d, "review_mark_paid", {}, actor, now, reviewed);
        break;
      case "refunding":
        await recordForRefund(
          trx,
          p,
          d,
          input.resolution === "refund" ? "review_refund" : "review_mark_paid",
          decision.reason,
          {},
          actor,
          now,
          reviewed,
        );
        break;
      case "refunded":
        // A counter payment handed back in cash: recorded at once, with its refund receipt.
        await markRefunded(trx, p, "review_refund", null, actor, now, { ...reviewed, refund_reason: "review" });
        break;
      case "cancelled":
        await trx
          .updateTable("payments")
          .set({
            ...reviewed,
            status: "cancelled",
            closed_at: now,
            recheck_after: recheckAfter(p.created_at, now),
            updated_at: now,
          })
          .where("id", "=", p.id)
          .execute();
        break;
    }
    await recordAudit(trx, {
      actorId: input.actor.id,
      action: "payment_review_resolved",
      entity: "payment",
      entityId: p.id,
      data: {
        dossierId: d.id,
        orderRef: p.order_ref,
        resolution: input.resolution,
        note,
        from: p.status,
        to: decision.to,
        reason: p.review_reason,
      },
    });
  });
}

export type RefundLine = {
  id: string;
  orderRef: string;
  dossierId: string;
  dossierCode: string | null;
  agencyCode: string | null;
  amountVnd: number;
  method: string;
  reason: string | null;
  receiptNo: string | null;
  refundReceiptNo: string | null;
  refundTransactionNo: string | null;
  refundedAt: Date;
};

/** Refunds completed in [from, to), oldest first. */
export async function refundsBetween(
  db: Kysely<Database>,
  from: Date,
  to: Date,
  scope?: { agencyCodes?: string[] },
): Promise<RefundLine[]> {
  if (scope?.agencyCodes && scope.agencyCodes.length === 0) return [];
  const rows = await db
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .select([
      "p.id",
      "p.order_ref",
      "p.dossier_id",
      "d.code",
      "p.agency_code",
      "p.amount_vnd",
      "p.method",
      "p.refund_reason",
      "p.receipt_no",
      "p.refund_receipt_no",
      "p.refund_transaction_no",
      "p.refunded_at",
    ])
    .where("p.status", "=", "refunded")
    .where("p.refunded_at", ">=", from)
    .where("p.refunded_at", "<", to)
    .$if(Boolean(scope?.agencyCodes), (q) => q.where("p.agency_code", "in", scope?.agencyCodes ?? []))
    .orderBy("p.refunded_at")
    .orderBy("p.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderRef: r.order_ref,
    dossierId: r.dossier_id,
    dossierCode: r.code,
    agencyCode: r.agency_code,
    amountVnd: r.amount_vnd,
    method: r.method,
    reason: r.refund_reason,
    receiptNo: r.receipt_no,
    refundReceiptNo: r.refund_receipt_no,
    refundTransactionNo: r.refund_transaction_no,
    refundedAt: r.refunded_at ?? new Date(0),
  }));
}

/** The instants bounding a Vietnam calendar day (YYYY-MM-DD): [00:00, next 00:00) at UTC+7. */
export function vnDayBounds(day: string): { from: Date; to: Date } {
  return { from: vnDateTime(day, 0), to: vnDateTime(day, 1440) };
}

/**
 * Money received on a Vietnam calendar day, by method: every receipt (BL-…) issued that day, whether the
 * payment was kept as a fee or later refunded (refunds are reported by `refundsBetween`, on the day they
 * happen). Methods with no payment that day are left out.
 */
export async function takingsByMethod(
  db: Kysely<Database>,
  day: string,
  scope?: { agencyCodes?: string[] },
): Promise<Array<{ method: string; count: number; amountVnd: number }>> {
  if (scope?.agencyCodes && scope.agencyCodes.length === 0) return [];
  const { from, to } = vnDayBounds(day);
  const rows = await db
    .selectFrom("payments as p")
    .select((eb) => ["p.method", eb.fn.countAll<string>().as("count"), eb.fn.sum<string>("p.amount_vnd").as("amount")])
    .where("p.status", "in", ["paid", "refunding", "refunded"])
    .where("p.receipt_no", "is not", null)
    .where("p.paid_at", ">=", from)
    .where("p.paid_at", "<", to)
    .$if(Boolean(scope?.agencyCodes), (q) => q.where("p.agency_code", "in", scope?.agencyCodes ?? []))
    .groupBy("p.method")
    .orderBy("p.method")
    .execute();
  return rows.map((r) => ({ method: r.method, count: Number(r.count), amountVnd: Number(r.amount) }));
}
