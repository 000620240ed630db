import { describe, expect, it } from "vitest";
import { contactProblems, draftContact, formatVnMobile, normaliseVnMobile } from "./contact.ts";
import { IntakeSchema } from "./intake-schema.ts";

describe("Vietnamese mobile numbers", () => {
  it.each([
    ["0912345678", "0912345678"],
    ["0912 345 678", "0912345678"],
    ["0912.345.678", "0912345678"],
    ["+84 912 345 678", "0912345678"],
    ["84912345678", "0912345678"],
    ["(+84) 38-123-4567", "0381234567"],
  ])("accepts %s as %s", (input, stored) => {
    expect(normaliseVnMobile(input)).toBe(stored);
  });
  it.each([
    "",
    "091234567",
    "09123456789",
    "0212345678", // a landline area code, not a mobile network
    "01234567890", // the old 11-digit numbers were converted in 2018
    "1912345678",
    "09123456ab",
    "+85 912 345 678",
  ])("refuses %s", (input) => {
    expect(normaliseVnMobile(input)).toBeNull();
  });
  it("shows a stored number in groups", () => {
    expect(formatVnMobile("0912345678")).toBe("0912 345 678");
  });
});

describe("contact details", () => {
  it("a draft keeps a mistyped number as typed, reports it, and refuses an unknown delivery method", () => {
    expect(draftContact({ phone: " 0912 34 ", delivery: "drone" })).toEqual({
      values: { phone: "0912 34" },
      errors: { "contact-phone": "validation:contact.phone", "contact-delivery": "validation:contact.delivery" },
    });
    expect(draftContact({ address: "x".repeat(301) }).errors).toEqual({
      "contact-address": "validation:contact.tooLong",
    });
  });
  it("submission needs a mobile number, an address, a method, and a postal address only by post", () => {
    const ok = { phone: "0912345678", address: "Hạ Long", delivery: "online" as const, postal: null };
    expect(contactProblems(ok)).toEqual({});
    expect(contactProblems({ ...ok, delivery: "post" })).toEqual({
      "contact-postal": "validation:contact.postalRequired",
    });
    expect(contactProblems({ ...ok, delivery: "post", postal: "Số 3 Cột Đồng Hồ" })).toEqual({});
    expect(contactProblems({ ...ok, phone: "12345" })).toEqual({ "contact-phone": "validation:contact.phone" });
  });
  it("the counter intake validates the same way, at the counter by default", () => {
    const base = { procedureCode: "1.001193", channel: "counter", nationalId: "022190000101", fullName: "A" };
    const ok = IntakeSchema.safeParse({ ...base, phone: "+84 912 345 678" });
    expect(ok.success && ok.data).toMatchObject({ phone: "0912345678", deliveryMethod: "counter" });
    const bad = IntakeSchema.safeParse({ ...base, phone: "12345", deliveryMethod: "post" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["phone", "validation:contact.phone"],
      ["postalAddress", "validation:contact.postalRequired"],
    ]);
  });
});
