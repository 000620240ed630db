/**
 * Cashless fee payment against a VNPay-style gateway (docs/domain.md#payments) and fees paid at the counter, following
 * the payment state machine of app/domain/payment/payment-state.ts (docs/decisions/011-payment-states.md).
 *
 * - The portal signs the redirect with HMAC-SHA512 and trusts ONLY signed gateway messages: the IPN, and the
 *   answers to its own `querydr` (reconciliation, counter payments).
 * - Every change locks the dossier first, then the payment row, in one transaction with its audit event; a
 *   unique index allows one `paid` payment per dossier.
 * - Money the gateway captured is never ignored: when the fee is no longer owed (already paid, waived, dossier
 *   ended, order cancelled or expired), it is recorded with a receipt and refunded by a job (refund receipt).
 */
import crypto from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.ts";
import {
  DEFAULT_RECONCILE_GIVE_UP_HOURS,
  type FeeStatus,
  ipnOrderStatus,
  ORDER_EXPIRY_MINUTES,
  type PaymentEvent,
  type PaymentStatus,
  reconcileDecision,
} from "../../domain/payment/payment-state.ts";
import {
  buildPaymentParams,
  decideIpn,
  type IpnReply,
  signedQuery,
  type VnpParams,
} from "../../domain/payment/vnpay.ts";
import { recordAudit } from "../audit.server.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { writeEvent } from "../dossiers/dossier-service.server.ts";
import { applyAction } from "../dossiers/workflow-service.server.ts";
import { configuredPublicUrl, gatewayConfig } from "../env.server.ts";
import { hmacSha512, queryOrder, refundOrder, verifySignature } from "./gateway-client.server.ts";
import {
  actorId,
  assertMove,
  captureDecision,
  closeOrder,
  enqueueRefund,
  type FeeDossier,
  feeStatusTx,
  type GatewayFields,
  type LedgerActor,
  lockFeeDossier,
  lockPayment,
  markRefunded,
  nextReceiptNo,
  type PaymentRow,
  recordForRefund,
  sendToReview,
} from "./payment-ledger.server.ts";

export { hmacSha512, verifySignature };

/** Why a payment cannot be made now; `code` is an i18n key. */
export class PaymentNotPossibleError extends Error {
  override name = "PaymentNotPossibleError";
  constructor(
    message: string,
    readonly code = "validation:payment.notPossible",
  ) {
    super(message);
  }
}

/**
 * A counter payment refused because the citizen has already paid online: the gateway confirmed the pending
 * order, which is now recorded as the fee (with its receipt) instead.
 */
export class CounterPaymentRefusedError extends PaymentNotPossibleError {
  override name = "CounterPaymentRefusedError";
  constructor(readonly orderRef: string) {
    super(`order ${orderRef} was paid online`, "validation:payment.paidOnline");
  }
}

/** How long reconciliation keeps asking the gateway about an order before a person has to look at it. */
export function reconcileGiveUpMinutes(): number {
  const hours = Number(process.env.PAYMENT_RECONCILE_GIVE_UP_HOURS ?? DEFAULT_RECONCILE_GIVE_UP_HOURS);
  return Number.isFinite(hours) && hours > 0 ? hours * 60 : DEFAULT_RECONCILE_GIVE_UP_HOURS * 60;
}

/** The fee of a dossier, for the citizen's and the clerk's pages (check answers, receipt, dossier page). */
export async function feeStatusOfDossier(db: Kysely<Database>, dossierId: string): Promise<FeeStatus | null> {
  const d = await db
    .selectFrom("dossiers")
    .select(["id", "status", "fee_vnd", "fee_waived_at", "procedure_code"])
    .where("id", "=", dossierId)
    .executeTakeFirst();
  return d ? feeStatusTx(db, d) : null;
}

/**
 * The citizen clicks "Pay online": for a fee the clerk requested, or — for a fixed-fee procedure — at filing,
 * before anyone asked. One pending order per dossier is reused (a double click makes no second order); a
 * failed or expired one is replaced. Returns the gateway URL to redirect to.
 */
