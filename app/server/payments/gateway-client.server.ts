/**
 * The portal's side of the gateway's merchant API (VNPay 2.1.0 style, docs/domain.md#payments): HMAC-SHA512 signing and
 * checking, the signed status query (`querydr`) and the signed refund. Plain HTTP to the configured gateway
 * (the local simulator in demo mode and in tests); no database.
 */
import crypto from "node:crypto";
import type { GatewayAnswer } from "../../domain/payment/payment-state.ts";
import { formatVnpDate, signingString, type VnpParams } from "../../domain/payment/vnpay.ts";
import { gatewayConfig } from "../env.server.ts";

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

async function merchantCall(request: VnpParams): Promise<VnpParams> {
  const cfg = gatewayConfig();
  const res = await fetch(`${cfg.url}/merchant_webapi/api/transaction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...request, vnp_SecureHash: hmacSha512(cfg.secret, request) }),
    signal: AbortSignal.timeout(5000),
  });
  return (await res.json()) as VnpParams;
}

export type QueryResult = {
  answer: GatewayAnswer;
  /** The signed answer, to apply through the IPN code path when it is final. */
  params?: VnpParams;
  detail?: string;
};

/**
 * Asks the gateway what became of an order. Only a correctly signed answer counts; "transaction not found"
 * (91) and "not completed yet" (01) both mean no money was taken.
 */
export async function queryOrder(orderRef: string, orderCreatedAt: Date, now: Date): Promise<QueryResult> {
  const cfg = gatewayConfig();
  const request: VnpParams = {
    vnp_RequestId: crypto.randomBytes(8).toString("hex"),
    vnp_Version: "2.1.0",
    vnp_Command: "querydr",
    vnp_TmnCode: cfg.tmnCode,
    vnp_TxnRef: orderRef,
    vnp_OrderInfo: `Query ${orderRef}`,
    vnp_TransactionDate: formatVnpDate(orderCreatedAt),
    vnp_CreateDate: formatVnpDate(now),
    vnp_IpAddr: "127.0.0.1",
  };
  let answer: VnpParams;
  try {
    answer = await merchantCall(request);
  } catch (error) {
    return { answer: { kind: "unknown" }, detail: error instanceof Error ? error.message : String(error) };
  }
  if (!verifySignature(answer)) return { answer: { kind: "unknown" }, detail: "bad signature" };
  if (answer.vnp_ResponseCode === "91") return { answer: { kind: "not_paid" }, params: answer };
  if (answer.vnp_ResponseCode !== "00") {
    return { answer: { kind: "unknown" }, params: answer, detail: `response ${answer.vnp_ResponseCode ?? "?"}` };
  }
  if (answer.vnp_TxnRef !== orderRef) return { answer: { kind: "unknown" }, detail: "another order" };
  switch (answer.vnp_TransactionStatus) {
    case "00":
      return { answer: { kind: "paid" }, params: answer };
    case "01":
      return { answer: { kind: "not_paid" }, params: answer };
    default:
      return { answer: { kind: "declined" }, params: answer };
  }
}

/**
 * Gives the money of a captured order back, in full. The request id is derived from the order, so a retried
 * refund is recognised by the gateway as the same request ("94 duplicate") and never paid out twice.
 * Returns the gateway's refund transaction number; throws when the gateway refuses.
 */
export async function refundOrder(input: {
  orderRef: string;
  amountVnd: number;
  transactionNo: string | null;
  paidAt: Date;
  now: Date;
}): Promise<{ transactionNo: string | null; responseCode: string }> {
  const cfg = gatewayConfig();
  const request: VnpParams = {
    vnp_RequestId: `RF${input.orderRef}`.slice(0, 32),
    vnp_Version: "2.1.0",
    vnp_Command: "refund",
    vnp_TmnCode: cfg.tmnCode,
    vnp_TransactionType: "02",
    vnp_TxnRef: input.orderRef,
    vnp_Amount: String(input.amountVnd * 100),
    vnp_TransactionNo: input.transactionNo ?? "",
    vnp_TransactionDate: formatVnpDate(input.paidAt),
    vnp_CreateBy: "portal",
    vnp_CreateDate: formatVnpDate(input.now),
    vnp_IpAddr: "127.0.0.1",
    vnp_OrderInfo: `Hoan phi ${input.orderRef}`,
  };
  const answer = await merchantCall(request);
  if (!verifySignature(answer) || (answer.vnp_ResponseCode !== "00" && answer.vnp_ResponseCode !== "94")) {
    throw new Error(`refund of ${input.orderRef} refused by the gateway: ${answer.vnp_ResponseCode ?? "?"}`);
  }
  return { transactionNo: answer.vnp_TransactionNo ?? null, responseCode: answer.vnp_ResponseCode };
}
