import { describe, expect, it } from "vitest";
import { DueQuerySchema } from "./calendar-api-schema.ts";

describe("calendar due-date query", () => {
  it("accepts ISO 8601 with an offset", () => {
    const r = DueQuerySchema.parse({ received: "2025-03-10T10:00:00+07:00", amount: "3", unit: "working_days" });
    expect(r.received.toISOString()).toBe("2025-03-10T03:00:00.000Z");
    expect(r.amount).toBe(3);
  });
  it.each([
    [{ received: "2025-03-10T10:00:00", amount: "3", unit: "working_days" }, "offset"],
    [{ received: "2025-02-30T10:00:00+07:00", amount: "3", unit: "working_days" }, ""],
    [{ received: "2025-03-10T10:00:00+07:00", amount: "-1", unit: "working_days" }, "whole number"],
    [{ received: "2025-03-10T10:00:00+07:00", amount: "2.5", unit: "working_days" }, "whole number"],
    [{ received: "2025-03-10T10:00:00+07:00", amount: "99999", unit: "working_days" }, "10000"],
    [{ received: "2025-03-10T10:00:00+07:00", amount: "3", unit: "fortnights" }, "unit"],
    [{ amount: "3", unit: "working_days" }, "received"],
  ])("refuses %j", (input, text) => {
    const r = DueQuerySchema.safeParse(input);
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.message).join(" ")).toContain(text);
  });
});
