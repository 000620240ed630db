import { describe, expect, it } from "vitest";
import { checkUpload, cleanFileName, sniffType } from "./file-store.server.ts";

const pdf = new TextEncoder().encode("%PDF-1.4\n%âãÏÓ\n");
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

describe("uploads", () => {
  it("decides the type from the content", () => {
    expect(sniffType(pdf)).toBe("application/pdf");
    expect(sniffType(png)).toBe("image/png");
    expect(sniffType(jpeg)).toBe("image/jpeg");
    expect(sniffType(new TextEncoder().encode("<html><script>"))).toBeNull();
  });
  it("refuses an executable renamed to .pdf, an empty file and a too large one", async () => {
    expect(
      await checkUpload(new File([new TextEncoder().encode("MZ\x90\x00")], "giay-to.pdf", { type: "application/pdf" })),
    ).toEqual({ ok: false, problem: "type" });
    expect(await checkUpload(new File([], "empty.pdf"))).toEqual({ ok: false, problem: "empty" });
    expect(await checkUpload(new File([new Uint8Array(5 * 1024 * 1024 + 1)], "big.pdf"))).toEqual({
      ok: false,
      problem: "tooLarge",
    });
    expect(await checkUpload(new File([png], "photo.pdf"))).toMatchObject({ ok: true, mimeType: "image/png" });
  });
  it("cleans names", () => {
    expect(cleanFileName("../../etc/passwd")).toBe("passwd");
    expect(cleanFileName("C:\\Users\\a\\Bản sao CCCD.pdf")).toBe("Bản sao CCCD.pdf");
    expect(cleanFileName("\u202Efdp.exe")).toBe("fdp.exe");
  });
});
