/**
 * Gateway simulator: a stand-in for a VNPay-style payment gateway (docs/domain.md#payments), run on localhost so the
 * portal's payment flow — redirect, citizen's choice, IPN, return URL, status query, refund — can be
 * exercised end to end without a merchant contract or the network.
 *
 * It speaks the same protocol as the real gateway (VNPay 2.1.0 parameters, HMAC-SHA512 over
 * `signingString` from the portal's own domain module, so both sides sign identical bytes) and can be told to
 * misbehave the way real gateways do: deliver the IPN late, twice, not at all, or with a bad signature.
 * Everything is kept in memory; restarting the simulator forgets all transactions. The daily settlement file
 * (đối soát) and its planted discrepancies live in `settlement.ts`.
 *
 * Start it with `npx tsx gateway-sim/server.ts` (environment: GATEWAY_PORT, GATEWAY_TMN_CODE, GATEWAY_SECRET,
 * GATEWAY_IPN_URL), or from a test with `startGatewaySimulator`.
 */
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  formatVnpDate,
  parseAmount,
  parseVnpDate,
  signedQuery,
  signingString,
  type VnpParams,
} from "../app/domain/payment/vnpay.ts";
import { createSettlementDesk, type SettlementDesk } from "./settlement.ts";

/** How the simulator delivers results; changeable while it runs. */
export type GatewayBehaviour = {
  /** Wait this long before calling the IPN URL, so the browser's return can arrive first. */
  ipnDelayMs: number;
  /** Deliver every IPN twice, as real gateways do when they retry. */
  duplicateIpn: boolean;
  /** Never deliver the IPN; the portal must find out through `querydr`. */
  loseIpn: boolean;
  /** Corrupt the signature of results (IPN and return URL); the portal must reject them. */
  badSignature: boolean;
};

export type GatewaySimulatorOptions = {
  /** 0 picks a free port. */
  port: number;
  tmnCode: string;
  secret: string;
  ipnUrl: string;
  /** Interface to listen on; the simulator is a development tool, so loopback by default. */
  host?: string;
} & Partial<GatewayBehaviour>;

/** A transaction as the gateway remembers it. */
export type SimTransaction = {
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  /** Customer-facing result code: 00 success, 24 cancelled by customer, 11 timed out; "" until decided. */
  responseCode: string;
  /** Gateway-side status: 01 not completed yet, 00 success, 02 failed. */
  transactionStatus: string;
  /** The gateway's own number for the transaction; "0" when nothing was charged. */
  transactionNo: string;
  bankCode: string;
  /** yyyyMMddHHmmss, Vietnam time; "" until decided. */
  payDate: string;
  status: "pending" | "approved" | "declined" | "expired";
  refundedVnd: number;
  refunds: { requestId: string; amountVnd: number; date: string }[];
};

export type IpnDelivery = { url: string; status: number | null; body: string; error?: string };

export type GatewaySimulator = {
  url: string;
  close(): Promise<void>;
  setBehaviour(partial: Partial<GatewayBehaviour>): GatewayBehaviour;
  behaviour(): GatewayBehaviour;
  /** Transactions by `vnp_TxnRef`, for tests and debugging. */
  transactions(): ReadonlyMap<string, SimTransaction>;
  /** Every IPN call made, with the portal's answer. */
  ipnLog(): readonly IpnDelivery[];
  /** The daily settlement file and its planted discrepancies (gateway-sim/settlement.ts). */
  settlement: SettlementDesk;
};

/** Banks and card types offered on the payment page, by the codes VNPay reports in `vnp_BankCode`. */
const BANKS: { code: string; label: string }[] = [
  { code: "NCB", label: "Ngân hàng Quốc Dân (NCB)" },
  { code: "VCB", label: "Vietcombank (VCB)" },
  { code: "BIDV", label: "BIDV" },
  { code: "INTCARD", label: "Thẻ quốc tế (Visa, MasterCard, JCB)" },
];

