/** The payment state machine as a spec: the transition table, each race rule, reconciliation and review. */
import { describe, expect, it } from "vitest";
import type { DossierStatus } from "../dossier/dossier.ts";
import {
  type CaptureContext,
  canTransition,
  decideReview,
  feeStatus,
  formatReceiptNo,
  ipnOrderStatus,
  onGatewayCapture,
  onGatewayDecline,
  PAYMENT_STATUSES,
  type PaymentStatus,
  paymentTransitions,
  reconcileDecision,
  vnYear,
} from "./payment-state.ts";

const open: CaptureContext["dossier"] = { status: "payment_requested", feeWaived: false, otherPaid: false };

function capture(order: PaymentStatus, dossier: Partial<CaptureContext["dossier"]> = {}, orderHasReceipt = false) {
  return onGatewayCapture({ order, orderHasReceipt, dossier: { ...open, ...dossier } });
}

describe("the transition table", () => {
  it("holds exactly these moves (written out twice, on purpose)", () => {
    const rows = Object.entries(paymentTransitions).flatMap(([from, events]) =>
      Object.entries(events).flatMap(([event, tos]) =>
        (tos as readonly string[]).map((to) => `${from} -${event}-> ${to}`),
      ),
    );
    expect(rows.sort()).toEqual(
      [
        "pending -counter_recorded-> paid",
        "pending -gateway_paid-> paid",
        "pending -gateway_paid-> refunding",
        "pending -gateway_declined-> failed",
        "pending -superseded-> cancelled",
        "pending -expire-> expired",
        "pending -give_up-> needs_review",
        "paid -refund_requested-> refunding",
        "cancelled -gateway_paid-> refunding",
        "cancelled -give_up-> needs_review",
        "expired -gateway_paid-> refunding",
        "needs_review -gateway_paid-> paid",
        "needs_review -gateway_paid-> refunding",
        "needs_review -review_mark_paid-> paid",
        "needs_review -review_mark_paid-> refunding",
        "needs_review -review_refund-> refunding",
        "needs_review -review_refund-> refunded",
        "needs_review -review_cancel-> cancelled",
        "refunding -refund_done-> refunded",
        "refunding -give_up-> needs_review",
      ].sort(),
    );
  });

  it("has no way out of failed or refunded, and none back to pending", () => {
    expect(paymentTransitions.failed).toEqual({});
    expect(paymentTransitions.refunded).toEqual({});
    for (const from of PAYMENT_STATUSES) {
      for (const event of Object.keys(paymentTransitions[from])) {
        expect(canTransition(from, event as never, "pending")).toBe(false);
      }
    }
  });

  it("never takes a paid fee back except through a refund", () => {
    expect(Object.keys(paymentTransitions.paid)).toEqual(["refund_requested"]);
  });
});

describe("a capture (success IPN or querydr 'paid')", () => {
  it("is the fee when the dossier still owes it", () => {
    expect(capture("pending")).toEqual({ kind: "paid" });
    // Paid at filing: no request yet, the dossier is being handled.
    for (const status of ["submitted", "received", "processing", "supplement_requested"] as DossierStatus[]) {
      expect(capture("pending", { status })).toEqual({ kind: "paid" });
    }
  });

  it("is recorded and refunded when the dossier already holds a paid fee (counter payment won the race)", () => {
    expect(capture("pending", { otherPaid: true })).toEqual({ kind: "refund", reason: "duplicate" });
  });

  it.each(["withdrawn", "stopped", "not_received", "returned"] as DossierStatus[])(
    "is recorded and refunded when the dossier was %s",
    (status) => {
      expect(capture("pending", { status })).toEqual({ kind: "refund", reason: "dossier_closed" });
    },
  );

  it("is recorded and refunded when the fee was waived", () => {
    expect(capture("pending", { feeWaived: true })).toEqual({ kind: "refund", reason: "fee_waived" });
  });

  it.each(["cancelled", "expired"] as PaymentStatus[])("is recorded and refunded for a %s order", (order) => {
    expect(capture(order)).toEqual({ kind: "refund", reason: "order_closed" });
  });

  it("settles an order reconciliation gave up on, but not one that already holds money", () => {
    expect(capture("needs_review")).toEqual({ kind: "paid" });
    expect(capture("needs_review", {}, true)).toEqual({ kind: "already_final" });
  });

  it.each(["paid", "refunding", "refunded", "failed"] as PaymentStatus[])("changes nothing on a %s order", (order) => {
    expect(capture(order)).toEqual({ kind: "already_final" });
  });

  it("maps every status onto the IPN decision table", () => {
    expect(ipnOrderStatus("pending", false)).toBe("pending");
    expect(ipnOrderStatus("cancelled", false)).toBe("pending");
    expect(ipnOrderStatus("expired", false)).toBe("pending");
    expect(ipnOrderStatus("needs_review", false)).toBe("pending");
    expect(ipnOrderStatus("needs_review", true)).toBe("paid");
    expect(ipnOrderStatus("paid", true)).toBe("paid");
    expect(ipnOrderStatus("refunding", true)).toBe("paid");
    expect(ipnOrderStatus("refunded", true)).toBe("paid");
    expect(ipnOrderStatus("failed", false)).toBe("failed");
  });

  it("records a decline only on a pending order", () => {
    expect(onGatewayDecline("pending")).toBe("failed");
    for (const s of PAYMENT_STATUSES.filter((x) => x !== "pending")) expect(onGatewayDecline(s)).toBeNull();
  });
});

