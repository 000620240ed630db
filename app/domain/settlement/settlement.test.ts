/** The settlement file's format and the comparison with the portal's books, without a database (ADR 012). */
import { describe, expect, it } from "vitest";
import { compareSettlement, lineKey, mismatchKey, type PortalPayment } from "./compare.ts";
import {
  compactDate,
  formatSettlementFile,
  isoDate,
  parseSettlementFile,
  type SettlementLine,
  settlementSigningString,
} from "./settlement-file.ts";

const DAY = "20261125";
const line = (over: Partial<SettlementLine> = {}): SettlementLine => ({
  type: "payment",
  txnRef: "REF1",
  transactionNo: "14000001",
  amountVnd: 100000,
  time: `${DAY}093012`,
  bank: "NCB",
  ...over,
});
const portal = (over: Partial<PortalPayment> = {}): PortalPayment => ({
  id: "p1",
  orderRef: "REF1",
  method: "gateway",
  status: "paid",
  amountVnd: 100000,
  agencyCode: "000.00.31.H99",
  ...over,
});

describe("settlement file", () => {
  it("round-trips, sorted by time, with the header first and CRLF lines", () => {
    const lines = [
      line({ txnRef: "B", time: `${DAY}120000` }),
      line({ type: "refund", txnRef: "A", time: `${DAY}080000` }),
    ];
    const body = formatSettlementFile(lines);
    expect(body).toBe(
      `type,txn_ref,transaction_no,amount,time,bank\r\nrefund,A,14000001,100000,${DAY}080000,NCB\r\npayment,B,14000001,100000,${DAY}120000,NCB\r\n`,
    );
    expect(parseSettlementFile(body, DAY)).toEqual({ ok: true, lines: [lines[1], lines[0]] });
    expect(parseSettlementFile(formatSettlementFile([]), DAY)).toEqual({ ok: true, lines: [] });
  });

  it("refuses a file with a wrong header, a bad line or a line of another day", () => {
    const head = "type,txn_ref,transaction_no,amount,time,bank";
    const cases: Array<[string, string]> = [
      ["type,ref,amount\r\n", "header"],
      [`${head}\r\npayment,A,1,100,${DAY}000000\r\n`, "columns"],
      [`${head}\r\ncharge,A,1,100,${DAY}000000,NCB\r\n`, "type"],
      [`${head}\r\npayment,"A",1,100,${DAY}000000,NCB\r\n`, "reference"],
      [`${head}\r\npayment,,1,100,${DAY}000000,NCB\r\n`, "reference"],
      [`${head}\r\npayment,A,1,0,${DAY}000000,NCB\r\n`, "amount"],
      [`${head}\r\npayment,A,1,-5,${DAY}000000,NCB\r\n`, "amount"],
      [`${head}\r\npayment,A,1,1e5,${DAY}000000,NCB\r\n`, "amount"],
      [`${head}\r\npayment,A,1,100,20261126000000,NCB\r\n`, "time"],
      [`${head}\r\npayment,A,1,100,${DAY}250000,NCB\r\n`, "time"],
    ];
    for (const [body, problem] of cases) expect(parseSettlementFile(body, DAY)).toMatchObject({ ok: false, problem });
  });

  it("converts dates and signs merchant, day and body together", () => {
    expect(compactDate("2026-11-25")).toBe(DAY);
    expect(compactDate("2026-02-30")).toBeNull();
    expect(compactDate("20261125")).toBeNull();
    expect(isoDate(DAY)).toBe("2026-11-25");
    expect(isoDate("20261332")).toBeNull();
    expect(settlementSigningString("DEMO0001", DAY, "x\r\n")).toBe(`DEMO0001|${DAY}|x\r\n`);
  });
});

