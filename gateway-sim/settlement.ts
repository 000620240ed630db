/**
 * The simulator's settlement desk (ADR 012): the daily đối soát file a real gateway publishes for each
 * merchant, and a demo/test-only switch to plant a discrepancy in it.
 *
 * `GET /merchant_webapi/settlement?vnp_Command=settlement&vnp_TmnCode=…&vnp_SettlementDate=yyyyMMdd&vnp_RequestId=…
 * &vnp_CreateDate=…&vnp_SecureHash=…` (signed by the merchant like every merchant API call) answers the CSV of
 * `app/domain/settlement/settlement-file.ts` for that Vietnam day: one line per transaction captured that day
 * and one per refund made that day, signed in the `X-Settlement-Signature` header.
 *
 * `POST /_sim/plant` with JSON makes the next files lie the way real ones sometimes do:
 *  - `{"kind":"unknown_txn","amountVnd":50000,"date":"2026-11-25"}`: a capture the merchant never ordered;
 *  - `{"kind":"amount_differs","txnRef":"…","amountVnd":90000}`: that order's amount as the gateway books it;
 *  - `{"kind":"missing","txnRef":"…"}`: the gateway has no record of that order's capture
 *    (`"type":"refund"` for its refund instead);
 *  - `{"kind":"clear"}`: forget every plant. `GET /_sim/plant` lists them.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { formatVnpDate, signingString, type VnpParams } from "../app/domain/payment/vnpay.ts";
import {
  compactDate,
  formatSettlementFile,
  isoDate,
  SETTLEMENT_SIGNATURE_HEADER,
  type SettlementLine,
  type SettlementLineType,
  settlementSigningString,
} from "../app/domain/settlement/settlement-file.ts";

/** What the settlement desk reads of a transaction (a subset of the simulator's SimTransaction). */
export type SettlementSource = {
  txnRef: string;
  amountVnd: number;
  transactionNo: string;
  bankCode: string;
  payDate: string;
  status: string;
  refunds: ReadonlyArray<{ amountVnd: number; date: string }>;
};

export type Plant =
  | { kind: "unknown_txn"; txnRef: string; transactionNo: string; amountVnd: number; time: string }
  | { kind: "amount_differs"; txnRef: string; type: SettlementLineType; amountVnd: number }
  | { kind: "missing"; txnRef: string; type: SettlementLineType };

export type SettlementDesk = {
  plant(request: unknown, now?: Date): Plant;
  clearPlants(): void;
  plants(): readonly Plant[];
  /** The day's lines (yyyyMMdd, Vietnam time) as the file will hold them, plants applied. */
  lines(compactDay: string): SettlementLine[];
  handleSettlement(url: URL, res: ServerResponse): void;
  handlePlant(req: IncomingMessage, res: ServerResponse): Promise<void>;
};

const MAX_PLANT_BODY = 16 * 1024;

