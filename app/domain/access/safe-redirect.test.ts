import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect.ts";

const BASE = "https://portal.example";

describe("safeRedirectPath", () => {
  it("keeps local paths", () => {
    expect(safeRedirectPath("/dossiers?page=2#top")).toBe("/dossiers?page=2#top");
    expect(safeRedirectPath("/thủ-tục")).toBe("/th%E1%BB%A7-t%E1%BB%A5c");
  });
  it.each([
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\x0b/evil.example",
    "/\u3000/evil.example",
    "/\u00a0/evil.example",
    "/\\/evil.example",
    "/\\evil.example",
    "//evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/\u2028x",
  ])("refuses %j", (to) => {
    expect(safeRedirectPath(to, "/home")).toBe("/home");
  });
  it("never yields another origin or an invalid header value, whatever the input", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "grapheme" }),
          fc.string().map((s) => `/${s}`),
        ),
        (to) => {
          const out = safeRedirectPath(to, "/");
          expect(new URL(out, BASE).origin).toBe(BASE);
          expect(() => new Headers({ Location: out })).not.toThrow();
          expect(/[\s\\]/.test(out)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