describe("compareSettlement", () => {
  const none = {
    byRef: new Map<string, PortalPayment>(),
    capturedOnDay: [],
    refundedOnDay: [],
    settledElsewhere: new Set<string>(),
  };

  it("finds nothing when both sides agree, including a refund made in two parts", () => {
    const p = portal({ status: "refunded" });
    expect(
      compareSettlement({
        ...none,
        lines: [
          line(),
          line({ type: "refund", amountVnd: 40000, time: `${DAY}100000` }),
          line({ type: "refund", amountVnd: 60000, time: `${DAY}110000` }),
        ],
        byRef: new Map([["REF1", p]]),
        capturedOnDay: [p],
        refundedOnDay: [p],
      }),
    ).toEqual([]);
  });

  it("reports money the portal has not booked: unknown, still open, under review, a counter payment, a refund in progress", () => {
    for (const p of [
      undefined,
      portal({ status: "pending" }),
      portal({ status: "needs_review" }),
      portal({ status: "expired" }),
      portal({ method: "cash" }),
    ]) {
      const found = compareSettlement({ ...none, lines: [line()], byRef: new Map(p ? [["REF1", p]] : []) });
      expect(found).toEqual([
        expect.objectContaining({
          kind: "missing_in_portal",
          lineType: "payment",
          amountGateway: 100000,
          amountPortal: null,
          paymentId: p?.id ?? null,
        }),
      ]);
    }
    const refunding = portal({ status: "refunding" });
    expect(
      compareSettlement({ ...none, lines: [line({ type: "refund" })], byRef: new Map([["REF1", refunding]]) }),
    ).toEqual([expect.objectContaining({ kind: "missing_in_portal", lineType: "refund" })]);
  });

  it("reports what the portal booked that no file holds, unless a neighbouring day's file does", () => {
    const p = portal({ status: "refunded" });
    const input = { ...none, lines: [], capturedOnDay: [p], refundedOnDay: [p] };
    expect(compareSettlement(input).map((m) => [m.kind, m.lineType, m.amountPortal])).toEqual([
      ["missing_at_gateway", "payment", 100000],
      ["missing_at_gateway", "refund", 100000],
    ]);
    expect(compareSettlement({ ...input, settledElsewhere: new Set([lineKey("payment", "REF1")]) })).toEqual([
      expect.objectContaining({ kind: "missing_at_gateway", lineType: "refund" }),
    ]);
  });

  it("reports different amounts, with both sides", () => {
    const p = portal();
    expect(
      compareSettlement({
        ...none,
        lines: [line({ amountVnd: 90000 })],
        byRef: new Map([["REF1", p]]),
        capturedOnDay: [p],
      }),
    ).toEqual([
      {
        kind: "amount_differs",
        lineType: "payment",
        txnRef: "REF1",
        transactionNo: "14000001",
        amountGateway: 90000,
        amountPortal: 100000,
        paymentId: "p1",
        agencyCode: "000.00.31.H99",
      },
    ]);
  });

  it("identifies a finding by kind, type, reference and both amounts", () => {
    const m = {
      kind: "amount_differs" as const,
      lineType: "payment" as const,
      txnRef: "A",
      amountGateway: 1,
      amountPortal: 2,
    };
    expect(mismatchKey(m)).toBe(mismatchKey({ ...m }));
    expect(mismatchKey(m)).not.toBe(mismatchKey({ ...m, amountGateway: 3 }));
    expect(mismatchKey({ ...m, amountPortal: null })).toBe("amount_differs|payment|A|1|");
  });
});

describe("the simulator's settlement desk", () => {
  it("plants discrepancies and refuses malformed plants", async () => {
    const { startGatewaySimulator } = await import("../../../gateway-sim/server.ts");
    const sim = await startGatewaySimulator({ port: 0, tmnCode: "T1", secret: "s", ipnUrl: "http://127.0.0.1:9/" });
    try {
      const post = (body: string) => fetch(`${sim.url}/_sim/plant`, { method: "POST", body });
      expect((await post("{")).status).toBe(400);
      expect((await post('{"kind":"nonsense"}')).status).toBe(400);
      expect((await post('{"kind":"amount_differs","txnRef":"A"}')).status).toBe(400);
      expect((await post('{"kind":"unknown_txn","date":"2026-02-30"}')).status).toBe(400);
      expect((await post('{"kind":"missing","txnRef":"A","type":"charge"}')).status).toBe(400);
      const planted = await post('{"kind":"unknown_txn","amountVnd":25000,"date":"2026-11-25","txnRef":"X1"}');
      expect(planted.status).toBe(200);
      expect(sim.settlement.lines(DAY)).toEqual([expect.objectContaining({ txnRef: "X1", amountVnd: 25000 })]);
      expect((await post('{"kind":"amount_differs","txnRef":"X1","amountVnd":26000}')).status).toBe(200);
      expect(sim.settlement.lines(DAY)).toEqual([expect.objectContaining({ txnRef: "X1", amountVnd: 26000 })]);
      expect((await post('{"kind":"missing","txnRef":"X1"}')).status).toBe(200);
      expect(sim.settlement.lines(DAY)).toEqual([]);
      expect(await (await fetch(`${sim.url}/_sim/plant`)).json()).toHaveLength(3);
      expect((await post('{"kind":"clear"}')).status).toBe(200);
      expect(sim.settlement.plants()).toEqual([]);
      // The file itself is only for the merchant: an unsigned request is refused.
      const unsigned = await fetch(`${sim.url}/merchant_webapi/settlement?vnp_TmnCode=T1&vnp_SettlementDate=${DAY}`);
      expect(unsigned.status).toBe(403);
    } finally {
      await sim.close();
    }
  });
});
