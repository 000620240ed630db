/**
 * Drives the gateway simulator (gateway-sim/server.ts) over HTTP the way the portal and a citizen's browser
 * would, with a small IPN receiver standing in for the portal's IPN endpoint. The merchant side is signed
 * here with node:crypto directly, so the test does not trust the simulator's own signing code.
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type GatewaySimulator, startGatewaySimulator } from "../../../gateway-sim/server.ts";
import { buildPaymentParams, signedQuery, signingString, type VnpParams } from "./vnpay.ts";

const TMN_CODE = "TEST0001";
const SECRET = "test-secret-123";
const RETURN_URL = "http://localhost:3000/thanh-toan/ket-qua?ho-so=HS-1";

function hmac(data: string, secret = SECRET): string {
  return createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

function verifies(params: VnpParams): boolean {
  return params.vnp_SecureHash === hmac(signingString(params));
}

let ipnCalls: VnpParams[] = [];
let ipnServer: Server;
let sim: GatewaySimulator;
let seq = 0;

beforeAll(async () => {
  ipnServer = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    ipnCalls.push(Object.fromEntries(url.searchParams));
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ RspCode: "00", Message: "Confirm Success" }));
  });
  await new Promise<void>((resolve) => ipnServer.listen(0, "127.0.0.1", resolve));
  const ipnPort = (ipnServer.address() as AddressInfo).port;
  sim = await startGatewaySimulator({
    port: 0,
    tmnCode: TMN_CODE,
    secret: SECRET,
    ipnUrl: `http://127.0.0.1:${ipnPort}/api/payments/ipn`,
  });
});

afterAll(async () => {
  await sim?.close();
  await new Promise<void>((resolve) => ipnServer?.close(() => resolve()));
});

beforeEach(() => {
  ipnCalls = [];
  sim.setBehaviour({ ipnDelayMs: 0, duplicateIpn: false, loseIpn: false, badSignature: false });
});

function newTxnRef(): string {
  seq += 1;
  return `HS-${Date.now()}-${seq}`;
}

function payParams(txnRef: string, overrides: Partial<Parameters<typeof buildPaymentParams>[0]> = {}): VnpParams {
  return buildPaymentParams({
    tmnCode: TMN_CODE,
    amountVnd: 150_000,
    txnRef,
    orderInfo: "Lệ phí cấp giấy phép xây dựng",
    returnUrl: RETURN_URL,
    ipAddr: "127.0.0.1",
    createDate: new Date(),
    expireMinutes: 15,
    locale: "vn",
    ...overrides,
  });
}

function payUrl(params: VnpParams, secret = SECRET): string {
  return `${sim.url}/paymentv2/vpcpay.html?${signedQuery(params, hmac(signingString(params), secret))}`;
}

/** Opens the pay page and presses one of its buttons, as a browser would; returns the confirm response. */
async function pay(txnRef: string, action: "approve" | "decline", bank = "NCB"): Promise<Response> {
  const page = await fetch(payUrl(payParams(txnRef)));
  expect(page.status).toBe(200);
  const token = /name="token" value="([^"]+)"/.exec(await page.text())?.[1];
  expect(token).toBeTruthy();
  return fetch(`${sim.url}/paymentv2/confirm`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token: token!, bank, action }).toString(),
    redirect: "manual",
  });
}

function ipnsFor(txnRef: string): VnpParams[] {
  return ipnCalls.filter((c) => c.vnp_TxnRef === txnRef);
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error("Timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls the merchant API with a request signed the same way as the redirect. */
async function merchantApi(fields: VnpParams, secret = SECRET): Promise<VnpParams> {
  const body = { vnp_TmnCode: TMN_CODE, vnp_Version: "2.1.0", vnp_RequestId: `R${Date.now()}${seq++}`, ...fields };
  const res = await fetch(`${sim.url}/merchant_webapi/api/transaction`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...body, vnp_SecureHash: hmac(signingString(body), secret) }),
  });
  expect(res.status).toBe(200);
  const reply = (await res.json()) as VnpParams;
  // Every answer from the gateway is signed, so the portal can trust a reconciliation result.
  expect(verifies(reply)).toBe(true);
  return reply;
}