describe("reconciliation", () => {
  const createdAt = new Date("2027-03-01T03:00:00Z");
  const plus = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);
  const giveUpMinutes = 24 * 60;

  it("applies a final answer whatever the age", () => {
    expect(reconcileDecision({ answer: { kind: "paid" }, createdAt, now: plus(3), giveUpMinutes })).toEqual({
      kind: "capture",
    });
    expect(reconcileDecision({ answer: { kind: "declined" }, createdAt, now: plus(3), giveUpMinutes })).toEqual({
      kind: "decline",
    });
  });

  it("expires an order never paid only after its 15 minutes plus a margin", () => {
    expect(reconcileDecision({ answer: { kind: "not_paid" }, createdAt, now: plus(16), giveUpMinutes }).kind).toBe(
      "wait",
    );
    expect(reconcileDecision({ answer: { kind: "not_paid" }, createdAt, now: plus(20), giveUpMinutes }).kind).toBe(
      "expire",
    );
  });

  it("stops asking after the bound and hands the order to a person, with the reason", () => {
    expect(reconcileDecision({ answer: { kind: "unknown" }, createdAt, now: plus(60), giveUpMinutes }).kind).toBe(
      "wait",
    );
    expect(
      reconcileDecision({ answer: { kind: "unknown" }, createdAt, now: plus(giveUpMinutes), giveUpMinutes }),
    ).toEqual({ kind: "give_up", reason: "gateway_unreachable" });
  });
});

describe("review", () => {
  const base = {
    status: "needs_review" as PaymentStatus,
    hasReceipt: false,
    method: "gateway" as const,
    dossier: open,
  };

  it("mark_paid makes the money the fee, or refunds it when the fee is no longer owed", () => {
    expect(decideReview({ ...base, resolution: "mark_paid" })).toEqual({ to: "paid" });
    expect(decideReview({ ...base, resolution: "mark_paid", dossier: { ...open, otherPaid: true } })).toEqual({
      to: "refunding",
      reason: "duplicate",
    });
  });

  it("refund goes through the gateway for an online payment, by hand (at once) for a counter payment", () => {
    expect(decideReview({ ...base, hasReceipt: true, resolution: "refund" })).toEqual({
      to: "refunding",
      reason: "review",
    });
    expect(decideReview({ ...base, method: "cash", hasReceipt: true, resolution: "refund" })).toEqual({
      to: "refunded",
    });
  });

  it("cancel closes an order without money, never one with a receipt", () => {
    expect(decideReview({ ...base, resolution: "cancel" })).toEqual({ to: "cancelled" });
    expect(decideReview({ ...base, hasReceipt: true, resolution: "cancel" })).toEqual({ refused: "alreadyHoldsMoney" });
    expect(decideReview({ ...base, hasReceipt: true, resolution: "mark_paid" })).toEqual({
      refused: "alreadyHoldsMoney",
    });
  });

  it("refuses anything but a payment in review", () => {
    for (const status of PAYMENT_STATUSES.filter((s) => s !== "needs_review")) {
      expect(decideReview({ ...base, status, resolution: "cancel" })).toEqual({ refused: "notInReview" });
    }
  });
});

describe("receipts", () => {
  it("take their year from Vietnam time: 1 January 00:30 there is still 31 December in UTC", () => {
    const newYearVn = new Date("2026-12-31T17:30:00Z");
    expect(newYearVn.getUTCFullYear()).toBe(2026);
    expect(vnYear(newYearVn)).toBe(2027);
    expect(vnYear(new Date("2026-12-31T16:59:59Z"))).toBe(2026);
  });

  it("are numbered per series and year", () => {
    expect(formatReceiptNo("BL", 2027, 1)).toBe("BL-2027-0000001");
    expect(formatReceiptNo("HT", 2027, 42)).toBe("HT-2027-0000042");
  });
});

describe("the fee of a dossier", () => {
  const base = {
    dossierStatus: "processing" as DossierStatus,
    procedureFeeVnd: 100_000,
    feeVariable: false,
    requestedAmountVnd: null,
    paid: false,
    waived: false,
    refundedByReview: false,
  };

  it("is owed for a fee-bearing procedure even if never requested, and settles by payment, waiver or refund", () => {
    expect(feeStatus(base)).toMatchObject({ owed: true, requested: false, settled: false, feeVnd: 100_000 });
    expect(feeStatus({ ...base, paid: true }).settled).toBe(true);
    expect(feeStatus({ ...base, waived: true }).settled).toBe(true);
    expect(feeStatus({ ...base, refundedByReview: true }).settled).toBe(true);
    expect(feeStatus({ ...base, procedureFeeVnd: 0 })).toMatchObject({ owed: false, settled: true, canPayNow: false });
  });

  it("can be paid at filing for a fixed fee, not for a variable one, and once requested at the requested amount", () => {
    for (const dossierStatus of ["submitted", "received", "processing"] as DossierStatus[]) {
      expect(feeStatus({ ...base, dossierStatus }).canPayNow).toBe(true);
    }
    expect(feeStatus({ ...base, feeVariable: true }).canPayNow).toBe(false);
    expect(feeStatus({ ...base, dossierStatus: "resolved" }).canPayNow).toBe(false);
    expect(
      feeStatus({ ...base, dossierStatus: "payment_requested", feeVariable: true, requestedAmountVnd: 250_000 }),
    ).toMatchObject({ canPayNow: true, feeVnd: 250_000, requested: true });
    expect(feeStatus({ ...base, paid: true }).canPayNow).toBe(false);
    expect(feeStatus({ ...base, waived: true }).canPayNow).toBe(false);
  });
});
