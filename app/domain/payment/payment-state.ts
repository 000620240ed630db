/**
 * The payment state machine (docs/decisions/011-payment-states.md), next to the dossier's workflow.
 *
 * One row of `payments` is one order (a gateway order or a payment recorded at the counter). Its status:
 *
 *   pending ──gateway_paid──▶ paid ──refund_requested──▶ refunding ──refund_done──▶ refunded
 *      │  └──gateway_paid (fee no longer owed)──────────▶ refunding
 *      ├──gateway_declined──▶ failed
 *      ├──superseded (counter payment recorded)──▶ cancelled ──gateway_paid──▶ refunding
 *      │                                              └──give_up (recheck unanswered)──▶ needs_review
 *      ├──expire (gateway: never paid, past expiry)──▶ expired ──gateway_paid──▶ refunding
 *      └──give_up (no final answer in time)──▶ needs_review ──review_*──▶ paid | refunding | refunded | cancelled
 *
 * `paid` means "this money is the dossier's fee": at most one per dossier (a unique index). Money that
 * arrives when the fee is no longer owed (already paid, waived, dossier ended, order cancelled or expired)
 * is still recorded — with its receipt — and goes to `refunding` at once; a job gives it back through the
 * gateway and the payment ends `refunded` with a refund receipt (HT-…).
 *
 * Pure: no clock, no database. The services lock the rows, call these functions and write what they say.
 */
import { toVnDateString } from "../calendar/working-calendar.ts";
import type { DossierStatus } from "../dossier/dossier.ts";