export async function startOnlinePayment(
  db: Kysely<Database>,
  citizen: { id: string; fullName: string },
  dossierId: string,
  ipAddr: string,
  locale: "vi" | "en",
  now: Date,
  /** The address the citizen used (scheme://host); PUBLIC_URL wins when it is configured. */
  requestOrigin?: string,
): Promise<string> {
  const cfg = gatewayConfig();
  const returnBase = configuredPublicUrl() ?? requestOrigin ?? cfg.publicUrl;
  const order = await db.transaction().execute(async (trx) => {
    const d = await lockFeeDossier(trx, dossierId);
    if (!d || d.applicant_id !== citizen.id) throw new PaymentNotPossibleError("not the applicant");
    const fee = await feeStatusTx(trx, d);
    if (!fee.canPayNow || fee.feeVnd <= 0) throw new PaymentNotPossibleError("no fee to pay now");
    const amount = fee.feeVnd;
    const pending = await trx
      .selectFrom("payments")
      .select(["order_ref", "amount_vnd", "created_at"])
      .where("dossier_id", "=", d.id)
      .where("status", "=", "pending")
      .where("method", "=", "gateway")
      .where("created_at", ">", new Date(now.getTime() - (ORDER_EXPIRY_MINUTES - 1) * 60_000))
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (pending && pending.amount_vnd === amount)
      return { ref: pending.order_ref, amount, code: d.code ?? "", createdAt: pending.created_at };
    const ref = `${now.getTime().toString(36)}${crypto.randomBytes(4).toString("hex")}`.toUpperCase();
    const created = await trx
      .insertInto("payments")
      .values({
        dossier_id: d.id,
        order_ref: ref,
        amount_vnd: amount,
        method: "gateway",
        status: "pending",
        provider: "vnpay-sim",
        payer_name: citizen.fullName,
        created_by: citizen.id,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      actorId: citizen.id,
      action: "payment_order",
      entity: "payment",
      entityId: created.id,
      data: { dossierId: d.id, orderRef: ref, amount, atFiling: !fee.requested },
    });
    return { ref, amount, code: d.code ?? "", createdAt: now };
  });
  const params = buildPaymentParams({
    tmnCode: cfg.tmnCode,
    amountVnd: order.amount,
    txnRef: order.ref,
    orderInfo: `Thanh toan phi ho so ${order.code}`,
    returnUrl: `${returnBase}/payments/return`,
    ipAddr: ipAddr || "127.0.0.1",
    createDate: order.createdAt,
    expireMinutes: ORDER_EXPIRY_MINUTES,
    locale: locale === "en" ? "en" : "vn",
  });
  return `${cfg.url}/paymentv2/vpcpay.html?${signedQuery(params, hmacSha512(cfg.secret, params))}`;
}

/**
 * The fee of the dossier is paid by this payment: status `paid` with its receipt (unless it already has one),
 * and the dossier moves on — `confirm_payment` when it was waiting for the fee, otherwise (paid at filing) a
 * `fee_paid` event on its timeline so no later `request_payment` asks again.
 */
