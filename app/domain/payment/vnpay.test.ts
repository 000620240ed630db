import { describe, expect, it } from "vitest";
import {
  buildPaymentParams,
  decideIpn,
  formatVnpDate,
  type IpnOrder,
  MAX_AMOUNT_VND,
  parseAmount,
  parseVnpDate,
  signedQuery,
  signingString,
  type VnpParams,
} from "./vnpay.ts";

describe("signingString", () => {
  it("sorts vnp_* keys, drops the hash fields and other keys, encodes with + for spaces", () => {
    const orderInfo = "Lệ phí hồ sơ H47.01";
    // The expected bytes below are for precomposed (NFC) characters, as typed.
    expect(orderInfo).toBe(orderInfo.normalize("NFC"));
    const params: VnpParams = {
      vnp_TxnRef: "HS-2024-000123",
      vnp_OrderInfo: orderInfo,
      vnp_Amount: "15000000",
      vnp_SecureHash: "deadbeef",
      vnp_SecureHashType: "HmacSHA512",
      vnp_ReturnUrl: "http://localhost:3000/ret?a=1&b=x y",
      vnp_TmnCode: "DEMO0001",
      utm_source: "ignored",
    };
    expect(signingString(params)).toBe(
      "vnp_Amount=15000000" +
        "&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1+H47.01" +
        "&vnp_ReturnUrl=http%3A%2F%2Flocalhost%3A3000%2Fret%3Fa%3D1%26b%3Dx+y" +
        "&vnp_TmnCode=DEMO0001" +
        "&vnp_TxnRef=HS-2024-000123",
    );
  });

  it("does not depend on the order the params were given in", () => {
    const a = signingString({ vnp_B: "2", vnp_A: "1" });
    expect(a).toBe("vnp_A=1&vnp_B=2");
    expect(signingString({ vnp_A: "1", vnp_B: "2" })).toBe(a);
  });

  it("signedQuery appends the hash after the signed fields", () => {
    expect(signedQuery({ vnp_A: "x y" }, "ABC")).toBe("vnp_A=x+y&vnp_SecureHash=ABC");
  });
});

describe("dates", () => {
  it("formats in Vietnam time (UTC+7), crossing midnight and year end", () => {
    expect(formatVnpDate(new Date("2024-12-31T17:30:05Z"))).toBe("20250101003005");
    expect(formatVnpDate(new Date("2024-03-05T01:02:03Z"))).toBe("20240305080203");
  });

  it("parses back to the same instant and rejects impossible stamps", () => {
    expect(parseVnpDate("20250101003005")?.toISOString()).toBe("2024-12-31T17:30:05.000Z");
    expect(parseVnpDate("20240231120000")).toBeNull();
    expect(parseVnpDate("2024023112000")).toBeNull();
    expect(parseVnpDate("2024-02-01")).toBeNull();
  });
});

describe("buildPaymentParams", () => {
  const base = {
    tmnCode: "DEMO0001",
    amountVnd: 150_000,
    txnRef: "P-1",
    orderInfo: "Le phi ho so",
    returnUrl: "http://localhost:3000/payments/return",
    ipAddr: "127.0.0.1",
    createDate: new Date("2024-06-01T03:00:00Z"),
    expireMinutes: 15,
    locale: "vn" as const,
  };

  it("builds the 2.1.0 pay request", () => {
    expect(buildPaymentParams(base)).toEqual({
      vnp_Version: "2.1.0",
      vnp_Command: "pay",
      vnp_TmnCode: "DEMO0001",
      vnp_Amount: "15000000",
      vnp_CurrCode: "VND",
      vnp_TxnRef: "P-1",
      vnp_OrderInfo: "Le phi ho so",
      vnp_OrderType: "other",
      vnp_Locale: "vn",
      vnp_ReturnUrl: "http://localhost:3000/payments/return",
      vnp_IpAddr: "127.0.0.1",
      vnp_CreateDate: "20240601100000",
      vnp_ExpireDate: "20240601101500",
    });
  });

  it.each([0, -1, 1.5, Number.NaN, MAX_AMOUNT_VND + 1, Number.MAX_SAFE_INTEGER + 2])(
    "rejects amount %s",
    (amountVnd) => {
      expect(() => buildPaymentParams({ ...base, amountVnd })).toThrow(RangeError);
    },
  );

  it("accepts the maximum amount exactly", () => {
    expect(buildPaymentParams({ ...base, amountVnd: MAX_AMOUNT_VND }).vnp_Amount).toBe("100000000000000");
  });
});