/** Pay requests waiting for the citizen's choice, by the token in the confirmation form. */
type PendingPayment = { params: VnpParams; amountVnd: number; expiresAt: Date };

const MAX_BODY_BYTES = 64 * 1024;

export function hmacSha512Hex(secret: string, data: string): string {
  return createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

function signatureMatches(secret: string, params: VnpParams): boolean {
  const given = (params.vnp_SecureHash ?? "").toLowerCase();
  const expected = hmacSha512Hex(secret, signingString(params));
  // Constant-time comparison: a signature check that leaks timing can be forged byte by byte.
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/** Flips the last hex digit, so the hash still looks like a hash but no longer verifies. */
function corrupt(hash: string): string {
  const last = hash.at(-1) === "0" ? "1" : "0";
  return hash.slice(0, -1) + last;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function formatVnd(amountVnd: number): string {
  return new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" }).format(amountVnd);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Cổng thanh toán mô phỏng</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1rem; }
dt { font-weight: 600; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
select, button { font: inherit; padding: .5rem .75rem; }
.actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
.approve { background: #0b5cad; color: #fff; border: 0; border-radius: 4px; }
.decline { background: #fff; color: #8a1c1c; border: 1px solid #8a1c1c; border-radius: 4px; }
button:focus-visible, select:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
.note { color: #555; font-size: .9rem; }
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function errorPage(res: ServerResponse, message: string): void {
  sendHtml(
    res,
    400,
    page(
      "Giao dịch không hợp lệ",
      `<h1>Giao dịch không hợp lệ</h1>
<p role="alert">${escapeHtml(message)}</p>
<p class="note">Vui lòng quay lại trang của đơn vị bán hàng và thực hiện lại.</p>`,
    ),
  );
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error("Request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "http:" || u.protocol === "https:";
  } catch {
    return false;
  }
}

function withQuery(url: string, query: string): string {
  return url + (url.includes("?") ? "&" : "?") + query;
}

/**
 * The simulator's state and request handlers: the behaviour switches, the transactions it knows, the pay pages
 * waiting for a decision, the IPNs it has sent and the timers that will send more.
 */
class GatewaySim {
  behaviour: GatewayBehaviour;
  readonly transactions = new Map<string, SimTransaction>();
  readonly pending = new Map<string, PendingPayment>();
  readonly ipnLog: IpnDelivery[] = [];
  // Timers and in-flight IPNs, so close() does not leave calls running against a portal that has stopped.
  readonly timers = new Set<NodeJS.Timeout>();
  readonly inFlight = new Set<Promise<void>>();
  nextTransactionNo = 14_000_001;
  readonly settlement: SettlementDesk;
  readonly tmnCode: string;
  readonly secret: string;
  readonly ipnUrl: string;

  constructor(options: GatewaySimulatorOptions) {
    this.tmnCode = options.tmnCode;
    this.secret = options.secret;
    this.ipnUrl = options.ipnUrl;
    this.behaviour = {
      ipnDelayMs: options.ipnDelayMs ?? 0,
      duplicateIpn: options.duplicateIpn ?? false,
      loseIpn: options.loseIpn ?? false,
      badSignature: options.badSignature ?? false,
    };
    this.settlement = createSettlementDesk({
      tmnCode: this.tmnCode,
      secret: this.secret,
      transactions: () => this.transactions.values(),
    });
  }

  setBehaviour(partial: Partial<GatewayBehaviour>): GatewayBehaviour {
    const next = { ...this.behaviour };
    if (partial.ipnDelayMs !== undefined) {
      if (!Number.isFinite(partial.ipnDelayMs) || partial.ipnDelayMs < 0)
        throw new RangeError("ipnDelayMs must be ≥ 0");
      next.ipnDelayMs = partial.ipnDelayMs;
    }
    for (const key of ["duplicateIpn", "loseIpn", "badSignature"] as const) {
      const value = partial[key];
      if (value !== undefined) {
        if (typeof value !== "boolean") throw new TypeError(`${key} must be a boolean`);
        next[key] = value;
      }
    }
    this.behaviour = next;
    return { ...this.behaviour };
  }

  sign(params: VnpParams): VnpParams {
    const hash = hmacSha512Hex(this.secret, signingString(params));
    return { ...params, vnp_SecureHash: this.behaviour.badSignature ? corrupt(hash) : hash };
  }

  /** The signed result of a transaction, as sent to the IPN and return URLs. */
  resultParams(txn: SimTransaction): VnpParams {
    return this.sign({
      vnp_Amount: String(txn.amountVnd * 100),
      vnp_BankCode: txn.bankCode,
      vnp_OrderInfo: txn.orderInfo,
      vnp_PayDate: txn.payDate,
      vnp_ResponseCode: txn.responseCode,
      vnp_TmnCode: this.tmnCode,
      vnp_TransactionNo: txn.transactionNo,
      vnp_TransactionStatus: txn.transactionStatus,
      vnp_TxnRef: txn.txnRef,
    });
  }

  queryOf(params: VnpParams): string {
    return signedQuery(params, params.vnp_SecureHash ?? "");
  }

  async deliverIpn(url: string): Promise<void> {
    try {
      const res = await fetch(url, { method: "GET", signal: AbortSignal.timeout(10_000) });
      this.ipnLog.push({ url, status: res.status, body: await res.text() });
    } catch (error) {
      this.ipnLog.push({ url, status: null, body: "", error: String(error) });
    }
  }

  scheduleIpn(params: VnpParams): void {
    if (this.behaviour.loseIpn) return;
    const url = withQuery(this.ipnUrl, this.queryOf(params));
    const times = this.behaviour.duplicateIpn ? 2 : 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      // Sequential, like a gateway retrying: the second call arrives after the portal answered the first.
      const run = (async () => {
        for (let i = 0; i < times; i++) await this.deliverIpn(url);
      })();
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
    }, this.behaviour.ipnDelayMs);
    this.timers.add(timer);
  }

  /** Checks a pay request the way the gateway does before showing it; returns what is wrong, in Vietnamese. */
  checkPayRequest(params: VnpParams): PendingPayment | string {
    if (!params.vnp_SecureHash) return "Thiếu chữ ký giao dịch (vnp_SecureHash).";
    if (params.vnp_TmnCode !== this.tmnCode) return "Mã website (vnp_TmnCode) không tồn tại.";
    if (!signatureMatches(this.secret, params)) return "Sai chữ ký giao dịch (vnp_SecureHash).";
    if (params.vnp_Version !== "2.1.0" || params.vnp_Command !== "pay") {
      return "Phiên bản hoặc lệnh không được hỗ trợ (cần vnp_Version=2.1.0, vnp_Command=pay).";
    }
    if (params.vnp_CurrCode !== "VND") return "Loại tiền tệ không được hỗ trợ (chỉ VND).";
    const amountVnd = parseAmount(params.vnp_Amount ?? "");
    if (amountVnd === null) return "Số tiền (vnp_Amount) không hợp lệ.";
    const txnRef = params.vnp_TxnRef ?? "";
    if (txnRef === "") return "Thiếu mã giao dịch (vnp_TxnRef).";
    if (!isHttpUrl(params.vnp_ReturnUrl ?? "")) return "Địa chỉ trả về (vnp_ReturnUrl) không hợp lệ.";
    const created = parseVnpDate(params.vnp_CreateDate ?? "");
    const expires = parseVnpDate(params.vnp_ExpireDate ?? "");
    if (!created || !expires) return "Thời gian tạo hoặc hết hạn giao dịch không hợp lệ.";
    if (expires.getTime() <= Date.now()) return "Giao dịch đã quá thời gian chờ thanh toán.";
    const existing = this.transactions.get(txnRef);
    // A reference already paid or declined cannot be reused, so one order can never be charged twice.
    if (existing && existing.status !== "pending") return "Mã giao dịch (vnp_TxnRef) đã tồn tại.";
    return { params, amountVnd, expiresAt: expires };
  }

  handlePayPage(url: URL, res: ServerResponse): void {
    const params: VnpParams = Object.fromEntries(url.searchParams);
    const checked = this.checkPayRequest(params);
    if (typeof checked === "string") {
      errorPage(res, checked);
      return;
    }
    const { amountVnd } = checked;
    const txnRef = params.vnp_TxnRef ?? "";
    const token = randomUUID();
    this.pending.set(token, checked);
    // Reopening a this.pending order replaces what is remembered about it: the latest request is the one to pay.
    this.transactions.set(txnRef, {
      txnRef,
      amountVnd,
      orderInfo: params.vnp_OrderInfo ?? "",
      responseCode: "",
      transactionStatus: "01",
      transactionNo: "0",
      bankCode: "",
      payDate: "",
      status: "pending",
      refundedVnd: 0,
      refunds: [],
    });
    const options = BANKS.map((b) => `<option value="${b.code}">${escapeHtml(b.label)}</option>`).join("");
    sendHtml(
      res,
      200,
      page(
        "Thanh toán",
        `<h1>Thanh toán trực tuyến</h1>
<dl>
<dt>Đơn vị</dt><dd>${escapeHtml(this.tmnCode)}</dd>
<dt>Mã giao dịch</dt><dd>${escapeHtml(txnRef)}</dd>
<dt>Nội dung</dt><dd>${escapeHtml(params.vnp_OrderInfo ?? "")}</dd>
<dt>Số tiền</dt><dd><strong>${escapeHtml(formatVnd(amountVnd))}</strong></dd>
<dt>Hết hạn lúc</dt><dd>${escapeHtml(params.vnp_ExpireDate ?? "")} (giờ Việt Nam)</dd>
</dl>
<form method="post" action="/paymentv2/confirm">
<input type="hidden" name="token" value="${token}">
<label for="bank">Ngân hàng / loại thẻ</label>
<select id="bank" name="bank" required>${options}</select>
<div class="actions">
<button type="submit" class="approve" name="action" value="approve">Thanh toán</button>
<button type="submit" class="decline" name="action" value="decline">Hủy giao dịch</button>
</div>
</form>
<p class="note">Đây là cổng thanh toán mô phỏng dùng cho phát triển; không có tiền thật được chuyển.</p>`,
      ),
    );
  }

  async handleConfirm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const token = form.get("token") ?? "";
    const waiting = this.pending.get(token);
    if (!waiting) return errorPage(res, "Phiên thanh toán không tồn tại hoặc đã được xử lý.");
    const action = form.get("action");
    if (action !== "approve" && action !== "decline") return errorPage(res, "Thao tác không hợp lệ.");
    const bank = form.get("bank") ?? "";
    if (!BANKS.some((b) => b.code === bank)) return errorPage(res, "Ngân hàng không hợp lệ.");
    this.pending.delete(token);

    const { params, amountVnd } = waiting;
    const txnRef = params.vnp_TxnRef ?? "";
    const previous = this.transactions.get(txnRef);
    // Two tabs on the same order: the first decision wins, the second is refused rather than charged again.
    if (previous && previous.status !== "pending") return errorPage(res, "Mã giao dịch (vnp_TxnRef) đã được xử lý.");
    const now = new Date();
    const expired = now.getTime() > waiting.expiresAt.getTime();
    const approved = action === "approve" && !expired;
    const txn: SimTransaction = {
      txnRef,
      amountVnd,
      orderInfo: params.vnp_OrderInfo ?? "",
      responseCode: approved ? "00" : expired ? "11" : "24",
      transactionStatus: approved ? "00" : "02",
      transactionNo: approved ? String(this.nextTransactionNo++) : "0",
      bankCode: bank,
      payDate: formatVnpDate(now),
      status: approved ? "approved" : expired ? "expired" : "declined",
      refundedVnd: 0,
      refunds: [],
    };
    this.transactions.set(txnRef, txn);

    const result = this.resultParams(txn);
    this.scheduleIpn(result);
    res.writeHead(303, {
      location: withQuery(params.vnp_ReturnUrl ?? "", this.queryOf(result)),
      "cache-control": "no-store",
    });
    res.end();
  }

  /** The merchant API: `querydr` (status of a transaction) and `refund`, JSON in and signed JSON out. */
  async handleMerchantApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendJson(res, 400, this.sign({ vnp_ResponseCode: "03", vnp_Message: "Invalid JSON" }));
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendJson(res, 400, this.sign({ vnp_ResponseCode: "03", vnp_Message: "Invalid request" }));
    }
    // Stringify everything, so a number-typed field still signs as the portal meant it.
    const params: VnpParams = Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]),
    );
    const command = params.vnp_Command ?? "";
    const reply = (fields: VnpParams) =>
      sendJson(
        res,
        200,
        this.sign({
          vnp_ResponseId: randomUUID().replace(/-/g, ""),
          vnp_Command: command,
          vnp_TmnCode: this.tmnCode,
          ...fields,
        }),
      );

    if (params.vnp_TmnCode !== this.tmnCode) return reply({ vnp_ResponseCode: "02", vnp_Message: "Merchant invalid" });
    if (!signatureMatches(this.secret, params))
      return reply({ vnp_ResponseCode: "97", vnp_Message: "Invalid checksum" });
    if (command !== "querydr" && command !== "refund") {
      return reply({ vnp_ResponseCode: "03", vnp_Message: "Unsupported command" });
    }
    const txnRef = params.vnp_TxnRef ?? "";
    const txn = this.transactions.get(txnRef);
    if (!txn) return reply({ vnp_ResponseCode: "91", vnp_Message: "Transaction not found", vnp_TxnRef: txnRef });

    const status = (): VnpParams => ({
      vnp_TxnRef: txn.txnRef,
      vnp_Amount: String(txn.amountVnd * 100),
      vnp_OrderInfo: txn.orderInfo,
      vnp_BankCode: txn.bankCode,
      vnp_PayDate: txn.payDate,
      vnp_TransactionNo: txn.transactionNo,
      vnp_TransactionType: "01",
      vnp_TransactionStatus: txn.transactionStatus,
    });
    if (command === "querydr") return reply({ vnp_ResponseCode: "00", vnp_Message: "Query success", ...status() });

    const requestId = params.vnp_RequestId ?? "";
    if (txn.refunds.some((r) => r.requestId !== "" && r.requestId === requestId)) {
      return reply({ vnp_ResponseCode: "94", vnp_Message: "Duplicate request", ...status() });
    }
    if (txn.status !== "approved") {
      return reply({ vnp_ResponseCode: "95", vnp_Message: "Transaction was not successful", ...status() });
    }
    const amountVnd = parseAmount(params.vnp_Amount ?? "");
    if (amountVnd === null) return reply({ vnp_ResponseCode: "03", vnp_Message: "Invalid amount", ...status() });
    if (txn.refundedVnd >= txn.amountVnd) {
      return reply({ vnp_ResponseCode: "94", vnp_Message: "Already fully refunded", ...status() });
    }
    if (txn.refundedVnd + amountVnd > txn.amountVnd) {
      return reply({ vnp_ResponseCode: "02", vnp_Message: "Refund exceeds the original amount", ...status() });
    }
    const date = formatVnpDate(new Date());
    txn.refunds.push({ requestId, amountVnd, date });
    txn.refundedVnd += amountVnd;
    return reply({
      vnp_ResponseCode: "00",
      vnp_Message: "Refund success",
      ...status(),
      vnp_Amount: String(amountVnd * 100),
      // 02 full refund, 03 partial, as in the gateway's own reporting.
      vnp_TransactionType: amountVnd === txn.amountVnd ? "02" : "03",
      vnp_PayDate: date,
    });
  }

  async handleBehaviour(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const partial = JSON.parse(await readBody(req)) as Partial<GatewayBehaviour>;
      if (typeof partial !== "object" || partial === null) throw new TypeError("Expected a JSON object");
      sendJson(res, 200, this.setBehaviour(partial));
    } catch (error) {
      sendJson(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
  }

  /** Answers one request by its method and path. */
  async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    switch (`${req.method} ${url.pathname}`) {
      case "GET /paymentv2/vpcpay.html":
        return this.handlePayPage(url, res);
      case "POST /paymentv2/confirm":
        return this.handleConfirm(req, res);
      case "POST /merchant_webapi/api/transaction":
        return this.handleMerchantApi(req, res);
      case "POST /_sim/behaviour":
        return this.handleBehaviour(req, res);
      case "GET /_sim/behaviour":
        return sendJson(res, 200, this.behaviour);
      case "GET /_sim/transactions":
        // What the gateway holds, for the operations tests to check against the portal's books.
        return sendJson(
          res,
          200,
          [...this.transactions.values()].map((t) => ({ txnRef: t.txnRef, amountVnd: t.amountVnd, status: t.status })),
        );
      case "GET /_sim/identity":
        // Lets a second portal instance recognise a running simulator and re-use it (server.ts).
        return sendJson(res, 200, {
          simulator: "gateway-sim",
          tmnCode: this.tmnCode,
          ipnUrl: this.ipnUrl,
          pid: process.pid,
        });
      case "GET /merchant_webapi/settlement":
        return this.settlement.handleSettlement(url, res);
      case "GET /_sim/plant":
      case "POST /_sim/plant":
        return this.settlement.handlePlant(req, res);
      default:
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
        res.end("Not found");
    }
  }
}