export async function markPaid(
  trx: Transaction<Database>,
  calendar: WorkingCalendar,
  p: PaymentRow,
  d: FeeDossier,
  event: PaymentEvent,
  fields: GatewayFields,
  actor: LedgerActor,
  now: Date,
  extra: Partial<PaymentRow> = {},
): Promise<string> {
  assertMove(p, event, "paid");
  const receiptNo = p.receipt_no ?? (await nextReceiptNo(trx, "BL", now));
  await trx
    .updateTable("payments")
    .set({
      ...extra,
      status: "paid",
      paid_at: p.paid_at ?? now,
      receipt_no: receiptNo,
      transaction_no: fields.transactionNo ?? p.transaction_no,
      bank_code: fields.bankCode ?? p.bank_code,
      response_code: fields.responseCode ?? p.response_code,
      recheck_after: null,
      updated_at: now,
    })
    .where("id", "=", p.id)
    .execute();
  if (d.status === "payment_requested") {
    // Only the system confirms a payment: the IPN, reconciliation, or the recording of a counter payment.
    await applyAction(
      trx,
      calendar,
      d.id,
      { action: "confirm_payment", expectedVersion: d.version },
      { role: "system", userId: "system" },
      now,
    );
  } else {
    await writeEvent(
      trx,
      d.id,
      {
        event: {
          at: now,
          actorId: actorId(actor),
          actorRole: actor.role,
          action: "fee_paid",
          fromStatus: d.status,
          toStatus: d.status,
          data: { amountVnd: p.amount_vnd, method: p.method, receiptNo },
        },
      },
      d.agency_code,
    );
  }
  await recordAudit(trx, {
    actorId: actorId(actor),
    action: "payment_paid",
    entity: "payment",
    entityId: p.id,
    data: { dossierId: d.id, orderRef: p.order_ref, amount: p.amount_vnd, method: p.method, receiptNo, from: p.status },
  });
  return receiptNo;
}

/**
 * A signed final answer of the gateway about an order — an IPN, or a `querydr` answer — applied exactly once:
 * dossier and order locked, the VNPay decision table (signature → order → amount → already final), then the
 * state machine: the capture becomes the fee, or is recorded and refunded; a decline closes the order.
 */
async function applyGatewayResult(
  db: Kysely<Database>,
  calendar: WorkingCalendar,
  params: VnpParams,
  signatureValid: boolean,
  now: Date,
): Promise<IpnReply> {
  return db.transaction().execute(async (trx) => {
    const ref = params.vnp_TxnRef ?? "";
    const found = signatureValid
      ? await trx.selectFrom("payments").select("dossier_id").where("order_ref", "=", ref).executeTakeFirst()
      : undefined;
    const d = found ? await lockFeeDossier(trx, found.dossier_id) : undefined;
    const order = d ? await lockPayment(trx, { orderRef: ref }) : undefined;
    const decision = decideIpn({
      params,
      signatureValid,
      order: order
        ? {
            amountVnd: order.amount_vnd,
            status:
              order.method === "gateway"
                ? ipnOrderStatus(order.status as PaymentStatus, order.receipt_no !== null)
                : "paid",
          }
        : null,
    });
    // Only a correctly signed message that is refused is worth an audit row: an unsigned one comes from
    // anyone, and writing a row for each would let anyone grow the audit table.
    if (signatureValid && decision.outcome === "none" && decision.reply.RspCode !== "02") {
      await recordAudit(trx, {
        actorId: null,
        action: "payment_ipn_refused",
        entity: "payment",
        entityId: order?.id ?? ref.slice(0, 64),
        data: { rsp: decision.reply.RspCode, orderRef: ref.slice(0, 64) },
      });
    }
    if (!order || !d) return decision.reply;
    const fields: GatewayFields = {
      transactionNo: params.vnp_TransactionNo ?? null,
      bankCode: params.vnp_BankCode ?? null,
      responseCode: params.vnp_ResponseCode ?? null,
    };
    if (decision.outcome === "paid") {
      const capture = await captureDecision(trx, order, d);
      if (capture.kind === "paid") {
        await markPaid(trx, calendar, order, d, "gateway_paid", fields, { role: "system" }, now);
      } else if (capture.kind === "refund") {
        await recordForRefund(trx, order, d, "gateway_paid", capture.reason, fields, { role: "system" }, now);
      } else {
        return { RspCode: "02", Message: "Order already confirmed" } as const;
      }
    }
    if (decision.outcome === "failed" && order.status === "pending") {
      await closeOrder(trx, order, "gateway_declined", "failed", { role: "system" }, now, {
        response_code: params.vnp_ResponseCode ?? null,
      });
    }
    return decision.reply;
  });
}

