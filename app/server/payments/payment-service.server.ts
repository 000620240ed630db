/**
 * Cashless fee payment against a VNPay-style gateway (DOMAIN.md §7). The portal signs the redirect with
 * HMAC-SHA512, trusts ONLY the signed IPN (server to server), and records each payment exactly once:
 * the IPN is handled in one transaction that locks the order, and a unique index allows one paid
 * payment per dossier. A paid fee moves the dossier on (confirm_payment) in the same transaction.
 */
import crypto from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import {
  buildPaymentParams,
  decideIpn,
  formatVnpDate,
  type IpnReply,
  signedQuery,
  signingString,
  type VnpParams,
} from "../../domain/payment/vnpay.ts";
import { recordAudit } from "../audit.server.ts";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { applyAction } from "../dossiers/workflow-service.server.ts";
import { configuredPublicUrl, gatewayConfig } from "../env.server.ts";

export function hmacSha512(secret: string, params: VnpParams): string {
  return crypto.createHmac("sha512", secret).update(signingString(params), "utf8").digest("hex");
}

export function verifySignature(params: VnpParams, secret = gatewayConfig().secret): boolean {
  const given = params.vnp_SecureHash ?? "";
  // Anything but 128 hex digits is not a signature (and would make timingSafeEqual throw on length).
  if (!/^[0-9a-fA-F]{128}$/.test(given)) return false;
  const expected = hmacSha512(secret, params);
  return crypto.timingSafeEqual(Buffer.from(given.toLowerCase(), "ascii"), Buffer.from(expected, "ascii"));
}

export class PaymentNotPossibleError extends Error {
  override name = "PaymentNotPossibleError";
}

async function amountDue(trx: Transaction<Database>, dossierId: string, feeVnd: number): Promise<number> {
  const ev = await trx
    .selectFrom("dossier_events")
    .select("data")
    .where("dossier_id", "=", dossierId)
    .where("action", "=", "request_payment")
    .orderBy("id", "desc")
    .executeTakeFirst();
  const requested = Number((ev?.data as { amountVnd?: number } | undefined)?.amountVnd);
  return Number.isSafeInteger(requested) && requested > 0 ? requested : feeVnd;
}