describe("parseAmount", () => {
  it("turns hundredths into whole VND", () => {
    expect(parseAmount("15000000")).toBe(150_000);
    expect(parseAmount("100")).toBe(1);
    expect(parseAmount("100000000000000")).toBe(MAX_AMOUNT_VND);
  });

  it.each([
    ["", "empty"],
    ["12.5", "decimal"],
    ["-100", "negative"],
    ["+100", "signed"],
    [" 100", "whitespace"],
    ["1e5", "exponent"],
    ["150", "not a whole dong"],
    ["0", "zero"],
    ["100000000000100", "over the maximum"],
    ["99999999999999999999999", "overflow"],
  ])("rejects %j (%s)", (input) => {
    expect(parseAmount(input)).toBeNull();
  });
});

describe("decideIpn", () => {
  const success: VnpParams = {
    vnp_TxnRef: "P-1",
    vnp_Amount: "15000000",
    vnp_ResponseCode: "00",
    vnp_TransactionStatus: "00",
  };
  const pending: IpnOrder = { amountVnd: 150_000, status: "pending" };

  it("97 on an invalid signature, before anything else", () => {
    expect(decideIpn({ params: success, signatureValid: false, order: pending })).toEqual({
      reply: { RspCode: "97", Message: "Invalid signature" },
      outcome: "none",
    });
    expect(decideIpn({ params: success, signatureValid: false, order: null }).reply.RspCode).toBe("97");
  });

  it("01 when the order does not exist", () => {
    expect(decideIpn({ params: success, signatureValid: true, order: null })).toEqual({
      reply: { RspCode: "01", Message: "Order not found" },
      outcome: "none",
    });
  });

  it("04 when the amount differs, is malformed, or the currency is not VND", () => {
    const wrong = decideIpn({ params: { ...success, vnp_Amount: "14999900" }, signatureValid: true, order: pending });
    expect(wrong).toEqual({ reply: { RspCode: "04", Message: "Invalid amount" }, outcome: "none" });
    const malformed = { ...success, vnp_Amount: "15000050" };
    expect(decideIpn({ params: malformed, signatureValid: true, order: pending }).reply.RspCode).toBe("04");
    const { vnp_Amount: _omit, ...missing } = success;
    expect(decideIpn({ params: missing, signatureValid: true, order: pending }).reply.RspCode).toBe("04");
    const usd = { ...success, vnp_CurrCode: "USD" };
    expect(decideIpn({ params: usd, signatureValid: true, order: pending }).reply.RspCode).toBe("04");
  });

  it("04 is checked before 02, so a paid order still reports a wrong amount", () => {
    const paid: IpnOrder = { amountVnd: 150_000, status: "paid" };
    const wrong = { ...success, vnp_Amount: "100" };
    expect(decideIpn({ params: wrong, signatureValid: true, order: paid }).reply.RspCode).toBe("04");
  });

  it.each(["paid", "failed"] as const)("02 when the order is already %s, with no state change", (status) => {
    expect(decideIpn({ params: success, signatureValid: true, order: { amountVnd: 150_000, status } })).toEqual({
      reply: { RspCode: "02", Message: "Order already confirmed" },
      outcome: "none",
    });
  });

  it("00 + paid when both codes are 00", () => {
    const withCurrency = { ...success, vnp_CurrCode: "VND" };
    expect(decideIpn({ params: withCurrency, signatureValid: true, order: pending })).toEqual({
      reply: { RspCode: "00", Message: "Confirm Success" },
      outcome: "paid",
    });
  });

  it.each([
    ["24", "02"],
    ["00", "02"],
    ["51", "00"],
    ["11", "01"],
  ])("00 + failed for response %s / status %s", (responseCode, status) => {
    const params = { ...success, vnp_ResponseCode: responseCode, vnp_TransactionStatus: status };
    expect(decideIpn({ params, signatureValid: true, order: pending })).toEqual({
      reply: { RspCode: "00", Message: "Confirm Success" },
      outcome: "failed",
    });
  });

  it("99 on unexpected input", () => {
    const odd = { amountVnd: 150_000, status: "refunded" } as unknown as IpnOrder;
    expect(decideIpn({ params: success, signatureValid: true, order: odd })).toEqual({
      reply: { RspCode: "99", Message: "Unknown error" },
      outcome: "none",
    });
    const broken = null as unknown as VnpParams;
    expect(decideIpn({ params: broken, signatureValid: true, order: pending }).reply.RspCode).toBe("99");
  });
});
