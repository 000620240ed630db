/**
 * VNPay 2.1.0: the payment-gateway protocol the portal speaks (docs/domain.md#payments).
 *
 * A payment starts with a browser redirect to the gateway carrying `vnp_*` parameters signed by the merchant;
 * it ends with the gateway calling the portal's IPN URL server-to-server with signed result parameters. The
 * IPN is authoritative; the browser's return URL is display only, because the citizen's browser may never
 * come back and its query string is in the citizen's hands.
 *
 * This module holds the parts of the protocol that are plain data: which string gets signed, how the
 * redirect parameters are built, how amounts are encoded, and what to reply to an IPN. It is pure — no
 * crypto, no clock, no environment — so the HMAC-SHA512 itself is done by the caller (portal or gateway
 * simulator) over `signingString(params)`, and both sides are guaranteed to sign the same bytes.
 */

import { isRealDate } from "../calendar/iso-date.ts";
import { VN_OFFSET_MINUTES } from "../calendar/working-calendar.ts";

/** Gateway parameters as they travel in a query string or JSON body: every value is a string. */
export type VnpParams = Record<string, string>;

export type VnpLocale = "vn" | "en";

/** Largest amount accepted, in VND. Far above any fee, and ×100 still well inside Number.MAX_SAFE_INTEGER. */
export const MAX_AMOUNT_VND = 1_000_000_000_000;

/** The two fields that carry the signature and are therefore not part of what is signed. */
const HASH_FIELDS = new Set(["vnp_SecureHash", "vnp_SecureHashType"]);

/**
 * URL-encodes the way VNPay's reference implementations do (form encoding: space as `+`). Any other
 * encoding yields a different signing string and every signature fails, so this must not be "improved".
 */
export function vnpEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

/**
 * The exact string the HMAC-SHA512 signature covers: all `vnp_*` parameters except the hash fields, keys
 * sorted ascending (by UTF-16 code unit, as JavaScript's default sort; keys are ASCII in practice),
 * `key=value` with both sides encoded by `vnpEncode`, joined by `&`.
 */
export function signingString(params: VnpParams): string {
  return Object.keys(params)
    .filter((key) => key.startsWith("vnp_") && !HASH_FIELDS.has(key))
    .sort()
    .map((key) => `${vnpEncode(key)}=${vnpEncode(params[key] ?? "")}`)
    .join("&");
}

/**
 * The query string to put on a gateway, IPN or return URL: the signed parameters in signing order, then the
 * hash. Using the signing string itself keeps the URL and the signature in step.
 */
export function signedQuery(params: VnpParams, secureHash: string): string {
  return `${signingString(params)}&vnp_SecureHash=${vnpEncode(secureHash)}`;
}

/** The gateway's time zone: Vietnam, UTC+7 all year (no daylight saving). */
const VN_OFFSET_MS = VN_OFFSET_MINUTES * 60 * 1000;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * Formats an instant as `yyyyMMddHHmmss` in Vietnam time. Done by shifting 7 hours and reading the UTC
 * fields, so the result does not depend on the server's time zone or on Intl data.
 */
export function formatVnpDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("Invalid date");
  const d = new Date(date.getTime() + VN_OFFSET_MS);
  return (
    pad(d.getUTCFullYear(), 4) +
    pad(d.getUTCMonth() + 1, 2) +
    pad(d.getUTCDate(), 2) +
    pad(d.getUTCHours(), 2) +
    pad(d.getUTCMinutes(), 2) +
    pad(d.getUTCSeconds(), 2)
  );
}

/** Reads a `yyyyMMddHHmmss` Vietnam-time stamp back into an instant; null if malformed or not a real time. */
export function parseVnpDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  // 20240231 is not a real day, 24:00:00 not a real time.
  if (!isRealDate(`${m[1]}-${m[2]}-${m[3]}`) || h > 23 || mi > 59 || s > 59) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - VN_OFFSET_MS);
}

/** Throws RangeError unless `amountVnd` is a whole number of dong in 1..MAX_AMOUNT_VND. */
export function assertAmountVnd(amountVnd: number): void {
  if (!Number.isSafeInteger(amountVnd) || amountVnd <= 0 || amountVnd > MAX_AMOUNT_VND) {
    throw new RangeError(`Amount must be a whole number of VND between 1 and ${MAX_AMOUNT_VND}, got ${amountVnd}`);
  }
}

/** Encodes a VND amount as `vnp_Amount`: the protocol carries VND × 100 as an integer string. */
export function formatAmount(amountVnd: number): string {
  assertAmountVnd(amountVnd);
  return String(amountVnd * 100);
}

/**
 * Decodes `vnp_Amount` into whole VND; null when it is not digits, not a whole number of dong (VND has no
 * minor unit, so a remainder means a malformed or tampered amount), zero, or beyond MAX_AMOUNT_VND.
 */
export function parseAmount(vnpAmount: string): number | null {
  // The length cap keeps Number() exact; anything longer is over the maximum anyway.
  if (!/^\d{1,16}$/.test(vnpAmount)) return null;
  const hundredths = Number(vnpAmount);
  if (hundredths % 100 !== 0) return null;
  const vnd = hundredths / 100;
  if (vnd <= 0 || vnd > MAX_AMOUNT_VND) return null;
  return vnd;
}