describe("pay page", () => {
  it("shows a correctly signed request with the amount in VND, accessibly", async () => {
    const res = await fetch(payUrl(payParams(newTxnRef())));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="vi"');
    expect(html).toMatch(/<title>[^<]+<\/title>/);
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html).toContain("150.000");
    expect(html).toContain("Lệ phí cấp giấy phép xây dựng");
    expect(html).toContain('<label for="bank">');
    expect(html).toContain("Thẻ quốc tế");
    expect(html).toContain(">Thanh toán</button>");
    expect(html).toContain(">Hủy giao dịch</button>");
  });

  it("refuses a request tampered with after signing", async () => {
    const params = payParams(newTxnRef());
    const url = payUrl(params).replace("vnp_Amount=15000000", "vnp_Amount=100");
    const res = await fetch(url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Sai chữ ký");
  });

  it("refuses a request signed with another secret, an unknown merchant, or past its expiry", async () => {
    const wrongSecret = await fetch(payUrl(payParams(newTxnRef()), "other-secret"));
    expect(wrongSecret.status).toBe(400);
    const unknown = await fetch(payUrl(payParams(newTxnRef(), { tmnCode: "NOBODY01" })));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("vnp_TmnCode");
    const old = payParams(newTxnRef(), { createDate: new Date(Date.now() - 3_600_000), expireMinutes: 15 });
    const expired = await fetch(payUrl(old));
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain("quá thời gian");
  });
});