export const PAYMENT_STATUSES = [
  "pending",
  "paid",
  "failed",
  "cancelled",
  "expired",
  "needs_review",
  "refunding",
  "refunded",
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_METHODS = ["gateway", "transfer", "cash"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/** Why money is (being) given back. */
export const REFUND_REASONS = ["duplicate", "fee_waived", "dossier_closed", "order_closed", "review"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

export const PAYMENT_EVENTS = [
  "counter_recorded",
  "gateway_paid",
  "gateway_declined",
  "superseded",
  "expire",
  "give_up",
  "refund_requested",
  "refund_done",
  "review_mark_paid",
  "review_refund",
  "review_cancel",
] as const;
export type PaymentEvent = (typeof PAYMENT_EVENTS)[number];

/**
 * Every allowed move; anything absent is refused. `gateway_paid` lists both targets a capture can lead to
 * (kept as the fee, or given back): `onGatewayCapture` picks one.
 */
export const paymentTransitions = {
  pending: {
    // A counter payment is recorded as a row that is paid at once (cash or transfer seen by the clerk).
    counter_recorded: ["paid"],
    gateway_paid: ["paid", "refunding"],
    gateway_declined: ["failed"],
    superseded: ["cancelled"],
    expire: ["expired"],
    give_up: ["needs_review"],
  },
  paid: { refund_requested: ["refunding"] },
  failed: {},
  // A cancelled order is asked about once more after its gateway expiry; no answer in time: a person looks.
  cancelled: { gateway_paid: ["refunding"], give_up: ["needs_review"] },
  expired: { gateway_paid: ["refunding"] },
  needs_review: {
    // A late capture settles an order whose reconciliation gave up (the review is then moot).
    gateway_paid: ["paid", "refunding"],
    review_mark_paid: ["paid", "refunding"],
    review_refund: ["refunding", "refunded"],
    review_cancel: ["cancelled"],
  },
  refunding: { refund_done: ["refunded"], give_up: ["needs_review"] },
  refunded: {},
} as const satisfies Record<PaymentStatus, Partial<Record<PaymentEvent, readonly PaymentStatus[]>>>;

export function canTransition(from: PaymentStatus, event: PaymentEvent, to: PaymentStatus): boolean {
  const targets = (
    paymentTransitions as Record<PaymentStatus, Partial<Record<PaymentEvent, readonly PaymentStatus[]>>>
  )[from][event];
  return targets?.includes(to) ?? false;
}

export class PaymentTransitionError extends Error {
  override name = "PaymentTransitionError";
  constructor(
    readonly from: PaymentStatus,
    readonly event: PaymentEvent,
  ) {
    super(`payment event "${event}" is not allowed from "${from}"`);
  }
}

export function isPaymentStatus(value: string): value is PaymentStatus {
  return (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/** Money the portal holds or held for this payment (it has a receipt). */
export function moneyReceived(status: PaymentStatus): boolean {
  return status === "paid" || status === "refunding" || status === "refunded";
}

/** Dossier statuses in which a fee can still be owed and accepted. */
const FEE_OPEN_STATUSES: readonly DossierStatus[] = [
  "submitted",
  "received",
  "processing",
  "supplement_requested",
  "payment_requested",
  "resolved",
];

export type CaptureContext = {
  /** The order's status now (locked). */
  order: PaymentStatus;
  /** Whether the order already carries a receipt (money already recorded on it). */
  orderHasReceipt: boolean;
  dossier: {
    status: DossierStatus;
    feeWaived: boolean;
    /** Another payment of this dossier is already `paid` (the fee is settled by it). */
    otherPaid: boolean;
  };
};

export type CaptureDecision =
  /** Nothing to record: the order already holds this money, or it was declined (a final answer). */
  | { kind: "already_final" }
  /** Keep it as the dossier's fee. */
  | { kind: "paid" }
  /** Record it (receipt) and give it back. */
  | { kind: "refund"; reason: RefundReason };

/**
 * The gateway says it captured the money of this order (a success IPN, or a `querydr` answer saying so):
 * what the portal records. The money is never ignored: if the fee is not owed any more, it is recorded and
 * refunded.
 */
export function onGatewayCapture(ctx: CaptureContext): CaptureDecision {
  const { order, dossier } = ctx;
  if (order === "paid" || order === "refunding" || order === "refunded" || order === "failed") {
    return { kind: "already_final" };
  }
  if (order === "needs_review" && ctx.orderHasReceipt) return { kind: "already_final" };
  if (order === "cancelled" || order === "expired") return { kind: "refund", reason: "order_closed" };
  if (!FEE_OPEN_STATUSES.includes(dossier.status)) return { kind: "refund", reason: "dossier_closed" };
  if (dossier.otherPaid) return { kind: "refund", reason: "duplicate" };
  if (dossier.feeWaived) return { kind: "refund", reason: "fee_waived" };
  return { kind: "paid" };
}

/** The gateway declined the order: only a pending order records it; anything else stays as it is. */
export function onGatewayDecline(order: PaymentStatus): "failed" | null {
  return order === "pending" ? "failed" : null;
}

/** The shape the VNPay IPN decision table understands (app/domain/payment/vnpay.ts). */
export function ipnOrderStatus(order: PaymentStatus, hasReceipt: boolean): "pending" | "paid" | "failed" {
  if (order === "failed") return "failed";
  if (moneyReceived(order) || (order === "needs_review" && hasReceipt)) return "paid";
  // pending, cancelled, expired, needs_review without money: a capture is still news to record.
  return "pending";
}

/** How long the gateway accepts a payment after the order (vnp_ExpireDate). */
export const ORDER_EXPIRY_MINUTES = 15;
/** Clock skew and in-flight IPNs: an order is only declared expired this long after its expiry. */
export const ORDER_EXPIRY_MARGIN_MINUTES = 5;
/**
 * An order cancelled while the gateway could still take its money is asked about once more after this long
 * (from its creation): its gateway expiry plus the margin. A capture whose IPN was lost is found then.
 */
export function recheckAfter(orderCreatedAt: Date, now: Date): Date {
  const end = orderCreatedAt.getTime() + (ORDER_EXPIRY_MINUTES + ORDER_EXPIRY_MARGIN_MINUTES) * 60_000;
  return new Date(Math.max(end, now.getTime()));
}

/** Default for how long reconciliation keeps asking before it hands a payment to a person. */
export const DEFAULT_RECONCILE_GIVE_UP_HOURS = 24;

export type GatewayAnswer =
  /** A signed final "paid" answer. */
  | { kind: "paid" }
  /** A signed final "declined / failed" answer. */
  | { kind: "declined" }
  /** The gateway knows no payment for this order (never paid, or still open). */
  | { kind: "not_paid" }
  /** No usable answer (unreachable, bad signature, error code). */
  | { kind: "unknown" };

export type ReconcileDecision =
  | { kind: "capture" }
  | { kind: "decline" }
  | { kind: "expire" }
  | { kind: "give_up"; reason: "no_final_answer" | "gateway_unreachable" }
  | { kind: "wait" };

/**
 * Reconciliation of a pending order, from the gateway's answer and the order's age: settle what the gateway
 * settled, expire what it never took once the order's expiry (plus a margin) is past, and stop asking — hand
 * it to a person — after `giveUpMinutes`.
 */
export function reconcileDecision(input: {
  answer: GatewayAnswer;
  createdAt: Date;
  now: Date;
  giveUpMinutes: number;
}): ReconcileDecision {
  const age = (input.now.getTime() - input.createdAt.getTime()) / 60_000;
  switch (input.answer.kind) {
    case "paid":
      return { kind: "capture" };
    case "declined":
      return { kind: "decline" };
    case "not_paid":
      if (age >= ORDER_EXPIRY_MINUTES + ORDER_EXPIRY_MARGIN_MINUTES) return { kind: "expire" };
      return age >= input.giveUpMinutes ? { kind: "give_up", reason: "no_final_answer" } : { kind: "wait" };
    case "unknown":
      return age >= input.giveUpMinutes ? { kind: "give_up", reason: "gateway_unreachable" } : { kind: "wait" };
  }
}

/** Review resolutions a person can pick for a payment in `needs_review`. */
export const REVIEW_RESOLUTIONS = ["mark_paid", "refund", "cancel"] as const;
export type ReviewResolution = (typeof REVIEW_RESOLUTIONS)[number];

export type ReviewDecision =
  | { to: "paid" }
  | { to: "refunding"; reason: RefundReason }
  | { to: "refunded" }
  | { to: "cancelled" }
  | { refused: "notInReview" | "alreadyHoldsMoney" };

/**
 * A reviewer resolves a payment in `needs_review`:
 * - `mark_paid`: the money did arrive (e.g. seen on the bank statement): it becomes the fee, or — when the fee
 *   is no longer owed — is recorded and refunded like any late capture;
 * - `refund`: money that arrived is given back (through the gateway for a gateway payment; a counter payment
 *   is handed back by hand, so it is refunded at once);
 * - `cancel`: no money arrived; the order is closed. Refused when the payment already has a receipt.
 */
export function decideReview(input: {
  status: PaymentStatus;
  hasReceipt: boolean;
  method: PaymentMethod;
  resolution: ReviewResolution;
  dossier: CaptureContext["dossier"];
}): ReviewDecision {
  if (input.status !== "needs_review") return { refused: "notInReview" };
  switch (input.resolution) {
    case "mark_paid": {
      if (input.hasReceipt) return { refused: "alreadyHoldsMoney" };
      const d = onGatewayCapture({ order: "pending", orderHasReceipt: false, dossier: input.dossier });
      return d.kind === "refund" ? { to: "refunding", reason: d.reason } : { to: "paid" };
    }
    case "refund":
      return input.method === "gateway" ? { to: "refunding", reason: "review" } : { to: "refunded" };
    case "cancel":
      return input.hasReceipt ? { refused: "alreadyHoldsMoney" } : { to: "cancelled" };
  }
}

/** Receipt series: BL receipts for money received, HT for money refunded; one numbering per Vietnam year. */
export type ReceiptSeries = "BL" | "HT";

export function formatReceiptNo(series: ReceiptSeries, year: number, n: number): string {
  return `${series}-${year}-${String(n).padStart(7, "0")}`;
}

/** The fee of a dossier as the citizen and the clerk see it. */
export type FeeStatus = {
  /** What is owed: the amount requested by the clerk, else the procedure's fee (0 = no fee). */
  feeVnd: number;
  /** A fee is due at all: the procedure has one, or the clerk requested one. */
  owed: boolean;
  /** The clerk has asked for the fee (request_payment). */
  requested: boolean;
  paid: boolean;
  waived: boolean;
  /** The fee that was paid has been (or is being) given back by decision of a reviewer. */
  refunded: boolean;
  /** Paid, waived, refunded, or no fee at all: nothing stands in the way of a result. */
  settled: boolean;
  /** The applicant can pay online now (requested, or a fixed fee payable at filing). */
  canPayNow: boolean;
};

export function feeStatus(input: {
  dossierStatus: DossierStatus;
  procedureFeeVnd: number;
  feeVariable: boolean;
  requestedAmountVnd: number | null;
  paid: boolean;
  waived: boolean;
  refundedByReview: boolean;
}): FeeStatus {
  const requested = input.requestedAmountVnd !== null;
  const feeVnd = input.requestedAmountVnd ?? input.procedureFeeVnd;
  const owed = requested || input.procedureFeeVnd > 0;
  const settled = !owed || input.paid || input.waived || input.refundedByReview;
  const payAtFiling =
    !requested &&
    !input.feeVariable &&
    input.procedureFeeVnd > 0 &&
    ["submitted", "received", "processing"].includes(input.dossierStatus);
  const canPayNow =
    !input.paid &&
    !input.waived &&
    !input.refundedByReview &&
    (input.dossierStatus === "payment_requested" || payAtFiling);
  return {
    feeVnd,
    owed,
    requested,
    paid: input.paid,
    waived: input.waived,
    refunded: input.refundedByReview,
    settled,
    canPayNow,
  };
}

/** The year of an instant in Vietnam (UTC+7): 31 Dec 17:30 UTC is already the new year there. */
export function vnYear(now: Date): number {
  return Number(toVnDateString(now).slice(0, 4));
}