async function nextReceiptNo(trx: Transaction<Database>, now: Date): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('receipt_number_seq')::int as n`.execute(trx);
  return `BL-${now.getUTCFullYear()}-${String(rows[0]?.n ?? 0).padStart(7, "0")}`;
}

/**
 * The citizen clicks "Pay online": one pending order per dossier is reused (a double click makes no
 * second order); a failed or expired one is replaced. Returns the gateway URL to redirect to.
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
    const d = await trx.selectFrom("dossiers").selectAll().where("id", "=", dossierId).forUpdate().executeTakeFirst();
    if (!d || d.applicant_id !== citizen.id) throw new PaymentNotPossibleError("not the applicant");
    if (d.status !== "payment_requested") throw new PaymentNotPossibleError("no fee requested");
    const amount = await amountDue(trx, d.id, d.fee_vnd);
    const pending = await trx
      .selectFrom("payments")
      .select(["order_ref", "amount_vnd", "created_at"])
      .where("dossier_id", "=", d.id)
      .where("status", "=", "pending")
      .where("method", "=", "gateway")
      .where("created_at", ">", new Date(now.getTime() - 14 * 60_000))
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (pending && pending.amount_vnd === amount)
      return { ref: pending.order_ref, amount, code: d.code ?? "", createdAt: pending.created_at };
    const ref = `${now.getTime().toString(36)}${crypto.randomBytes(4).toString("hex")}`.toUpperCase();
    await trx
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
      .execute();
    await recordAudit(trx, {
      actorId: citizen.id,
      action: "payment_order",
      entity: "dossier",
      entityId: d.id,
      data: { orderRef: ref, amount },
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
    expireMinutes: 15,
    locale: locale === "en" ? "en" : "vn",
  });
  return `${cfg.url}/paymentv2/vpcpay.html?${signedQuery(params, hmacSha512(cfg.secret, params))}`;
}

/** Marks a payment paid with a receipt, and moves its dossier on, inside the caller's transaction. */
async function settlePaid(
  trx: Transaction<Database>,
  db: Kysely<Database>,
  paymentId: string,
  dossierId: string,
  fields: { transactionNo?: string; bankCode?: string; responseCode?: string },
  actor: { role: "system" | "clerk"; userId: string; agencyCode?: string | null },
  now: Date,
): Promise<void> {
  await trx
    .updateTable("payments")
    .set({
      status: "paid",
      paid_at: now,
      receipt_no: await nextReceiptNo(trx, now),
      transaction_no: fields.transactionNo ?? null,
      bank_code: fields.bankCode ?? null,
      response_code: fields.responseCode ?? null,
      updated_at: now,
    })
    .where("id", "=", paymentId)
    .execute();
  const d = await trx
    .selectFrom("dossiers")
    .select(["status", "version"])
    .where("id", "=", dossierId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (d.status === "payment_requested") {
    await applyAction(
      trx,
      await getCalendar(db),
      dossierId,
      { action: "confirm_payment", expectedVersion: d.version },
      actor,
      now,
    );
  }
}

/** The IPN: the only message that can mark an order paid. Never throws; always a gateway reply. */
export async function handleIpn(db: Kysely<Database>, params: VnpParams, now: Date): Promise<IpnReply> {
  const signatureValid = verifySignature(params);
  if (!signatureValid)
    console.warn(
      JSON.stringify({ event: "payment_ipn_bad_signature", txnRef: String(params.vnp_TxnRef ?? "").slice(0, 64) }),
    );
  try {
    return await db.transaction().execute(async (trx) => {
      const order = signatureValid
        ? await trx
            .selectFrom("payments")
            .selectAll()
            .where("order_ref", "=", params.vnp_TxnRef ?? "")
            .forUpdate()
            .executeTakeFirst()
        : undefined;
      const decision = decideIpn({
        params,
        signatureValid,
        order: order
          ? {
              amountVnd: order.amount_vnd,
              status: order.status === "refunded" ? "paid" : (order.status as "pending" | "paid" | "failed"),
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
          entityId: params.vnp_TxnRef ?? null,
          data: { rsp: decision.reply.RspCode },
        });
      }
      if (order && decision.outcome === "paid") {
        await settlePaid(
          trx,
          db,
          order.id,
          order.dossier_id,
          {
            transactionNo: params.vnp_TransactionNo,
            bankCode: params.vnp_BankCode,
            responseCode: params.vnp_ResponseCode,
          },
          { role: "system", userId: "system" },
          now,
        );
      }
      if (order && decision.outcome === "failed") {
        await trx
          .updateTable("payments")
          .set({ status: "failed", response_code: params.vnp_ResponseCode ?? null, updated_at: now })
          .where("id", "=", order.id)
          .execute();
      }
      return decision.reply;
    });
  } catch (error) {
    // A concurrent duplicate that lost the race on the unique "one paid per dossier" index is a replay.
    if ((error as { code?: string }).code === "23505") return { RspCode: "02", Message: "Order already confirmed" };
    console.error("IPN handling failed", error);
    return { RspCode: "99", Message: "Unknown error" };
  }
}

/** A clerk records a fee paid at the counter, in cash or by bank transfer: receipt and move-on together. */
export async function recordCounterPayment(
  db: Kysely<Database>,
  clerk: { id: string; agencyCode: string; fullName: string },
  dossierId: string,
  method: "cash" | "transfer",
  now: Date,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const d = await trx.selectFrom("dossiers").selectAll().where("id", "=", dossierId).forUpdate().executeTakeFirst();
    if (!d || d.agency_code !== clerk.agencyCode) throw new PaymentNotPossibleError("not this agency");
    if (d.status !== "payment_requested") throw new PaymentNotPossibleError("no fee requested");
    const amount = await amountDue(trx, d.id, d.fee_vnd);
    const ref = `CTR${now.getTime().toString(36)}${crypto.randomBytes(3).toString("hex")}`.toUpperCase();
    const p = await trx
      .insertInto("payments")
      .values({
        dossier_id: d.id,
        order_ref: ref,
        amount_vnd: amount,
        method,
        status: "pending",
        provider: "counter",
        payer_name: d.applicant_name,
        created_by: clerk.id,
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await settlePaid(trx, db, p.id, d.id, {}, { role: "clerk", userId: clerk.id, agencyCode: clerk.agencyCode }, now);
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

/**
 * Reconciliation (scheduled by the job queue): orders still pending a few minutes after creation, whose
 * IPN may have been lost, are queried at the gateway with a signed `querydr`; a signed final answer is
 * applied through the same code as an IPN, so it is exactly-once too.
 */
export async function reconcilePayments(db: Kysely<Database>, now: Date, olderThanMinutes = 2): Promise<number> {
  const cfg = gatewayConfig();
  const pending = await db
    .selectFrom("payments")
    .select(["order_ref", "created_at"])
    .where("status", "=", "pending")
    .where("method", "=", "gateway")
    .where("created_at", "<", new Date(now.getTime() - olderThanMinutes * 60_000))
    .limit(100)
    .execute();
  let settled = 0;
  for (const p of pending) {
    const request: VnpParams = {
      vnp_RequestId: crypto.randomBytes(8).toString("hex"),
      vnp_Version: "2.1.0",
      vnp_Command: "querydr",
      vnp_TmnCode: cfg.tmnCode,
      vnp_TxnRef: p.order_ref,
      vnp_OrderInfo: `Query ${p.order_ref}`,
      vnp_TransactionDate: formatVnpDate(p.created_at),
      vnp_CreateDate: formatVnpDate(now),
      vnp_IpAddr: "127.0.0.1",
    };
    try {
      const res = await fetch(`${cfg.url}/merchant_webapi/api/transaction`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...request, vnp_SecureHash: hmacSha512(cfg.secret, request) }),
        signal: AbortSignal.timeout(5000),
      });
      const answer = (await res.json()) as VnpParams;
      if (answer.vnp_ResponseCode !== "00" || answer.vnp_TransactionStatus === "01") continue; // unknown or still open
      const reply = await handleIpn(db, answer, now);
      if (reply.RspCode === "00") settled++;
    } catch (error) {
      console.warn(
        `[payments] reconciliation of ${p.order_ref} failed: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  return settled;
}