export async function startGatewaySimulator(options: GatewaySimulatorOptions): Promise<GatewaySimulator> {
  const sim = new GatewaySim(options);
  const server = createServer((req, res) => {
    sim.route(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
        res.end(`Simulator error: ${String(error)}`);
      } else {
        res.destroy();
      }
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  // A wildcard address is not something to put in a URL; the simulator is reached locally then.
  const listenHost = options.host ?? "127.0.0.1";
  const urlHost = listenHost === "0.0.0.0" || listenHost === "::" ? "localhost" : listenHost;

  return {
    url: `http://${urlHost.includes(":") ? `[${urlHost}]` : urlHost}:${port}`,
    setBehaviour: (partial) => sim.setBehaviour(partial),
    behaviour: () => ({ ...sim.behaviour }),
    transactions: () => sim.transactions,
    ipnLog: () => sim.ipnLog,
    settlement: sim.settlement,
    async close() {
      for (const timer of sim.timers) clearTimeout(timer);
      sim.timers.clear();
      await Promise.allSettled([...sim.inFlight]);
      await new Promise<void>((resolvePromise, reject) => {
        server.close((error) => (error ? reject(error) : resolvePromise()));
        server.closeAllConnections();
      });
    },
  };
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;

if (runDirectly) {
  const sim = await startGatewaySimulator({
    port: Number(process.env.GATEWAY_PORT ?? 8089),
    tmnCode: process.env.GATEWAY_TMN_CODE ?? "DEMO0001",
    secret: process.env.GATEWAY_SECRET ?? "demo-secret-change-me",
    ipnUrl: process.env.GATEWAY_IPN_URL ?? "http://localhost:3000/api/payments/ipn",
  });
  console.log(`Gateway simulator listening on ${sim.url} (pay URL ${sim.url}/paymentv2/vpcpay.html)`);
  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
