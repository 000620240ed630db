/**
 * Issue 16, one named test per race, on both databases, against the real gateway simulator: every đồng the
 * gateway captures is recorded once, kept as the one fee or refunded (with a refund receipt), and no result
 * is given without the fee settled.
 */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Actors,
  clerkActor,
  counterDossier,
  decideOnGateway,
  ipnCallsSettled,
  openPayPage,
  type PaymentWorld,
  paymentCatalogue,
  startPaymentWorld,
  versionOf,
} from "../../../tests/payment-harness.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import {
  ActorNotAllowedError,
  FeeAlreadySettledError,
  FeeNotSettledError,
} from "../../domain/dossier/dossier-errors.ts";
import type { Database } from "../db.server.ts";
import { createDraft, saveDraft, submitDossier } from "../dossiers/dossier-service.server.ts";
import { actOnDossier } from "../dossiers/workflow-service.server.ts";
import {
  listPaymentsNeedingReview,
  PaymentReviewError,
  refundsBetween,
  resolvePaymentReview,
  takingsByMethod,
} from "./payment-review.server.ts";
import {
  CounterPaymentRefusedError,
  feeStatusOfDossier,
  reconcilePayments,
  recordCounterPayment,
  refundPayment,
  startOnlinePayment,
} from "./payment-service.server.ts";