/** The IPN: a signed message from the gateway. Never throws; always a gateway reply. */
export async function handleIpn(db: Kysely<Database>, params: VnpParams, now: Date): Promise<IpnReply> {
  const signatureValid = verifySignature(params);
  if (!signatureValid)
    console.warn(
      JSON.stringify({ event: "payment_ipn_bad_signature", txnRef: String(params.vnp_TxnRef ?? "").slice(0, 64) }),
    );
  try {
    return await applyGatewayResult(db, await getCalendar(db), params, signatureValid, now);
  } catch (error) {
    // Nothing is recorded; "99" makes the gateway retry, and reconciliation asks again anyway.
    console.error("IPN handling failed", error);
    return { RspCode: "99", Message: "Unknown error" };
  }
}

/** Gateway orders of a dossier that may still turn into money: pending, or in review without a receipt. */
async function openOrders(db: Kysely<Database>, dossierId: string) {
  return db
    .selectFrom("payments")
    .select(["id", "order_ref", "created_at", "status"])
    .where("dossier_id", "=", dossierId)
    .where("method", "=", "gateway")
    .where((eb) =>
      eb.or([eb("status", "=", "pending"), eb.and([eb("status", "=", "needs_review"), eb("receipt_no", "is", null)])]),
    )
    .execute();
}

/**
 * A clerk records a fee paid at the counter, in cash or by bank transfer. Pending gateway orders of the
 * dossier are asked about first (signed `querydr`): if the gateway took the money, THAT order is recorded as
 * the fee and the counter payment is refused (CounterPaymentRefusedError). Otherwise, in one transaction, the
 * pending orders are cancelled, and the counter payment is recorded with its receipt and moves the dossier on;
 * a capture that still arrives for a cancelled order is recorded and refunded.
 */
