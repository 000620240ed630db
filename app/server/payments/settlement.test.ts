/**
 * Daily settlement on both databases (ADR 012): the gateway simulator's signed file against the portal's
 * books, each kind of mismatch, re-import, resolving, scope, and files that must be refused.
 */
import crypto from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewaySimulator, startGatewaySimulator } from "../../../gateway-sim/server.ts";
import { insertOneProcedure, TEST_AGENCY } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { toVnDateString } from "../../domain/calendar/working-calendar.ts";
import { buildPaymentParams, formatAmount, formatVnpDate, signingString } from "../../domain/payment/vnpay.ts";
import { SETTLEMENT_SIGNATURE_HEADER, settlementSigningString } from "../../domain/settlement/settlement-file.ts";
import type { Database } from "../db.server.ts";
import {
  type GatewayAccess,
  importSettlement,
  listMismatches,
  listSettlementRuns,
  resolveMismatch,
  SETTLEMENT_CRON,
  SettlementError,
  settlementTask,
  yesterdayInVietnam,
} from "./settlement.server.ts";

const TMN = "SETTLE01";
const SECRET = "settlement-test-secret-0123456789abcdef";
const WARD = "000.01.31.H99";

const hmac = (data: string, secret = SECRET) => crypto.createHmac("sha512", secret).update(data, "utf8").digest("hex");

/** A citizen pays `ref` at the simulator, through its payment page, as a browser would. */
async function captureAtGateway(sim: GatewaySimulator, ref: string, amountVnd: number): Promise<void> {
  const params = buildPaymentParams({
    tmnCode: TMN,
    amountVnd,
    txnRef: ref,
    orderInfo: `Thanh toan ${ref}`,
    returnUrl: "http://127.0.0.1:9/payments/return",
    ipAddr: "127.0.0.1",
    createDate: new Date(),
    expireMinutes: 15,
    locale: "vn",
  });
  const query = new URLSearchParams({ ...params, vnp_SecureHash: hmac(signingString(params)) });
  const page = await (await fetch(`${sim.url}/paymentv2/vpcpay.html?${query}`)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`no payment page for ${ref}: ${page.slice(0, 300)}`);
  const res = await fetch(`${sim.url}/paymentv2/confirm`, {
    method: "POST",
    body: new URLSearchParams({ token, action: "approve", bank: "NCB" }),
    redirect: "manual",
  });
  expect(res.status).toBe(303);
}

async function refundAtGateway(sim: GatewaySimulator, ref: string, amountVnd: number): Promise<void> {
  const request: Record<string, string> = {
    vnp_RequestId: `RF${ref}`,
    vnp_Version: "2.1.0",
    vnp_Command: "refund",
    vnp_TmnCode: TMN,
    vnp_TransactionType: "02",
    vnp_TxnRef: ref,
    vnp_Amount: formatAmount(amountVnd),
    vnp_TransactionNo: "",
    vnp_TransactionDate: formatVnpDate(new Date()),
    vnp_CreateBy: "portal",
    vnp_CreateDate: formatVnpDate(new Date()),
    vnp_IpAddr: "127.0.0.1",
    vnp_OrderInfo: `Hoan phi ${ref}`,
  };
  const res = await fetch(`${sim.url}/merchant_webapi/api/transaction`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...request, vnp_SecureHash: hmac(signingString(request)) }),
  });
  expect(((await res.json()) as { vnp_ResponseCode: string }).vnp_ResponseCode).toBe("00");
}

