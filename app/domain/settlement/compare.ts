/**
 * Comparing a day's settlement file with the portal's books (ADR 012). Pure: the caller loads the portal's
 * payments and says which lines other days' files already hold.
 *
 * - missing_in_portal: the gateway captured (or refunded) money the portal has not booked as such: an
 *   unknown order, or one the portal still shows as pending, declined, cancelled, expired, under review or
 *   not yet refunded.
 * - missing_at_gateway: the portal booked a gateway payment (or refund) on this day that no settlement file
 *   holds: not this day's, and not a neighbouring day's (an IPN handled just after midnight).
 * - amount_differs: both sides have it, for different amounts (several gateway lines for one order and type
 *   are added up first: a refund in two parts is one refund of the sum).
 */
import type { SettlementLine, SettlementLineType } from "./settlement-file.ts";

export const MISMATCH_KINDS = ["missing_in_portal", "missing_at_gateway", "amount_differs"] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

/** Statuses of a payment whose money the gateway captured (refunding and refunded were paid first). */
export const CAPTURED_STATUSES = ["paid", "refunding", "refunded"] as const;

export type PortalPayment = {
  id: string;
  orderRef: string;
  method: string;
  status: string;
  amountVnd: number;
  agencyCode: string | null;
};

export type Mismatch = {
  kind: MismatchKind;
  lineType: SettlementLineType;
  txnRef: string;
  transactionNo: string | null;
  amountGateway: number | null;
  amountPortal: number | null;
  paymentId: string | null;
  agencyCode: string | null;
};

/** The longest note a finance officer may write when resolving a mismatch or a payment under review. */
export const MAX_NOTE_LENGTH = 1000;

export const lineKey = (type: SettlementLineType, txnRef: string) => `${type}|${txnRef}`;

/** The identity of a finding: a re-import that finds the same thing again does not reopen a resolved one. */
export function mismatchKey(m: Pick<Mismatch, "kind" | "lineType" | "txnRef" | "amountGateway" | "amountPortal">) {
  return [m.kind, m.lineType, m.txnRef, m.amountGateway ?? "", m.amountPortal ?? ""].join("|");
}

function booked(p: PortalPayment | undefined, type: SettlementLineType): p is PortalPayment {
  if (p?.method !== "gateway") return false;
  return type === "payment" ? (CAPTURED_STATUSES as readonly string[]).includes(p.status) : p.status === "refunded";
}

export function compareSettlement(input: {
  lines: readonly SettlementLine[];
  /** The portal's payments whose order reference appears in the file, by reference. */
  byRef: ReadonlyMap<string, PortalPayment>;
  /** Gateway payments the portal booked as captured on this day. */
  capturedOnDay: readonly PortalPayment[];
  /** Gateway payments the portal booked as refunded on this day. */
  refundedOnDay: readonly PortalPayment[];
  /** `lineKey`s that other days' settlement files hold. */
  settledElsewhere: ReadonlySet<string>;
}): Mismatch[] {
  const out: Mismatch[] = [];
  const gateway = new Map<
    string,
    { type: SettlementLineType; txnRef: string; transactionNo: string; amount: number }
  >();
  for (const l of input.lines) {
    const key = lineKey(l.type, l.txnRef);
    const seen = gateway.get(key);
    if (seen) seen.amount += l.amountVnd;
    else gateway.set(key, { type: l.type, txnRef: l.txnRef, transactionNo: l.transactionNo, amount: l.amountVnd });
  }
  for (const g of gateway.values()) {
    const p = input.byRef.get(g.txnRef);
    const base = {
      lineType: g.type,
      txnRef: g.txnRef,
      transactionNo: g.transactionNo || null,
      amountGateway: g.amount,
      paymentId: p?.id ?? null,
      agencyCode: p?.agencyCode ?? null,
    };
    if (!booked(p, g.type)) out.push({ ...base, kind: "missing_in_portal", amountPortal: null });
    else if (p.amountVnd !== g.amount) out.push({ ...base, kind: "amount_differs", amountPortal: p.amountVnd });
  }
  const portalSide: Array<[SettlementLineType, readonly PortalPayment[]]> = [
    ["payment", input.capturedOnDay],
    ["refund", input.refundedOnDay],
  ];
  for (const [type, list] of portalSide) {
    for (const p of list) {
      const key = lineKey(type, p.orderRef);
      if (gateway.has(key) || input.settledElsewhere.has(key)) continue;
      out.push({
        kind: "missing_at_gateway",
        lineType: type,
        txnRef: p.orderRef,
        transactionNo: null,
        amountGateway: null,
        amountPortal: p.amountVnd,
        paymentId: p.id,
        agencyCode: p.agencyCode,
      });
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.txnRef.localeCompare(b.txnRef));
}