function hmacHex(secret: string, data: string): string {
  return createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

function sameHex(given: string, expected: string): boolean {
  const g = given.toLowerCase();
  return g.length === expected.length && timingSafeEqual(Buffer.from(g), Buffer.from(expected));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const REF = /^[A-Za-z0-9._:/-]{1,100}$/;

function isAmount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0 && v <= 1_000_000_000_000;
}

export function createSettlementDesk(options: {
  tmnCode: string;
  secret: string;
  transactions: () => Iterable<SettlementSource>;
}): SettlementDesk {
  const { tmnCode, secret } = options;
  let planted: Plant[] = [];
  let nextPlantNo = 98_000_001;

  function plant(request: unknown, now = new Date()): Plant {
    if (typeof request !== "object" || request === null) throw new TypeError("Expected a JSON object");
    const r = request as Record<string, unknown>;
    const type: SettlementLineType = r.type === "refund" ? "refund" : "payment";
    if (r.type !== undefined && r.type !== "payment" && r.type !== "refund")
      throw new TypeError("type must be payment or refund");
    let p: Plant;
    switch (r.kind) {
      case "unknown_txn": {
        const amountVnd = r.amountVnd ?? 50_000;
        if (!isAmount(amountVnd)) throw new RangeError("amountVnd must be a whole number of VND");
        let time = formatVnpDate(now);
        if (r.date !== undefined) {
          const day = typeof r.date === "string" ? compactDate(r.date) : null;
          if (!day) throw new RangeError("date must be YYYY-MM-DD");
          time = `${day}${time.slice(8)}`;
        }
        const txnRef = r.txnRef ?? `SIM${randomBytes(5).toString("hex").toUpperCase()}`;
        if (typeof txnRef !== "string" || !REF.test(txnRef)) throw new TypeError("txnRef is not a reference");
        p = { kind: "unknown_txn", txnRef, transactionNo: String(nextPlantNo++), amountVnd, time };
        break;
      }
      case "amount_differs": {
        if (typeof r.txnRef !== "string" || !REF.test(r.txnRef)) throw new TypeError("txnRef is required");
        if (!isAmount(r.amountVnd)) throw new RangeError("amountVnd must be a whole number of VND");
        p = { kind: "amount_differs", txnRef: r.txnRef, type, amountVnd: r.amountVnd };
        break;
      }
      case "missing": {
        if (typeof r.txnRef !== "string" || !REF.test(r.txnRef)) throw new TypeError("txnRef is required");
        p = { kind: "missing", txnRef: r.txnRef, type };
        break;
      }
      default:
        throw new TypeError("kind must be unknown_txn, amount_differs, missing or clear");
    }
    planted.push(p);
    return p;
  }

  function lines(compactDay: string): SettlementLine[] {
    const out: SettlementLine[] = [];
    for (const t of options.transactions()) {
      if (t.status === "approved" && t.payDate.startsWith(compactDay)) {
        out.push({
          type: "payment",
          txnRef: t.txnRef,
          transactionNo: t.transactionNo,
          amountVnd: t.amountVnd,
          time: t.payDate,
          bank: t.bankCode,
        });
      }
      for (const r of t.refunds) {
        if (!r.date.startsWith(compactDay)) continue;
        out.push({
          type: "refund",
          txnRef: t.txnRef,
          transactionNo: t.transactionNo,
          amountVnd: r.amountVnd,
          time: r.date,
          bank: t.bankCode,
        });
      }
    }
    let result = out;
    for (const p of planted) {
      if (p.kind === "unknown_txn") {
        if (p.time.startsWith(compactDay))
          result.push({
            type: "payment",
            txnRef: p.txnRef,
            transactionNo: p.transactionNo,
            amountVnd: p.amountVnd,
            time: p.time,
            bank: "NCB",
          });
      } else if (p.kind === "amount_differs") {
        result = result.map((l) => (l.type === p.type && l.txnRef === p.txnRef ? { ...l, amountVnd: p.amountVnd } : l));
      } else {
        result = result.filter((l) => !(l.type === p.type && l.txnRef === p.txnRef));
      }
    }
    return result;
  }

  function handleSettlement(url: URL, res: ServerResponse) {
    const params: VnpParams = Object.fromEntries(url.searchParams);
    if (params.vnp_TmnCode !== tmnCode)
      return json(res, 400, { vnp_ResponseCode: "02", vnp_Message: "Merchant invalid" });
    const signed = /^[0-9a-fA-F]{128}$/.test(params.vnp_SecureHash ?? "");
    if (!signed || !sameHex(params.vnp_SecureHash ?? "", hmacHex(secret, signingString(params))))
      return json(res, 403, { vnp_ResponseCode: "97", vnp_Message: "Invalid checksum" });
    if (params.vnp_Command !== "settlement")
      return json(res, 400, { vnp_ResponseCode: "03", vnp_Message: "Unsupported command" });
    const day = params.vnp_SettlementDate ?? "";
    if (!isoDate(day)) return json(res, 400, { vnp_ResponseCode: "03", vnp_Message: "Invalid settlement date" });
    const body = formatSettlementFile(lines(day));
    res.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="settlement-${tmnCode}-${day}.csv"`,
      "cache-control": "no-store",
      [SETTLEMENT_SIGNATURE_HEADER]: hmacHex(secret, settlementSigningString(tmnCode, day, body)),
    });
    res.end(body);
  }

  async function handlePlant(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "GET") return json(res, 200, planted);
    try {
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_PLANT_BODY) throw new RangeError("Request body too large");
        chunks.push(chunk as Buffer);
      }
      const request = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
      if ((request as { kind?: unknown } | null)?.kind === "clear") {
        planted = [];
        return json(res, 200, planted);
      }
      json(res, 200, plant(request));
    } catch (error) {
      json(res, 400, { error: String(error instanceof Error ? error.message : error) });
    }
  }

  return {
    plant,
    clearPlants: () => {
      planted = [];
    },
    plants: () => planted,
    lines,
    handleSettlement,
    handlePlant,
  };
}