export type PaymentRequest = {
  /** Merchant (website) code assigned by the gateway. */
  tmnCode: string;
  amountVnd: number;
  /** The portal's unique order reference; the IPN is matched back to the order by it. */
  txnRef: string;
  /** Free text shown to the citizen on the gateway page. */
  orderInfo: string;
  returnUrl: string;
  /** The citizen's IP address, as the gateway requires it. */
  ipAddr: string;
  createDate: Date;
  /** How long the gateway accepts the payment after `createDate`. */
  expireMinutes: number;
  locale: VnpLocale;
};

/**
 * The unsigned redirect parameters of a payment. The caller adds `vnp_SecureHash` =
 * hex HMAC-SHA512(secret, signingString(params)).
 */
export function buildPaymentParams(req: PaymentRequest): VnpParams {
  assertAmountVnd(req.amountVnd);
  if (!Number.isSafeInteger(req.expireMinutes) || req.expireMinutes <= 0) {
    throw new RangeError(`expireMinutes must be a positive integer, got ${req.expireMinutes}`);
  }
  for (const field of ["tmnCode", "txnRef", "orderInfo", "returnUrl", "ipAddr"] as const) {
    if (req[field].trim() === "") throw new TypeError(`${field} must not be empty`);
  }
  const expireDate = new Date(req.createDate.getTime() + req.expireMinutes * 60_000);
  return {
    vnp_Version: "2.1.0",
    vnp_Command: "pay",
    vnp_TmnCode: req.tmnCode,
    vnp_Amount: formatAmount(req.amountVnd),
    vnp_CurrCode: "VND",
    vnp_TxnRef: req.txnRef,
    vnp_OrderInfo: req.orderInfo,
    // "other": the gateway's generic category; fees and charges have no category of their own worth relying on.
    vnp_OrderType: "other",
    vnp_Locale: req.locale,
    vnp_ReturnUrl: req.returnUrl,
    vnp_IpAddr: req.ipAddr,
    vnp_CreateDate: formatVnpDate(req.createDate),
    vnp_ExpireDate: formatVnpDate(expireDate),
  };
}

/** The JSON body the portal answers an IPN with; the gateway retries on anything but 00 or 02. */
export type IpnReply = { RspCode: "00" | "01" | "02" | "04" | "97" | "99"; Message: string };

export const IPN_REPLIES = {
  confirmed: { RspCode: "00", Message: "Confirm Success" },
  orderNotFound: { RspCode: "01", Message: "Order not found" },
  alreadyConfirmed: { RspCode: "02", Message: "Order already confirmed" },
  invalidAmount: { RspCode: "04", Message: "Invalid amount" },
  invalidSignature: { RspCode: "97", Message: "Invalid signature" },
  unknownError: { RspCode: "99", Message: "Unknown error" },
} as const satisfies Record<string, IpnReply>;

export type IpnOrder = { amountVnd: number; status: "pending" | "paid" | "failed" };

export type IpnDecision = {
  reply: IpnReply;
  /** What to record on the order: paid, failed, or nothing (the IPN changes no state). */
  outcome: "paid" | "failed" | "none";
};

/**
 * Decides what an IPN means for the order and what to answer, in the order docs/domain.md#payments prescribes:
 * signature → order → amount → already final → result. The caller verifies the signature, looks the order
 * up by `vnp_TxnRef` and applies `outcome` (in the same transaction as the lookup, so two concurrent
 * duplicate IPNs cannot both see "pending").
 */
export function decideIpn(input: { params: VnpParams; signatureValid: boolean; order: IpnOrder | null }): IpnDecision {
  const none = (reply: IpnReply): IpnDecision => ({ reply, outcome: "none" });
  try {
    const { params, signatureValid, order } = input;
    // Nothing in an unsigned message can be trusted, not even which order it is about.
    if (!signatureValid) return none(IPN_REPLIES.invalidSignature);
    if (order === null) return none(IPN_REPLIES.orderNotFound);
    const amount = parseAmount(params.vnp_Amount ?? "");
    if (amount === null || amount !== order.amountVnd) return none(IPN_REPLIES.invalidAmount);
    if (params.vnp_CurrCode !== undefined && params.vnp_CurrCode !== "VND") return none(IPN_REPLIES.invalidAmount);
    // A final order never changes again: a late "failed" must not undo a payment, nor a retry double-count it.
    if (order.status === "paid" || order.status === "failed") return none(IPN_REPLIES.alreadyConfirmed);
    if (order.status !== "pending") return none(IPN_REPLIES.unknownError);
    const succeeded = params.vnp_ResponseCode === "00" && params.vnp_TransactionStatus === "00";
    return { reply: IPN_REPLIES.confirmed, outcome: succeeded ? "paid" : "failed" };
  } catch {
    // Malformed input from the caller (e.g. params not an object) — answer 99 rather than crash the endpoint.
    return none(IPN_REPLIES.unknownError);
  }
}