/**
 * Refund of a fee paid online for a dossier that was stopped or withdrawn: the gateway's signed
 * refund call, then a refund record with its own receipt number, in one transaction. Idempotent:
 * a payment already refunded is left alone (the job may run twice).
 */
export async function refundPayment(
  db: Kysely<Database>,
  paymentId: string,
  now: Date,
): Promise<"refunded" | "skipped"> {
  const cfg = gatewayConfig();
  const p = await db.selectFrom("payments").selectAll().where("id", "=", paymentId).executeTakeFirst();
  if (p?.status !== "paid" || p.method !== "gateway") return "skipped";
  const already = await db
    .selectFrom("payments")
    .select("id")
    .where("order_ref", "=", `RF${p.order_ref}`)
    .executeTakeFirst();
  if (already) return "skipped";
  const request: VnpParams = {
    vnp_RequestId: `RF${p.order_ref}`.slice(0, 32),
    vnp_Version: "2.1.0",
    vnp_Command: "refund",
    vnp_TmnCode: cfg.tmnCode,
    vnp_TransactionType: "02",
    vnp_TxnRef: p.order_ref,
    vnp_Amount: String(p.amount_vnd * 100),
    vnp_TransactionNo: p.transaction_no ?? "",
    vnp_TransactionDate: formatVnpDate(p.paid_at ?? p.created_at),
    vnp_CreateBy: "portal",
    vnp_CreateDate: formatVnpDate(now),
    vnp_IpAddr: "127.0.0.1",
    vnp_OrderInfo: `Hoan phi ${p.order_ref}`,
  };
  const res = await fetch(`${cfg.url}/merchant_webapi/api/transaction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...request, vnp_SecureHash: hmacSha512(cfg.secret, request) }),
    signal: AbortSignal.timeout(5000),
  });
  const answer = (await res.json()) as VnpParams;
  if (!verifySignature(answer) || (answer.vnp_ResponseCode !== "00" && answer.vnp_ResponseCode !== "94")) {
    throw new Error(`refund of ${p.order_ref} refused by the gateway: ${answer.vnp_ResponseCode ?? "?"}`);
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("payments")
      .values({
        dossier_id: p.dossier_id,
        order_ref: `RF${p.order_ref}`,
        amount_vnd: p.amount_vnd,
        method: "gateway",
        status: "refunded",
        provider: p.provider,
        transaction_no: answer.vnp_TransactionNo ?? null,
        response_code: answer.vnp_ResponseCode ?? null,
        paid_at: now,
        receipt_no: (await nextReceiptNo(trx, now)).replace("BL-", "HT-"),
        payer_name: p.payer_name,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(trx, {
      actorId: null,
      action: "payment_refunded",
      entity: "dossier",
      entityId: p.dossier_id,
      data: { orderRef: p.order_ref, amount: p.amount_vnd },
    });
  });
  return "refunded";
}