describe("confirm, return and IPN", () => {
  it("approve: 303 to the return URL with signed success params, and exactly one IPN", async () => {
    const txnRef = newTxnRef();
    const res = await pay(txnRef, "approve", "VCB");
    expect(res.status).toBe(303);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${RETURN_URL}&`)).toBe(true);
    const back: VnpParams = Object.fromEntries(new URL(location).searchParams);
    expect(verifies(back)).toBe(true);
    expect(back).toMatchObject({
      vnp_TxnRef: txnRef,
      vnp_Amount: "15000000",
      vnp_ResponseCode: "00",
      vnp_TransactionStatus: "00",
      vnp_BankCode: "VCB",
      vnp_TmnCode: TMN_CODE,
      vnp_OrderInfo: "Lệ phí cấp giấy phép xây dựng",
    });
    expect(back.vnp_TransactionNo).toMatch(/^[1-9]\d*$/);
    expect(back.vnp_PayDate).toMatch(/^\d{14}$/);

    await waitFor(() => ipnsFor(txnRef).length >= 1);
    await sleep(100);
    const ipns = ipnsFor(txnRef);
    expect(ipns).toHaveLength(1);
    expect(verifies(ipns[0]!)).toBe(true);
    // The return URL keeps the portal's own query (ho-so); the gateway's part is the same as the IPN.
    expect(back["ho-so"]).toBe("HS-1");
    expect(ipns[0]).toEqual(Object.fromEntries(Object.entries(back).filter(([k]) => k.startsWith("vnp_"))));
  });

  it("decline: response 24, status 02, nothing charged", async () => {
    const txnRef = newTxnRef();
    const res = await pay(txnRef, "decline");
    expect(res.status).toBe(303);
    const back = Object.fromEntries(new URL(res.headers.get("location")!).searchParams);
    expect(verifies(back)).toBe(true);
    expect(back).toMatchObject({ vnp_ResponseCode: "24", vnp_TransactionStatus: "02", vnp_TransactionNo: "0" });
    await waitFor(() => ipnsFor(txnRef).length === 1);
    expect(ipnsFor(txnRef)[0]?.vnp_ResponseCode).toBe("24");
  });

  it("a decided reference cannot be paid again", async () => {
    const txnRef = newTxnRef();
    await pay(txnRef, "approve");
    const again = await fetch(payUrl(payParams(txnRef)));
    expect(again.status).toBe(400);
  });

  it("duplicateIpn: the IPN arrives twice with identical params", async () => {
    sim.setBehaviour({ duplicateIpn: true });
    const txnRef = newTxnRef();
    expect((await pay(txnRef, "approve")).status).toBe(303);
    await waitFor(() => ipnsFor(txnRef).length >= 2);
    await sleep(100);
    const ipns = ipnsFor(txnRef);
    expect(ipns).toHaveLength(2);
    expect(ipns[1]).toEqual(ipns[0]);
  });

  it("loseIpn: no IPN, but querydr tells the portal the payment succeeded", async () => {
    sim.setBehaviour({ loseIpn: true });
    const txnRef = newTxnRef();
    expect((await pay(txnRef, "approve")).status).toBe(303);
    await sleep(200);
    expect(ipnsFor(txnRef)).toHaveLength(0);
    const reply = await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: txnRef });
    expect(reply).toMatchObject({
      vnp_ResponseCode: "00",
      vnp_TxnRef: txnRef,
      vnp_Amount: "15000000",
      vnp_TransactionStatus: "00",
    });
  });

  it("ipnDelayMs: the browser's redirect arrives before the IPN", async () => {
    sim.setBehaviour({ ipnDelayMs: 300 });
    const txnRef = newTxnRef();
    expect((await pay(txnRef, "approve")).status).toBe(303);
    expect(ipnsFor(txnRef)).toHaveLength(0);
    await waitFor(() => ipnsFor(txnRef).length === 1);
  });

  it("badSignature: the results no longer verify", async () => {
    sim.setBehaviour({ badSignature: true });
    const txnRef = newTxnRef();
    const res = await pay(txnRef, "approve");
    const back = Object.fromEntries(new URL(res.headers.get("location")!).searchParams);
    expect(verifies(back)).toBe(false);
    await waitFor(() => ipnsFor(txnRef).length === 1);
    expect(verifies(ipnsFor(txnRef)[0]!)).toBe(false);
  });

  it("behaviour can be set over HTTP", async () => {
    const res = await fetch(`${sim.url}/_sim/behaviour`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ loseIpn: true }),
    });
    expect(res.status).toBe(200);
    expect(sim.behaviour().loseIpn).toBe(true);
    const bad = await fetch(`${sim.url}/_sim/behaviour`, { method: "POST", body: '{"ipnDelayMs":-1}' });
    expect(bad.status).toBe(400);
  });
});

describe("merchant API", () => {
  it("querydr: stored status, 01 while the citizen has not chosen, 91 when unknown", async () => {
    const declined = newTxnRef();
    await pay(declined, "decline");
    expect(await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: declined })).toMatchObject({
      vnp_ResponseCode: "00",
      vnp_TransactionStatus: "02",
    });
    const opened = newTxnRef();
    await fetch(payUrl(payParams(opened)));
    expect((await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: opened })).vnp_TransactionStatus).toBe("01");
    expect((await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: "NO-SUCH" })).vnp_ResponseCode).toBe("91");
  });

  it("rejects a request with a bad signature (97) or for another merchant (02)", async () => {
    const txnRef = newTxnRef();
    await pay(txnRef, "approve");
    const forged = await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: txnRef }, "wrong");
    expect(forged.vnp_ResponseCode).toBe("97");
    expect(forged.vnp_TransactionStatus).toBeUndefined();
    const other = await merchantApi({ vnp_Command: "querydr", vnp_TxnRef: txnRef, vnp_TmnCode: "NOBODY01" });
    expect(other.vnp_ResponseCode).toBe("02");
  });

  it("refund: partial, then the rest, then refused", async () => {
    const txnRef = newTxnRef();
    await pay(txnRef, "approve");
    const partial = await merchantApi({ vnp_Command: "refund", vnp_TxnRef: txnRef, vnp_Amount: "5000000" });
    expect(partial).toMatchObject({ vnp_ResponseCode: "00", vnp_TransactionType: "03", vnp_Amount: "5000000" });
    const tooMuch = await merchantApi({ vnp_Command: "refund", vnp_TxnRef: txnRef, vnp_Amount: "15000000" });
    expect(tooMuch.vnp_ResponseCode).toBe("02");
    const rest = await merchantApi({ vnp_Command: "refund", vnp_TxnRef: txnRef, vnp_Amount: "10000000" });
    expect(rest.vnp_ResponseCode).toBe("00");
    const again = await merchantApi({ vnp_Command: "refund", vnp_TxnRef: txnRef, vnp_Amount: "100" });
    expect(again.vnp_ResponseCode).toBe("94");
    expect(sim.transactions().get(txnRef)?.refundedVnd).toBe(150_000);
  });

  it("refund of a declined payment is refused", async () => {
    const txnRef = newTxnRef();
    await pay(txnRef, "decline");
    const reply = await merchantApi({ vnp_Command: "refund", vnp_TxnRef: txnRef, vnp_Amount: "15000000" });
    expect(reply.vnp_ResponseCode).toBe("95");
  });
});
