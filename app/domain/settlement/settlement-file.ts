/**
 * The gateway's daily settlement file (file đối soát, ADR 012): what the gateway says it captured and
 * refunded for the merchant on one Vietnam calendar day. Plain data, shared by the portal (which fetches and
 * checks it) and the gateway simulator (which writes it), so both sides sign and read identical bytes.
 *
 * Format: UTF-8 CSV, a header row, then one line per captured payment and per refund of that day:
 *
 *     type,txn_ref,transaction_no,amount,time,bank
 *     payment,MIB4X2K1A3F09C2D,14000001,100000,20261125093012,NCB
 *     refund,MIB4X2K1A3F09C2D,14000001,100000,20261125161544,NCB
 *
 * `amount` is whole VND (not the protocol's ×100); `time` is `yyyyMMddHHmmss` in Vietnam time and must fall
 * on the file's date. The gateway signs `tmnCode|yyyyMMdd|body` with HMAC-SHA512 (hex, in the
 * `X-Settlement-Signature` header), so a genuine file for another day or another merchant cannot be passed off.
 */
import { MAX_AMOUNT_VND, parseVnpDate } from "../payment/vnpay.ts";

export const SETTLEMENT_COLUMNS = ["type", "txn_ref", "transaction_no", "amount", "time", "bank"] as const;
export const SETTLEMENT_LINE_TYPES = ["payment", "refund"] as const;
export type SettlementLineType = (typeof SETTLEMENT_LINE_TYPES)[number];

/** The response header that carries the file's signature. */
export const SETTLEMENT_SIGNATURE_HEADER = "x-settlement-signature";

export type SettlementLine = {
  type: SettlementLineType;
  /** The merchant's order reference (`vnp_TxnRef`): for a refund, the order it gives money back on. */
  txnRef: string;
  /** The gateway's transaction number; "" when it has none. */
  transactionNo: string;
  amountVnd: number;
  /** `yyyyMMddHHmmss`, Vietnam time. */
  time: string;
  bank: string;
};

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → the protocol's `yyyyMMdd`; null when it is not a real day. */
export function compactDate(isoDay: string): string | null {
  const m = ISO_DAY.exec(isoDay);
  if (!m) return null;
  const stamp = `${m[1]}${m[2]}${m[3]}`;
  return parseVnpDate(`${stamp}000000`) ? stamp : null;
}

/** `yyyyMMdd` → `YYYY-MM-DD`; null when it is not a real day. */
export function isoDate(compact: string): string | null {
  if (!/^\d{8}$/.test(compact) || !parseVnpDate(`${compact}000000`)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
}

/** The exact string the gateway signs: merchant, day and body, so neither can be swapped. */
export function settlementSigningString(tmnCode: string, compactDay: string, body: string): string {
  return `${tmnCode}|${compactDay}|${body}`;
}

/** Lines in file order: by time, then type, then reference, so the same day always gives the same bytes. */
export function sortLines(lines: readonly SettlementLine[]): SettlementLine[] {
  return [...lines].sort(
    (a, b) => a.time.localeCompare(b.time) || a.type.localeCompare(b.type) || a.txnRef.localeCompare(b.txnRef) || 0,
  );
}

export function formatSettlementFile(lines: readonly SettlementLine[]): string {
  const rows = sortLines(lines).map((l) =>
    [l.type, l.txnRef, l.transactionNo, String(l.amountVnd), l.time, l.bank].join(","),
  );
  return `${[SETTLEMENT_COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}

/** References, transaction numbers and bank codes: what gateways use, and nothing a CSV would need to quote. */
const TOKEN = /^[A-Za-z0-9._:/-]{1,100}$/;
const OPTIONAL_TOKEN = /^[A-Za-z0-9._:/-]{0,100}$/;

export type ParsedSettlement =
  | { ok: true; lines: SettlementLine[] }
  | { ok: false; line: number; problem: "header" | "columns" | "type" | "reference" | "amount" | "time" };

/**
 * Reads a settlement file strictly: the exact header, six plain fields per line, a known type, a positive
 * whole amount, a real time on `compactDay`. One bad line refuses the whole file (a signed file that does not
 * parse means something is wrong at the gateway, not something to guess around).
 */
export function parseSettlementFile(body: string, compactDay: string): ParsedSettlement {
  const rows = body.replace(/^\uFEFF/, "").split(/\r?\n/);
  while (rows.length > 0 && rows[rows.length - 1] === "") rows.pop();
  if (rows[0] !== SETTLEMENT_COLUMNS.join(",")) return { ok: false, line: 1, problem: "header" };
  const lines: SettlementLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const cells = (rows[i] ?? "").split(",");
    const at = i + 1;
    if (cells.length !== SETTLEMENT_COLUMNS.length) return { ok: false, line: at, problem: "columns" };
    const [type, txnRef, transactionNo, amount, time, bank] = cells as [string, string, string, string, string, string];
    if (!(SETTLEMENT_LINE_TYPES as readonly string[]).includes(type)) return { ok: false, line: at, problem: "type" };
    if (!TOKEN.test(txnRef) || !OPTIONAL_TOKEN.test(transactionNo) || !OPTIONAL_TOKEN.test(bank))
      return { ok: false, line: at, problem: "reference" };
    if (!/^\d{1,13}$/.test(amount)) return { ok: false, line: at, problem: "amount" };
    const amountVnd = Number(amount);
    if (amountVnd <= 0 || amountVnd > MAX_AMOUNT_VND) return { ok: false, line: at, problem: "amount" };
    if (!parseVnpDate(time) || !time.startsWith(compactDay)) return { ok: false, line: at, problem: "time" };
    lines.push({ type: type as SettlementLineType, txnRef, transactionNo, amountVnd, time, bank });
  }
  return { ok: true, lines };
}