describe.each(testTargets())("money races on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let world: PaymentWorld;
  let a: Actors;

  beforeAll(async () => {
    world = await startPaymentWorld();
    ({ db, close } = await openTestDb(target));
    world.setDb(db);
    a = await paymentCatalogue(db);
  });
  afterAll(async () => {
    await world?.close();
    await close?.();
  });

  const payments = (dossierId: string) =>
    db
      .selectFrom("payments")
      .select(["order_ref", "method", "status", "receipt_no", "refund_receipt_no", "refund_reason", "amount_vnd"])
      .where("dossier_id", "=", dossierId)
      .orderBy("created_at")
      .orderBy("order_ref")
      .execute();
  const statusOf = async (dossierId: string) =>
    (await db.selectFrom("dossiers").select("status").where("id", "=", dossierId).executeTakeFirstOrThrow()).status;
  const payOnline = (dossierId: string) => startOnlinePayment(db, a.citizen, dossierId, "127.0.0.1", "vi", new Date());
  const runRefunds = async () => {
    const due = await db.selectFrom("payments").select("id").where("status", "=", "refunding").execute();
    for (const p of due) await refundPayment(db, p.id, new Date());
  };
  const refundedBySim = (ref: string) => world.sim.transactions().get(ref)?.refundedVnd ?? 0;

  it("counter payment while the order is pending: the order is cancelled; its late capture is refunded", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const url = await payOnline(id);
    const ref = new URL(url).searchParams.get("vnp_TxnRef") ?? "";
    const token = await openPayPage(url); // the citizen sits on the gateway page…
    await recordCounterPayment(db, a.clerk, id, "cash", new Date()); // …while paying cash at the desk
    expect(await statusOf(id)).toBe("processing");
    expect(await payments(id)).toMatchObject([
      { order_ref: ref, status: "cancelled", receipt_no: null },
      { method: "cash", status: "paid", receipt_no: expect.stringMatching(/^BL-\d{4}-\d{7}$/) },
    ]);

    // Then pays online as well: the IPN is recorded (receipt) and the money goes back.
    const before = world.sim.ipnLog().length;
    await decideOnGateway(world.sim, token, "approve");
    await ipnCallsSettled(world.sim, before + 1);
    expect(world.ipnReplies().at(-1)).toBe("00");
    const [order] = await payments(id);
    expect(order).toMatchObject({
      status: "refunding",
      refund_reason: "order_closed",
      receipt_no: expect.stringMatching(/^BL-/),
    });
    await runRefunds();
    const [refunded, cash] = await payments(id);
    expect(refunded).toMatchObject({
      status: "refunded",
      refund_receipt_no: expect.stringMatching(/^HT-\d{4}-\d{7}$/),
    });
    expect(cash).toMatchObject({ status: "paid" });
    expect(refundedBySim(ref)).toBe(100_000);
  });

  it("counter payment when the gateway already took the money (IPN lost): that order is the fee, the counter is refused", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const url = await payOnline(id);
    const ref = new URL(url).searchParams.get("vnp_TxnRef") ?? "";
    const token = await openPayPage(url);
    world.sim.setBehaviour({ loseIpn: true });
    try {
      await decideOnGateway(world.sim, token, "approve");
    } finally {
      world.sim.setBehaviour({ loseIpn: false });
    }
    const refused = await recordCounterPayment(db, a.clerk, id, "cash", new Date()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CounterPaymentRefusedError);
    expect((refused as CounterPaymentRefusedError).code).toBe("validation:payment.paidOnline");
    expect(await payments(id)).toEqual([
      expect.objectContaining({
        order_ref: ref,
        method: "gateway",
        status: "paid",
        receipt_no: expect.stringMatching(/^BL-/),
      }),
    ]);
    expect(await statusOf(id)).toBe("processing");
    // Reconciliation afterwards finds nothing left to do for it.
    expect((await reconcilePayments(db, new Date(Date.now() + 3 * 60_000))).settled).toBe(0);
  });

  it("a success IPN after the dossier was withdrawn is recorded and refunded", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const url = await payOnline(id);
    const ref = new URL(url).searchParams.get("vnp_TxnRef") ?? "";
    const token = await openPayPage(url);
    await actOnDossier(
      db,
      id,
      { action: "withdraw", expectedVersion: await versionOf(db, id) },
      { role: "citizen", userId: a.citizen.id },
      new Date(),
    );
    const before = world.sim.ipnLog().length;
    await decideOnGateway(world.sim, token, "approve");
    await ipnCallsSettled(world.sim, before + 1);
    expect(await payments(id)).toMatchObject([{ status: "refunding", refund_reason: "dossier_closed" }]);
    await runRefunds();
    expect(await payments(id)).toMatchObject([
      {
        status: "refunded",
        receipt_no: expect.stringMatching(/^BL-/),
        refund_receipt_no: expect.stringMatching(/^HT-/),
      },
    ]);
    expect(refundedBySim(ref)).toBe(100_000);
  });

  it("a success IPN after the dossier was stopped is recorded and refunded; a paid fee is refunded on stop", async () => {
    const id = await counterDossier(db, a, "processing");
    // Paid at filing (fixed fee), then a second order paid after the stop.
    const first = await payOnline(id);
    const before = world.sim.ipnLog().length;
    await decideOnGateway(world.sim, await openPayPage(first), "approve");
    await ipnCallsSettled(world.sim, before + 1);
    expect(await payments(id)).toMatchObject([{ status: "paid" }]);
    await actOnDossier(
      db,
      id,
      { action: "stop", input: { reason: "Không đủ điều kiện" }, expectedVersion: await versionOf(db, id) },
      clerkActor(a),
      new Date(),
    );
    expect(await payments(id)).toMatchObject([{ status: "refunding", refund_reason: "dossier_closed" }]);
    await runRefunds();
    expect(await payments(id)).toMatchObject([
      { status: "refunded", refund_receipt_no: expect.stringMatching(/^HT-/) },
    ]);
  });

  it("a clerk cannot confirm a payment: confirm_payment is the payment code's alone", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const refused = await actOnDossier(
      db,
      id,
      { action: "confirm_payment", expectedVersion: await versionOf(db, id) },
      clerkActor(a),
      new Date(),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ActorNotAllowedError);
    expect(await statusOf(id)).toBe("payment_requested");
    expect(await payments(id)).toEqual([]);
  });

  it("no result without the fee settled (1.001612-like: 100.000 ₫, received → processing → resolve refused); waiver audited and on the timeline", async () => {
    const id = await counterDossier(db, a, "processing");
    const resolve = async () =>
      actOnDossier(db, id, { action: "resolve", expectedVersion: await versionOf(db, id) }, clerkActor(a), new Date());
    expect(await resolve().catch((e: unknown) => e)).toBeInstanceOf(FeeNotSettledError);
    expect(await statusOf(id)).toBe("processing");
    expect(await feeStatusOfDossier(db, id)).toMatchObject({ owed: true, settled: false, canPayNow: true });

    await actOnDossier(
      db,
      id,
      {
        action: "waive_fee",
        input: { reason: "Người khuyết tật: miễn lệ phí" },
        expectedVersion: await versionOf(db, id),
      },
      clerkActor(a),
      new Date(),
    );
    expect(await feeStatusOfDossier(db, id)).toMatchObject({ waived: true, settled: true, canPayNow: false });
    const waiver = await db
      .selectFrom("dossier_events")
      .select(["action", "reason", "actor_role"])
      .where("dossier_id", "=", id)
      .where("action", "=", "waive_fee")
      .executeTakeFirstOrThrow();
    expect(waiver).toEqual({ action: "waive_fee", reason: "Người khuyết tật: miễn lệ phí", actor_role: "clerk" });
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("entity_id", "=", id)
      .where("action", "=", "fee_waived")
      .execute();
    expect(audit).toHaveLength(1);
    await resolve();
    await actOnDossier(
      db,
      id,
      { action: "return_result", expectedVersion: await versionOf(db, id) },
      clerkActor(a),
      new Date(),
    );
    expect(await statusOf(id)).toBe("returned");
  });

  it("no result returned for a dossier whose fee was requested and never paid (resolved before the rule)", async () => {
    const id = await counterDossier(db, a, "processing");
    // A dossier resolved under the old rules (no fee asked): forced into `resolved` directly.
    await db.updateTable("dossiers").set({ status: "resolved" }).where("id", "=", id).execute();
    const refused = await actOnDossier(
      db,
      id,
      { action: "return_result", expectedVersion: await versionOf(db, id) },
      clerkActor(a),
      new Date(),
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(FeeNotSettledError);
    expect((refused as FeeNotSettledError).code).toBe("dossier:errors.feeNotSettled");
    expect(await db.selectFrom("dossier_results").select("id").where("dossier_id", "=", id).execute()).toEqual([]);
  });

  it("receipt numbers take the Vietnam year: 1 January 00:30 (UTC+7) is the new year's series", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const newYearVn = new Date("2030-12-31T17:30:00Z"); // 2031-01-01 00:30 in Vietnam
    await recordCounterPayment(db, a.clerk, id, "transfer", newYearVn);
    const [p] = await payments(id);
    expect(p?.receipt_no).toBe("BL-2031-0000001");
    const id2 = await counterDossier(db, a, "payment_requested");
    await recordCounterPayment(db, a.clerk, id2, "cash", new Date("2031-01-01T02:00:00Z"));
    expect((await payments(id2))[0]?.receipt_no).toBe("BL-2031-0000002");
    expect(await takingsByMethod(db, "2031-01-01")).toEqual([
      { method: "cash", count: 1, amountVnd: 100_000 },
      { method: "transfer", count: 1, amountVnd: 100_000 },
    ]);
    expect(await takingsByMethod(db, "2030-12-31")).toEqual([]);
  });

  it("reconciliation expires an order never paid, and gives up after the bound: needs_review, then resolved by a person", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const url = await payOnline(id);
    const ref = new URL(url).searchParams.get("vnp_TxnRef") ?? "";
    const createdAt = new Date();
    // Never opened at the gateway: after 15 minutes + margin the gateway confirms it was never paid.
    expect((await reconcilePayments(db, new Date(createdAt.getTime() + 10 * 60_000))).expired).toBe(0);
    expect((await reconcilePayments(db, new Date(createdAt.getTime() + 21 * 60_000))).expired).toBe(1);
    expect(await payments(id)).toMatchObject([{ order_ref: ref, status: "expired" }]);

    // A second order while the gateway cannot be reached: asked about for 24 h, then handed to a person.
    const url2 = await payOnline(id);
    const ref2 = new URL(url2).searchParams.get("vnp_TxnRef") ?? "";
    const token2 = await openPayPage(url2);
    world.sim.setBehaviour({ loseIpn: true });
    await decideOnGateway(world.sim, token2, "approve");
    world.sim.setBehaviour({ loseIpn: false });
    const gateway = process.env.GATEWAY_URL;
    process.env.GATEWAY_URL = "http://127.0.0.1:9";
    try {
      const t0 = Date.now();
      expect((await reconcilePayments(db, new Date(t0 + 60 * 60_000))).toReview).toBe(0);
      expect((await reconcilePayments(db, new Date(t0 + 24 * 60 * 60_000 + 60_000))).toReview).toBe(1);
    } finally {
      process.env.GATEWAY_URL = gateway;
    }
    const review = await listPaymentsNeedingReview(db, { agencyCodes: [a.clerk.agencyCode] });
    expect(review).toEqual([
      expect.objectContaining({ orderRef: ref2, dossierId: id, reason: "gateway_unreachable", amountVnd: 100_000 }),
    ]);
    expect(await listPaymentsNeedingReview(db, { agencyCodes: ["other"] })).toEqual([]);
    // Reconciliation no longer asks about it.
    expect((await reconcilePayments(db, new Date(Date.now() + 25 * 60 * 60_000))).settled).toBe(0);

    const reviewer = { id: a.clerk.id, role: "clerk" };
    await expect(
      resolvePaymentReview(
        db,
        { paymentId: review[0]?.id ?? "", resolution: "mark_paid", note: " ", actor: reviewer },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(PaymentReviewError);
    // The gateway's statement shows the money: the reviewer marks it paid; the dossier moves on.
    await resolvePaymentReview(
      db,
      { paymentId: review[0]?.id ?? "", resolution: "mark_paid", note: "Có trong sao kê ngày", actor: reviewer },
      new Date(),
    );
    expect(await statusOf(id)).toBe("processing");
    expect(await payments(id)).toMatchObject([{ status: "expired" }, { order_ref: ref2, status: "paid" }]);
    const again = await resolvePaymentReview(
      db,
      { paymentId: review[0]?.id ?? "", resolution: "cancel", note: "x", actor: reviewer },
      new Date(),
    ).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(PaymentReviewError);
    expect((again as PaymentReviewError).code).toBe("validation:paymentReview.notInReview");
    const audit = await db
      .selectFrom("audit_events")
      .select("action")
      .where("entity", "=", "payment")
      .where("entity_id", "=", review[0]?.id ?? "")
      .orderBy("id")
      .execute();
    expect(audit.map((r) => r.action)).toEqual([
      "payment_order",
      "payment_needs_review",
      "payment_paid",
      "payment_review_resolved",
    ]);
  });

  it("pay at filing: a fixed fee paid online on a submitted dossier counts as paid; no later request asks again", async () => {
    const draft = await createDraft(
      db,
      { id: a.citizen.id, fullName: a.citizen.fullName, nationalId: a.citizen.nationalId, email: null },
      "1.1",
      new Date(),
    );
    await saveDraft(
      db,
      a.citizen.id,
      draft.id,
      {
        answers: {},
        uploads: [],
        removeAttachmentIds: [],
        documentCount: 0,
        contact: { phone: "0912345678", address: "Hạ Long", delivery: "online" },
      },
      new Date(),
    );
    await submitDossier(db, a.citizen.id, draft.id, new Date());
    expect(await feeStatusOfDossier(db, draft.id)).toMatchObject({
      feeVnd: 100_000,
      requested: false,
      paid: false,
      canPayNow: true,
    });
    const url = await payOnline(draft.id);
    const before = world.sim.ipnLog().length;
    await decideOnGateway(world.sim, await openPayPage(url), "approve");
    await ipnCallsSettled(world.sim, before + 1);
    expect(await statusOf(draft.id)).toBe("submitted");
    expect(await payments(draft.id)).toMatchObject([{ status: "paid", receipt_no: expect.stringMatching(/^BL-/) }]);
    expect(await feeStatusOfDossier(db, draft.id)).toMatchObject({ paid: true, settled: true, canPayNow: false });
    const timeline = await db
      .selectFrom("dossier_events")
      .select(["action", "to_status"])
      .where("dossier_id", "=", draft.id)
      .orderBy("id")
      .execute();
    expect(timeline.map((e) => e.action)).toEqual(["create_draft", "submit", "fee_paid"]);

    const clerk = clerkActor(a);
    await actOnDossier(
      db,
      draft.id,
      { action: "receive", expectedVersion: await versionOf(db, draft.id) },
      clerk,
      new Date(),
    );
    await actOnDossier(
      db,
      draft.id,
      { action: "start_processing", expectedVersion: await versionOf(db, draft.id) },
      clerk,
      new Date(),
    );
    const askAgain = await actOnDossier(
      db,
      draft.id,
      { action: "request_payment", input: { amountVnd: 100_000 }, expectedVersion: await versionOf(db, draft.id) },
      clerk,
      new Date(),
    ).catch((e: unknown) => e);
    expect(askAgain).toBeInstanceOf(FeeAlreadySettledError);
    // A second online payment is not possible either.
    await expect(payOnline(draft.id)).rejects.toThrow();
    await actOnDossier(
      db,
      draft.id,
      { action: "resolve", expectedVersion: await versionOf(db, draft.id) },
      clerk,
      new Date(),
    );
    await actOnDossier(
      db,
      draft.id,
      { action: "return_result", expectedVersion: await versionOf(db, draft.id) },
      clerk,
      new Date(),
    );
    expect(await statusOf(draft.id)).toBe("returned");
  });

  it("duplicate and concurrent IPNs of one order record one payment and one receipt", async () => {
    const id = await counterDossier(db, a, "payment_requested");
    const url = await payOnline(id);
    world.sim.setBehaviour({ duplicateIpn: true });
    const before = world.sim.ipnLog().length;
    try {
      await decideOnGateway(world.sim, await openPayPage(url), "approve");
      await ipnCallsSettled(world.sim, before + 2);
    } finally {
      world.sim.setBehaviour({ duplicateIpn: false });
    }
    expect(world.ipnReplies().slice(-2).sort()).toEqual(["00", "02"]);
    expect(await payments(id)).toMatchObject([{ status: "paid" }]);
  });

  it("reports refunds of a period with their refund receipts", async () => {
    const lines = await refundsBetween(db, new Date(Date.now() - 3600_000), new Date(Date.now() + 3600_000));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l.refundReceiptNo).toMatch(/^HT-\d{4}-\d{7}$/);
    expect(await refundsBetween(db, new Date(0), new Date(), { agencyCodes: [] })).toEqual([]);
  });
});