export async function recordCounterPayment(
  db: Kysely<Database>,
  clerk: { id: string; agencyCode: string; fullName: string },
  dossierId: string,
  method: "cash" | "transfer",
  now: Date,
): Promise<string> {
  const calendar = await getCalendar(db);
  const owner = await db.selectFrom("dossiers").select("agency_code").where("id", "=", dossierId).executeTakeFirst();
  if (!owner || owner.agency_code !== clerk.agencyCode) throw new PaymentNotPossibleError("not this agency");
  const declined = new Map<string, VnpParams>();
  for (const o of await openOrders(db, dossierId)) {
    const q = await queryOrder(o.order_ref, o.created_at, now);
    if (q.answer.kind === "paid" && q.params) {
      await applyGatewayResult(db, calendar, q.params, true, now);
      const settled = await db.selectFrom("payments").select("status").where("id", "=", o.id).executeTakeFirst();
      if (settled?.status === "paid") throw new CounterPaymentRefusedError(o.order_ref);
    } else if (q.answer.kind === "declined" && q.params) {
      declined.set(o.order_ref, q.params);
    }
  }
  return db.transaction().execute(async (trx) => {
    const d = await lockFeeDossier(trx, dossierId);
    if (!d || d.agency_code !== clerk.agencyCode) throw new PaymentNotPossibleError("not this agency");
    const fee = await feeStatusTx(trx, d);
    if (!fee.canPayNow || fee.feeVnd <= 0) throw new PaymentNotPossibleError("no fee to pay now");
    const clerkActor: LedgerActor = { role: "clerk", id: clerk.id };
    const open = await trx
      .selectFrom("payments")
      .selectAll()
      .where("dossier_id", "=", d.id)
      .where("method", "=", "gateway")
      .where("status", "=", "pending")
      .forUpdate()
      .execute();
    for (const o of open) {
      if (declined.has(o.order_ref)) {
        await closeOrder(trx, o, "gateway_declined", "failed", { role: "system" }, now, {
          response_code: declined.get(o.order_ref)?.vnp_ResponseCode ?? null,
        });
      } else {
        await closeOrder(trx, o, "superseded", "cancelled", clerkActor, now);
      }
    }
    const ref = `CTR${now.getTime().toString(36)}${crypto.randomBytes(3).toString("hex")}`.toUpperCase();
    const p = await trx
      .insertInto("payments")
      .values({
        dossier_id: d.id,
        order_ref: ref,
        amount_vnd: fee.feeVnd,
        method,
        status: "pending",
        provider: "counter",
        payer_name: d.applicant_name,
        created_by: clerk.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await markPaid(trx, calendar, p, d, "counter_recorded", {}, clerkActor, now);
    return p.id;
  });
}

/** A payment by the gateway order reference, with what the return page needs to show it. */
export async function paymentByOrderRef(db: Kysely<Database>, orderRef: string) {
  return db
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .select(["p.id", "p.status", "p.amount_vnd", "p.receipt_no", "d.id as dossier_id", "d.code", "d.applicant_id"])
    .where("p.order_ref", "=", orderRef)
    .executeTakeFirst();
}

export async function paymentsOfDossier(db: Kysely<Database>, dossierId: string) {
  return db.selectFrom("payments").selectAll().where("dossier_id", "=", dossierId).orderBy("created_at").execute();
}

export type ReconcileOptions = {
  /** Orders younger than this are left to their IPN (default 2 minutes). */
  olderThanMinutes?: number;
  /** After this long without a final answer the payment goes to review (default PAYMENT_RECONCILE_GIVE_UP_HOURS, 24 h). */
  giveUpMinutes?: number;
  /** Rows per run (default 100). */
  limit?: number;
};

export type ReconcileReport = {
  settled: number;
  expired: number;
  declined: number;
  toReview: number;
  refundsRequeued: number;
};

/**
 * Reconciliation (a cron job every 2 minutes). Pending gateway orders a few minutes old — their IPN may be
 * lost — are queried with a signed `querydr`: a final answer is applied through the IPN code path (exactly
 * once); an order the gateway never took is `expired` once its 15-minute expiry (plus a margin) is past; an
 * order with no usable answer after `giveUpMinutes` goes to `needs_review` with the reason. Orders cancelled
 * by a counter payment (or a reviewer) are asked about once more after their gateway expiry, in case their
 * IPN was lost. Refunds that have not gone through are queued again, and handed to review after the same bound.
 */
export async function reconcilePayments(
  db: Kysely<Database>,
  now: Date,
  options: ReconcileOptions | number = {},
): Promise<ReconcileReport> {
  const opts: ReconcileOptions = typeof options === "number" ? { olderThanMinutes: options } : options;
  const olderThan = opts.olderThanMinutes ?? 2;
  const giveUp = opts.giveUpMinutes ?? reconcileGiveUpMinutes();
  const report: ReconcileReport = { settled: 0, expired: 0, declined: 0, toReview: 0, refundsRequeued: 0 };
  const calendar = await getCalendar(db);
  const pending = await db
    .selectFrom("payments")
    .select(["id", "order_ref", "created_at", "dossier_id"])
    .where("status", "=", "pending")
    .where("method", "=", "gateway")
    .where("created_at", "<", new Date(now.getTime() - olderThan * 60_000))
    .orderBy("created_at")
    .limit(opts.limit ?? 100)
    .execute();
  for (const p of pending) {
    try {
      const q = await queryOrder(p.order_ref, p.created_at, now);
      const next = reconcileDecision({ answer: q.answer, createdAt: p.created_at, now, giveUpMinutes: giveUp });
      if ((next.kind === "capture" || next.kind === "decline") && q.params) {
        const reply = await applyGatewayResult(db, calendar, q.params, true, now);
        if (reply.RspCode === "00") next.kind === "capture" ? report.settled++ : report.declined++;
        continue;
      }
      if (next.kind === "expire" || next.kind === "give_up") {
        await db.transaction().execute(async (trx) => {
          await lockFeeDossier(trx, p.dossier_id);
          const row = await lockPayment(trx, { id: p.id });
          if (row?.status !== "pending") return; // settled meanwhile
          if (next.kind === "expire") {
            await closeOrder(trx, row, "expire", "expired", { role: "system" }, now);
            report.expired++;
          } else {
            await sendToReview(trx, row, next.reason, now);
            report.toReview++;
          }
        });
      }
    } catch (error) {
      console.warn(
        `[payments] reconciliation of ${p.order_ref} failed: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  // Orders cancelled while the gateway could still take their money: one more question after their expiry.
  const rechecks = await db
    .selectFrom("payments")
    .select(["id", "order_ref", "created_at", "dossier_id", "recheck_after"])
    .where("recheck_after", "<=", now)
    .where("status", "=", "cancelled")
    .where("method", "=", "gateway")
    .orderBy("recheck_after")
    .limit(opts.limit ?? 100)
    .execute();
  for (const p of rechecks) {
    try {
      const q = await queryOrder(p.order_ref, p.created_at, now);
      if (q.answer.kind === "paid" && q.params) {
        const reply = await applyGatewayResult(db, calendar, q.params, true, now);
        if (reply.RspCode === "00") report.settled++;
        continue;
      }
      const since = p.recheck_after ?? p.created_at;
      const unanswered = q.answer.kind === "unknown";
      if (unanswered && now.getTime() - since.getTime() < giveUp * 60_000) continue; // ask again next time
      await db.transaction().execute(async (trx) => {
        await lockFeeDossier(trx, p.dossier_id);
        const row = await lockPayment(trx, { id: p.id });
        if (row?.status !== "cancelled" || row.recheck_after === null) return;
        if (unanswered) {
          await sendToReview(trx, row, "recheck_unanswered", now);
          report.toReview++;
        } else {
          // The gateway's final word: never paid. Nothing more to ask.
          await trx.updateTable("payments").set({ recheck_after: null }).where("id", "=", row.id).execute();
        }
      });
    } catch (error) {
      console.warn(`[payments] recheck of ${p.order_ref} failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  const refunding = await db
    .selectFrom("payments")
    .select(["id", "dossier_id", "refund_requested_at", "updated_at"])
    .where("status", "=", "refunding")
    .where("method", "=", "gateway")
    .where("updated_at", "<", new Date(now.getTime() - olderThan * 60_000))
    .limit(opts.limit ?? 100)
    .execute();
  for (const r of refunding) {
    const since = r.refund_requested_at ?? r.updated_at;
    await db.transaction().execute(async (trx) => {
      await lockFeeDossier(trx, r.dossier_id);
      const row = await lockPayment(trx, { id: r.id });
      if (row?.status !== "refunding") return;
      if (now.getTime() - since.getTime() >= giveUp * 60_000) {
        await sendToReview(trx, row, "refund_not_completed", now);
        report.toReview++;
      } else {
        await enqueueRefund(trx, row.id);
        report.refundsRequeued++;
      }
    });
  }
  return report;
}

/**
 * The refund job: gives a `refunding` gateway payment back through the gateway's signed refund call, then
 * records it `refunded` with its refund receipt (HT-…), in one transaction. Idempotent: anything but a
 * refunding gateway payment is left alone, and the gateway recognises a repeated request.
 */
export async function refundPayment(
  db: Kysely<Database>,
  paymentId: string,
  now: Date,
): Promise<"refunded" | "skipped"> {
  const p = await db.selectFrom("payments").selectAll().where("id", "=", paymentId).executeTakeFirst();
  if (p?.status !== "refunding" || p.method !== "gateway") return "skipped";
  const answer = await refundOrder({
    orderRef: p.order_ref,
    amountVnd: p.amount_vnd,
    transactionNo: p.transaction_no,
    paidAt: p.paid_at ?? p.created_at,
    now,
  });
  return db.transaction().execute(async (trx) => {
    await lockFeeDossier(trx, p.dossier_id);
    const row = await lockPayment(trx, { id: p.id });
    if (row?.status !== "refunding") return "skipped";
    await markRefunded(trx, row, "refund_done", answer.transactionNo, { role: "system" }, now);
    return "refunded";
  });
}
