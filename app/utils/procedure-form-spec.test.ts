import { describe, expect, it } from "vitest";
import { answerText, type FormFieldSpec } from "./procedure-form-spec.ts";

const field = (over: Partial<FormFieldSpec>): FormFieldSpec =>
  ({ name: "f", labelVi: "Trường", labelEn: "Field", type: "text", required: false, ...over }) as FormFieldSpec;

describe("answerText: an answer as people read it", () => {
  it("shows an option's label, not its code, in the reader's language", () => {
    const nationality = field({
      type: "select",
      options: [{ value: "vn", labelVi: "Việt Nam", labelEn: "Vietnamese" }],
    });
    expect(answerText(nationality, "vn", "vi")).toBe("Việt Nam");
    expect(answerText(nationality, "vn", "en")).toBe("Vietnamese");
    expect(answerText(nationality, "xx", "vi")).toBe("xx");
  });

  it("writes a day as 26/11/2026 (vi) or 26 Nov 2026 (en), and groups numbers", () => {
    expect(answerText(field({ type: "date" }), "2025-03-01", "vi")).toBe("01/03/2025");
    expect(answerText(field({ type: "date" }), "2025-03-01", "en")).toBe("1 Mar 2025");
    expect(answerText(field({ type: "number" }), "100000000", "vi")).toBe("100.000.000");
    expect(answerText(field({ type: "number" }), "100000000", "en")).toBe("100,000,000");
  });

  it("leaves text and empty answers as they are", () => {
    expect(answerText(field({}), "Bệnh viện Bãi Cháy", "vi")).toBe("Bệnh viện Bãi Cháy");
    expect(answerText(field({}), undefined, "vi")).toBe("");
    expect(answerText(field({ type: "date" }), "", "vi")).toBe("");
  });
});
