/** Exactly-once payment on both databases: concurrent and repeated IPNs, bad signatures and amounts. */
import { type Kysely, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOneProcedure } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { formatAmount, formatVnpDate } from "../../domain/payment/vnpay.ts";
import type { Database } from "../db.server.ts";
import { actOnDossier, intakeDossier } from "../dossiers/workflow-service.server.ts";
import { handleIpn, hmacSha512, recordCounterPayment } from "./payment-service.server.ts";

const AGENCY = "000.00.31.H99";
const SECRET = "demo-secret-change-me";

function ipn(ref: string, amount: number, extra: Record<string, string> = {}) {
  const params: Record<string, string> = {
    vnp_Amount: formatAmount(amount),
    vnp_BankCode: "NCB",
    vnp_OrderInfo: "Thanh toan phi",
    vnp_PayDate: formatVnpDate(new Date()),
    vnp_ResponseCode: "00",
    vnp_TmnCode: "DEMO0001",
    vnp_TransactionNo: "14000001",
    vnp_TransactionStatus: "00",
    vnp_TxnRef: ref,
    ...extra,
  };
  return { ...params, vnp_SecureHash: hmacSha512(SECRET, params) };
}

describe.each(testTargets())("payments on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const clerk = { id: "", agencyCode: AGENCY, fullName: "Cán bộ" };

  async function dossierAwaitingFee(): Promise<string> {
    const created = await intakeDossier(
      db,
      clerk,
      { procedureCode: "1.1", channel: "counter", nationalId: "022090000601", fullName: "Người Nộp", scans: [] },
      new Date(),
    );
    if ("problems" in created) throw new Error("intake");
    const actor = { role: "clerk" as const, userId: clerk.id, agencyCode: AGENCY };
    let v = 1;
    ({ version: v } = await actOnDossier(
      db,
      created.id,
      { action: "start_processing", expectedVersion: v },
      actor,
      new Date(),
    ));
    await actOnDossier(
      db,
      created.id,
      { action: "request_payment", input: { amountVnd: 100000 }, expectedVersion: v },
      actor,
      new Date(),
    );
    return created.id;
  }
  async function order(dossierId: string, ref: string) {
    await db
      .insertInto("payments")
      .values({
        dossier_id: dossierId,
        order_ref: ref,
        amount_vnd: 100000,
        method: "gateway",
        status: "pending",
        payer_name: "Người Nộp",
      })
      .execute();
  }

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    await insertOneProcedure(db, { feeVnd: 100000 });
    clerk.id = (
      await db
        .insertInto("users")
        .values({ role: "clerk", username: "c", full_name: "Cán bộ", password_hash: "x", agency_code: AGENCY })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => {
    await close();
  });

  it("records exactly one payment and one receipt when the same IPN arrives five times at once", async () => {
    const id = await dossierAwaitingFee();
    await order(id, "ORDER1");
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => handleIpn(db, ipn("ORDER1", 100000), new Date())),
    );
    expect(replies.filter((r) => r.RspCode === "00")).toHaveLength(1);
    expect(replies.filter((r) => r.RspCode === "02")).toHaveLength(4);
    const paid = await db
      .selectFrom("payments")
      .select(["status", "receipt_no"])
      .where("dossier_id", "=", id)
      .execute();
    expect(paid).toEqual([{ status: "paid", receipt_no: expect.stringMatching(/^BL-\d{4}-\d{7}$/) }]);
    const d = await db.selectFrom("dossiers").select("status").where("id", "=", id).executeTakeFirstOrThrow();
    expect(d.status).toBe("processing");
    expect(await handleIpn(db, ipn("ORDER1", 100000), new Date())).toMatchObject({ RspCode: "02" });
  });

  it("refuses a tampered signature, a wrong amount and an unknown order, changing nothing", async () => {
    const id = await dossierAwaitingFee();
    await order(id, "ORDER2");
    const tampered = { ...ipn("ORDER2", 100000), vnp_Amount: formatAmount(1000) };
    expect(await handleIpn(db, tampered, new Date())).toMatchObject({ RspCode: "97" });
    expect(await handleIpn(db, ipn("ORDER2", 99999), new Date())).toMatchObject({ RspCode: "04" });
    expect(await handleIpn(db, ipn("NOSUCH", 100000), new Date())).toMatchObject({ RspCode: "01" });
    expect(await handleIpn(db, { vnp_Amount: "abc" }, new Date())).toMatchObject({ RspCode: "97" });
    const p = await db
      .selectFrom("payments")
      .select("status")
      .where("order_ref", "=", "ORDER2")
      .executeTakeFirstOrThrow();
    expect(p.status).toBe("pending");
  });

  it("refuses a forged IPN (wrong secret, made-up transaction, odd hash) without a 500 or an audit row", async () => {
    const id = await dossierAwaitingFee();
    await order(id, "ORDER9");
    const auditRows = async () =>
      Number((await db.selectFrom("audit_events").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n);
    const before = await auditRows();
    const { vnp_SecureHash: _, ...unsigned } = ipn("ORDER9", 100000, { vnp_TransactionNo: "99999999" });
    const forged = { ...unsigned, vnp_SecureHash: hmacSha512("an attacker's guess at the secret", unsigned) };
    expect(await handleIpn(db, forged, new Date())).toMatchObject({ RspCode: "97" });
    // 128 characters, but not hex (and longer than 128 bytes): once a 500 from timingSafeEqual.
    expect(await handleIpn(db, { ...unsigned, vnp_SecureHash: "é".repeat(128) }, new Date())).toMatchObject({
      RspCode: "97",
    });
    expect(await handleIpn(db, { ...unsigned, vnp_SecureHash: "A".repeat(4096) }, new Date())).toMatchObject({
      RspCode: "97",
    });
    const p = await db
      .selectFrom("payments")
      .select(["status", "receipt_no"])
      .where("order_ref", "=", "ORDER9")
      .executeTakeFirstOrThrow();
    expect(p).toEqual({ status: "pending", receipt_no: null });
    // Unsigned messages come from anyone: they must not be able to grow the audit table.
    expect(await auditRows()).toBe(before);
  });

  it("records a declined payment as failed; a later success on another order still pays once", async () => {
    const id = await dossierAwaitingFee();
    await order(id, "ORDER3");
    expect(
      await handleIpn(db, ipn("ORDER3", 100000, { vnp_ResponseCode: "24", vnp_TransactionStatus: "02" }), new Date()),
    ).toMatchObject({ RspCode: "00" });
    await order(id, "ORDER4");
    expect(await handleIpn(db, ipn("ORDER4", 100000), new Date())).toMatchObject({ RspCode: "00" });
    const rows = await db
      .selectFrom("payments")
      .select(["order_ref", "status"])
      .where("dossier_id", "=", id)
      .orderBy("order_ref")
      .execute();
    expect(rows).toEqual([
      { order_ref: "ORDER3", status: "failed" },
      { order_ref: "ORDER4", status: "paid" },
    ]);
  });

  it("reuses the pending order when a citizen clicks Pay twice, and refuses someone else's dossier", async () => {
    process.env.GATEWAY_URL = "http://127.0.0.1:9";
    const id = await dossierAwaitingFee();
    const owner = await db
      .selectFrom("users")
      .select("id")
      .where("national_id", "=", "022090000601")
      .executeTakeFirst();
    const applicantId =
      owner?.id ??
      (
        await db
          .insertInto("users")
          .values({ role: "citizen", national_id: "022090000601", full_name: "Người Nộp", password_hash: "x" })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    await db.updateTable("dossiers").set({ applicant_id: applicantId }).where("id", "=", id).execute();
    const { startOnlinePayment, PaymentNotPossibleError } = await import("./payment-service.server.ts");
    const [a, b] = await Promise.all([
      startOnlinePayment(db, { id: applicantId, fullName: "Người Nộp" }, id, "127.0.0.1", "vi", new Date()),
      startOnlinePayment(db, { id: applicantId, fullName: "Người Nộp" }, id, "127.0.0.1", "vi", new Date()),
    ]);
    expect(new URL(a).searchParams.get("vnp_TxnRef")).toBe(new URL(b).searchParams.get("vnp_TxnRef"));
    expect(await db.selectFrom("payments").select("id").where("dossier_id", "=", id).execute()).toHaveLength(1);
    const stranger = (
      await db
        .insertInto("users")
        .values({ role: "citizen", national_id: "022090000602", full_name: "Người Lạ", password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await expect(
      startOnlinePayment(db, { id: stranger, fullName: "Người Lạ" }, id, "127.0.0.1", "vi", new Date()),
    ).rejects.toBeInstanceOf(PaymentNotPossibleError);
    delete process.env.GATEWAY_URL;
  });

  it("lets a clerk record a cash payment at the counter, once", async () => {
    const id = await dossierAwaitingFee();
    await recordCounterPayment(db, clerk, id, "cash", new Date());
    await expect(recordCounterPayment(db, clerk, id, "cash", new Date())).rejects.toThrow();
    const rows = await db.selectFrom("payments").select(["method", "status"]).where("dossier_id", "=", id).execute();
    expect(rows).toEqual([{ method: "cash", status: "paid" }]);
  });
});

describe.each(testTargets())("reconciliation on $label PostgreSQL", (target: TestTarget) => {
  it("settles a payment whose IPN was lost by querying the gateway", async () => {
    const { startGatewaySimulator } = await import("../../../gateway-sim/server.ts");
    const sim = await startGatewaySimulator({
      port: 0,
      tmnCode: "DEMO0001",
      secret: SECRET,
      ipnUrl: "http://127.0.0.1:9/ipn",
      loseIpn: true,
    });
    const previous = process.env.GATEWAY_URL;
    process.env.GATEWAY_URL = sim.url;
    const { db, close } = await openTestDb(target);
    try {
      await insertOneProcedure(db, { feeVnd: 50000 });
      const clerkId = (
        await db
          .insertInto("users")
          .values({ role: "clerk", username: "c", full_name: "C", password_hash: "x", agency_code: AGENCY })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      const citizenId = (
        await db
          .insertInto("users")
          .values({ role: "citizen", national_id: "022090000701", full_name: "Người Nộp", password_hash: "x" })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
      const created = await intakeDossier(
        db,
        { id: clerkId, agencyCode: AGENCY },
        { procedureCode: "1.1", channel: "counter", nationalId: "022090000701", fullName: "Người Nộp", scans: [] },
        new Date(),
      );
      if ("problems" in created) throw new Error("intake");
      const actor = { role: "clerk" as const, userId: clerkId, agencyCode: AGENCY };
      const { version } = await actOnDossier(
        db,
        created.id,
        { action: "start_processing", expectedVersion: 1 },
        actor,
        new Date(),
      );
      await actOnDossier(
        db,
        created.id,
        { action: "request_payment", input: { amountVnd: 50000 }, expectedVersion: version },
        actor,
        new Date(),
      );

      const { startOnlinePayment, reconcilePayments } = await import("./payment-service.server.ts");
      const payUrl = await startOnlinePayment(
        db,
        { id: citizenId, fullName: "Người Nộp" },
        created.id,
        "127.0.0.1",
        "vi",
        new Date(),
      );
      const page = await (await fetch(payUrl)).text();
      const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? "";
      const confirm = await fetch(`${sim.url}/paymentv2/confirm`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, bank: "NCB", action: "approve" }),
        redirect: "manual",
      });
      expect(confirm.status).toBe(303);
      expect((await db.selectFrom("payments").select("status").executeTakeFirstOrThrow()).status).toBe("pending");

      expect((await reconcilePayments(db, new Date(Date.now() + 3 * 60_000))).settled).toBe(1);
      expect((await reconcilePayments(db, new Date(Date.now() + 4 * 60_000))).settled).toBe(0);
      const paid = await db.selectFrom("payments").select(["status", "receipt_no"]).execute();
      expect(paid).toEqual([{ status: "paid", receipt_no: expect.stringMatching(/^BL-/) }]);
      expect(
        (await db.selectFrom("dossiers").select("status").where("id", "=", created.id).executeTakeFirstOrThrow())
          .status,
      ).toBe("processing");

      // Stopping the dossier moves the fee to "refunding" and queues its refund in the same transaction; the
      // refund goes through the gateway once and ends with a refund receipt on the same payment.
      const { version: v2 } = await db
        .selectFrom("dossiers")
        .select("version")
        .where("id", "=", created.id)
        .executeTakeFirstOrThrow();
      await actOnDossier(
        db,
        created.id,
        { action: "stop", input: { reason: "Không đủ điều kiện" }, expectedVersion: v2 },
        actor,
        new Date(),
      );
      const jobs = await sql<{
        n: number;
      }>`select count(*)::int as n from graphile_worker.jobs where task_identifier = 'refund_payment'`.execute(db);
      expect(jobs.rows[0]?.n).toBe(1);
      const { refundPayment } = await import("./payment-service.server.ts");
      const paidId = (
        await db.selectFrom("payments").select("id").where("status", "=", "refunding").executeTakeFirstOrThrow()
      ).id;
      expect(await refundPayment(db, paidId, new Date())).toBe("refunded");
      expect(await refundPayment(db, paidId, new Date())).toBe("skipped");
      const refund = await db
        .selectFrom("payments")
        .select(["status", "receipt_no", "refund_receipt_no", "refund_reason", "amount_vnd"])
        .execute();
      expect(refund).toEqual([
        {
          status: "refunded",
          receipt_no: expect.stringMatching(/^BL-/),
          refund_receipt_no: expect.stringMatching(/^HT-\d{4}-\d{7}$/),
          refund_reason: "dossier_closed",
          amount_vnd: 50000,
        },
      ]);
      expect(sim.transactions().get(refund[0] ? ([...sim.transactions().keys()][0] ?? "") : "")?.refundedVnd).toBe(
        50000,
      );
    } finally {
      process.env.GATEWAY_URL = previous;
      await close();
      await sim.close();
    }
  });
});