/** A server that answers every request with the given body and signature header (a forged or tampered file). */
async function fakeGateway(
  answer: () => { body: string; signature: string },
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    const { body, signature } = answer();
    res.writeHead(200, { "content-type": "text/csv", [SETTLEMENT_SIGNATURE_HEADER]: signature });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe.each(testTargets())("settlement on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let sim: GatewaySimulator;
  let gateway: GatewayAccess;
  let financeId = "";
  let seq = 0;
  const today = toVnDateString(new Date());
  const uniq = (p: string) => `${p}${Date.now().toString(36).toUpperCase()}${++seq}`;

  async function dossier(agency = TEST_AGENCY): Promise<string> {
    const code = `${agency}-SETTLE-${++seq}`;
    const row = await db
      .insertInto("dossiers")
      .values({
        code,
        procedure_code: "1.1",
        agency_code: agency,
        receiving_agency_code: agency,
        applicant_national_id: "022090000777",
        applicant_name: "Người Nộp",
        channel: "online",
        status: "processing",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A gateway payment as the portal books it. */
  async function book(
    ref: string,
    amountVnd: number,
    status: "paid" | "refunded" | "pending",
    opts: { agency?: string; paidAt?: Date; refundedAt?: Date } = {},
  ): Promise<string> {
    const dossierId = await dossier(opts.agency);
    const paidAt = status === "pending" ? null : (opts.paidAt ?? new Date());
    const row = await db
      .insertInto("payments")
      .values({
        dossier_id: dossierId,
        order_ref: ref,
        amount_vnd: amountVnd,
        method: "gateway",
        status,
        payer_name: "Người Nộp",
        paid_at: paidAt,
        receipt_no: paidAt ? `BL-T-${ref}` : null,
        refunded_at: status === "refunded" ? (opts.refundedAt ?? new Date()) : null,
        refund_receipt_no: status === "refunded" ? `HT-T-${ref}` : null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    await insertOneProcedure(db, { feeVnd: 100000 });
    await db
      .insertInto("agencies")
      .values({ code: WARD, name_vi: "Phường", name_en: "Ward", level: "commune", parent_code: TEST_AGENCY })
      .execute();
    financeId = (
      await db
        .insertInto("users")
        .values({
          role: "clerk",
          username: "ketoan",
          full_name: "Kế Toán",
          password_hash: "x",
          agency_code: TEST_AGENCY,
          duties: ["finance"],
        })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    sim = await startGatewaySimulator({
      port: 0,
      tmnCode: TMN,
      secret: SECRET,
      ipnUrl: "http://127.0.0.1:9/api/payments/ipn",
      loseIpn: true,
    });
    gateway = { url: sim.url, tmnCode: TMN, secret: SECRET };
  });
  afterAll(async () => {
    await sim?.close();
    await close();
  });

  it("finds each kind of mismatch, and nothing where the books agree", async () => {
    const matched = uniq("OK");
    const differs = uniq("DIFF");
    const refunded = uniq("RFD");
    const lost = uniq("LOST");
    const ward = uniq("WARD");
    for (const [ref, amount] of [
      [matched, 100000],
      [differs, 100000],
      [refunded, 50000],
      [ward, 70000],
    ] as const)
      await captureAtGateway(sim, ref, amount);
    await refundAtGateway(sim, refunded, 50000);
    await book(matched, 100000, "paid");
    await book(differs, 100000, "paid");
    await book(refunded, 50000, "refunded");
    await book(lost, 120000, "paid"); // booked by the portal, unknown to the gateway
    // The gateway captured the ward's payment, but the portal still shows it pending (its IPN was lost).
    await book(ward, 70000, "pending", { agency: WARD });
    sim.settlement.plant({ kind: "amount_differs", txnRef: differs, amountVnd: 90000 });
    const stranger = sim.settlement.plant({ kind: "unknown_txn", amountVnd: 30000 });

    const result = await importSettlement(db, today, new Date(), { gateway, actorId: financeId });
    expect(result).toMatchObject({ ok: true, date: today, lines: 6, mismatches: 4, open: 4 });

    const found = await listMismatches(db, { all: true }, { date: today });
    const summary = found.map((m) => [m.kind, m.lineType, m.txnRef, m.amountGateway, m.amountPortal]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ["amount_differs", "payment", differs, 90000, 100000],
        ["missing_at_gateway", "payment", lost, null, 120000],
        ["missing_in_portal", "payment", ward, 70000, null],
        ["missing_in_portal", "payment", stranger.txnRef, 30000, null],
      ]),
    );
    expect(found).toHaveLength(4);
    expect(found.find((m) => m.txnRef === ward)).toMatchObject({ paymentStatus: "pending", agencyCode: WARD });
    expect(found.find((m) => m.txnRef === stranger.txnRef)).toMatchObject({ paymentId: null, agencyCode: null });

    const [run] = await listSettlementRuns(db, { all: true });
    expect(run).toMatchObject({
      date: today,
      status: "mismatched",
      lines: 6,
      paymentsVnd: 100000 + 90000 + 50000 + 70000 + 30000,
      refundsVnd: 50000,
      mismatches: 4,
      open: 4,
      lastError: null,
    });
    const stored = await db.selectFrom("settlement_runs").select(["content", "file_sha256"]).executeTakeFirstOrThrow();
    expect(stored.content).toContain(`refund,${refunded},`);
    expect(stored.file_sha256).toMatch(/^[0-9a-f]{64}$/);
    const audit = await db
      .selectFrom("audit_events")
      .select(["actor_id", "data"])
      .where("action", "=", "settlement_imported")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: financeId, data: { lines: 6, mismatches: 4 } });

    // Scope: the ward's finance officer sees the ward's mismatch only; nobody below the root sees the stranger.
    const wardOnly = await listMismatches(db, { all: false, agencyCodes: [WARD] }, { date: today });
    expect(wardOnly.map((m) => m.txnRef)).toEqual([ward]);
    const [wardRun] = await listSettlementRuns(db, { all: false, agencyCodes: [WARD] });
    expect(wardRun).toMatchObject({ mismatches: 1, open: 1 });
  });

  it("re-importing a day replaces its open mismatches, keeps resolved ones, and is audited", async () => {
    const before = await listMismatches(db, { all: true }, { date: today });
    const again = await importSettlement(db, today, new Date(), { gateway });
    expect(again).toMatchObject({ ok: true, mismatches: 4, open: 4 });
    const after = await listMismatches(db, { all: true }, { date: today });
    expect(after.map((m) => m.txnRef).sort()).toEqual(before.map((m) => m.txnRef).sort());
    expect(await db.selectFrom("settlement_runs").select("id").execute()).toHaveLength(1);

    const target = after.find((m) => m.kind === "amount_differs");
    if (!target) throw new Error("no amount_differs");
    await resolveMismatch(
      db,
      {
        mismatchId: target.id,
        note: "Ngân hàng xác nhận 90.000 đ; đã điều chỉnh",
        actor: { id: financeId, scope: { all: true } },
      },
      new Date(),
    );
    await expect(
      resolveMismatch(
        db,
        { mismatchId: target.id, note: "lần hai", actor: { id: financeId, scope: { all: true } } },
        new Date(),
      ),
    ).rejects.toMatchObject({ code: "finance:errors.alreadyResolved" });
    const audited = await db
      .selectFrom("audit_events")
      .select(["actor_id", "entity_id", "data"])
      .where("action", "=", "settlement_mismatch_resolved")
      .execute();
    expect(audited).toEqual([
      expect.objectContaining({
        actor_id: financeId,
        entity_id: today,
        data: expect.objectContaining({ mismatchId: target.id }),
      }),
    ]);

    // The same finding again does not reopen what was resolved.
    expect(await importSettlement(db, today, new Date(), { gateway })).toMatchObject({
      ok: true,
      mismatches: 4,
      open: 3,
    });
    const third = await listMismatches(db, { all: true }, { date: today });
    expect(third).toHaveLength(4);
    expect(third.filter((m) => m.resolvedAt === null)).toHaveLength(3);
    expect(third.find((m) => m.id === target.id)).toMatchObject({
      resolvedByName: "Kế Toán",
      resolutionNote: "Ngân hàng xác nhận 90.000 đ; đã điều chỉnh",
    });
    expect(
      await db.selectFrom("audit_events").select("id").where("action", "=", "settlement_imported").execute(),
    ).toHaveLength(3);
  });

  it("refuses to resolve outside the officer's scope, without a note, or an unknown id", async () => {
    const open = await listMismatches(db, { all: true }, { date: today });
    const stranger = open.find((m) => m.agencyCode === null && m.resolvedAt === null);
    if (!stranger) throw new Error("no unit-less mismatch");
    const wardScope = { all: false as const, agencyCodes: [WARD] };
    await expect(
      resolveMismatch(
        db,
        { mismatchId: stranger.id, note: "x", actor: { id: financeId, scope: wardScope } },
        new Date(),
      ),
    ).rejects.toMatchObject({ code: "finance:errors.mismatchNotFound" });
    await expect(
      resolveMismatch(
        db,
        { mismatchId: stranger.id, note: "   ", actor: { id: financeId, scope: { all: true } } },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(SettlementError);
    await expect(
      resolveMismatch(
        db,
        { mismatchId: crypto.randomUUID(), note: "x", actor: { id: financeId, scope: { all: true } } },
        new Date(),
      ),
    ).rejects.toMatchObject({ code: "finance:errors.mismatchNotFound" });
  });

  it("does not call a payment missing when a neighbouring day's file holds it (an IPN just after midnight)", async () => {
    const yesterday = yesterdayInVietnam(new Date());
    const late = uniq("LATE");
    // The gateway settled it yesterday (planted into yesterday's file); the portal booked it today.
    sim.settlement.plant({ kind: "unknown_txn", txnRef: late, amountVnd: 40000, date: yesterday });
    expect(await importSettlement(db, yesterday, new Date(), { gateway })).toMatchObject({
      ok: true,
      lines: 1,
      mismatches: 1, // not yet booked by the portal when yesterday is imported
    });
    await book(late, 40000, "paid");
    const todays = await importSettlement(db, today, new Date(), { gateway });
    expect(todays.ok).toBe(true);
    const found = await listMismatches(db, { all: true }, { date: today });
    expect(found.map((m) => m.txnRef)).not.toContain(late);
  });

  it("refuses a forged or tampered file and a day in the future, keeping what was imported", async () => {
    const countBefore = await db.selectFrom("settlement_mismatches").select("id").execute();
    const runBefore = await db
      .selectFrom("settlement_runs")
      .selectAll()
      .where("settlement_date", "=", today)
      .executeTakeFirstOrThrow();
    const compactDay = today.replaceAll("-", "");
    const genuine = `type,txn_ref,transaction_no,amount,time,bank\r\npayment,FAKE1,1,999999,${compactDay}101010,NCB\r\n`;

    const forged = await fakeGateway(() => ({
      body: genuine,
      signature: hmac(settlementSigningString(TMN, compactDay, genuine), "another-merchant-secret"),
    }));
    const tampered = await fakeGateway(() => ({
      body: genuine.replace("999999", "1"),
      signature: hmac(settlementSigningString(TMN, compactDay, genuine)),
    }));
    const otherDay = await fakeGateway(() => ({
      body: genuine,
      signature: hmac(settlementSigningString(TMN, "20200101", genuine)),
    }));
    const unsigned = await fakeGateway(() => ({ body: genuine, signature: "" }));
    try {
      for (const fake of [forged, tampered, otherDay, unsigned]) {
        const r = await importSettlement(db, today, new Date(), { gateway: { ...gateway, url: fake.url } });
        expect(r).toMatchObject({ ok: false, problem: "signature" });
      }
    } finally {
      for (const fake of [forged, tampered, otherDay, unsigned]) fake.server.close();
    }
    // A correctly signed file that does not parse is refused too.
    const badLine = await fakeGateway(() => {
      const body = `type,txn_ref,transaction_no,amount,time,bank\r\npayment,X,1,12.5,${compactDay}101010,NCB\r\n`;
      return { body, signature: hmac(settlementSigningString(TMN, compactDay, body)) };
    });
    try {
      expect(
        await importSettlement(db, today, new Date(), { gateway: { ...gateway, url: badLine.url } }),
      ).toMatchObject({
        ok: false,
        problem: "malformed",
      });
    } finally {
      badLine.server.close();
    }
    expect(
      await importSettlement(db, today, new Date(), { gateway: { ...gateway, url: "http://127.0.0.1:9" } }),
    ).toMatchObject({
      ok: false,
      problem: "unreachable",
    });
    expect(await importSettlement(db, "2999-01-01", new Date(), { gateway })).toMatchObject({
      ok: false,
      problem: "date",
    });
    expect(await importSettlement(db, "2026-02-30", new Date(), { gateway })).toMatchObject({
      ok: false,
      problem: "date",
    });

    const runAfter = await db
      .selectFrom("settlement_runs")
      .selectAll()
      .where("settlement_date", "=", today)
      .executeTakeFirstOrThrow();
    expect(runAfter).toMatchObject({
      status: runBefore.status,
      lines: runBefore.lines,
      content: runBefore.content,
      imported_at: runBefore.imported_at,
    });
    expect(runAfter.last_error).toMatch(/^unreachable:/);
    expect(await db.selectFrom("settlement_mismatches").select("id").execute()).toHaveLength(countBefore.length);
    expect(
      await db.selectFrom("settlement_lines").select("txn_ref").where("txn_ref", "=", "FAKE1").execute(),
    ).toHaveLength(0);
    const failures = await db
      .selectFrom("audit_events")
      .select("data")
      .where("action", "=", "settlement_import_failed")
      .orderBy("id")
      .execute();
    expect(failures.map((f) => (f.data as { problem: string }).problem)).toEqual([
      "signature",
      "signature",
      "signature",
      "signature",
      "malformed",
      "unreachable",
    ]);
  });

  it("the simulator refuses a settlement request not signed by the merchant", async () => {
    const r = await importSettlement(db, today, new Date(), { gateway: { ...gateway, secret: "not-the-secret" } });
    expect(r).toMatchObject({ ok: false, problem: "refused" });
  });

  it("the queue task imports yesterday's file by default and a given date on request", async () => {
    const saved = {
      url: process.env.GATEWAY_URL,
      tmn: process.env.GATEWAY_TMN_CODE,
      secret: process.env.GATEWAY_SECRET,
    };
    process.env.GATEWAY_URL = sim.url;
    process.env.GATEWAY_TMN_CODE = TMN;
    process.env.GATEWAY_SECRET = SECRET;
    try {
      const task = settlementTask(db);
      // A tick a day ago (a back-filled run): the file of the day before it.
      const cronTick = new Date(Date.now() - 86_400_000).toISOString();
      const dayBefore = yesterdayInVietnam(new Date(cronTick));
      expect(
        await db.selectFrom("settlement_runs").select("id").where("settlement_date", "=", dayBefore).execute(),
      ).toHaveLength(0);
      await task({ _cron: { ts: cronTick, backfilled: true } }, {} as never);
      const run = await db
        .selectFrom("settlement_runs")
        .select(["imported_by", "imported_at", "status"])
        .where("settlement_date", "=", dayBefore)
        .executeTakeFirstOrThrow();
      expect(run).toMatchObject({ imported_by: null, status: "matched" });
      expect(run.imported_at).not.toBeNull();
      await task({ date: today }, {} as never);
      process.env.GATEWAY_URL = "http://127.0.0.1:9";
      await expect(task({ date: today }, {} as never)).rejects.toThrow(/unreachable/);
    } finally {
      for (const [k, v] of [
        ["GATEWAY_URL", saved.url],
        ["GATEWAY_TMN_CODE", saved.tmn],
        ["GATEWAY_SECRET", saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(SETTLEMENT_CRON).toMatch(/^30 1 \* \* \* import_settlement /);
  });
});
