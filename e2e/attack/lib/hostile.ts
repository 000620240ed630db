/** fast-check arbitraries for hostile form and query values, and the bodies that carry them. */
import fc from "fast-check";
import { multipart, type Part } from "./http.ts";

/** A value as sent: text (any code points, lone surrogates included), raw bytes (invalid UTF-8), or a file. */
export type HValue =
  | { t: "text"; v: string }
  | { t: "bytes"; v: Buffer }
  | { t: "file"; name: string; type: string; data: Buffer };

export type HPair = [string, HValue];

const text = (v: string): HValue => ({ t: "text", v });

const CURATED = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0000".repeat(40),
  "\r\n\r\n",
  "\t",
  "\u202e\u202d",
  "\ufeff",
  "\ud800",
  "\udfff",
  "😀".repeat(50),
  "ẞ̶̡̛̤̫̺̳̟̹̩̹̈́̀̔͊̓͜",
  "Nguyễn Văn An",
  "' OR 1=1--",
  "'; drop table dossiers;--",
  '"; select pg_sleep(5);--',
  "1' and (select count(*) from users) > 0 --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "{{7*7}}",
  "$" + "{7*7}",
  "__proto__",
  "constructor",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%00",
  "%2e%2e%2f",
  "-1",
  "0",
  "-0",
  "1.5",
  "1e308",
  "-1e308",
  "NaN",
  "Infinity",
  "0x10",
  "2147483648",
  "9007199254740993",
  "99999999999999999999999999999999",
  "１２３",
  "true",
  "null",
  "undefined",
  "[]",
  "{}",
  '{"__proto__":{"admin":true}}',
  "2025-02-30",
  "2026-02-29",
  "0000-00-00",
  "0001-01-01",
  "9999-12-31",
  "2025-13-01",
  "-001-01-01",
  "+275760-09-13",
  "2025-03-10T25:61:61+07:00",
  "2025-03-10T10:00:00+99:99",
  "-".repeat(36),
  "0".repeat(36),
  "00000000-0000-0000-0000-00000000000g",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "022090000001",
  "000.00.02.H99",
  "000.00.02.H99-261126-0001",
  "DEMO0001",
  "received",
  "withdraw",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\u3000/evil.example",
  "/\\evil.example",
  "//evil.example",
  "https://evil.example",
  "a".repeat(2001),
  "a".repeat(65_537),
];

const controlChars = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 20,
});

/** A hostile text value. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CURATED) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: controlChars },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map((x) => `/${x}`) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.bigInt().map(String) },
  {
    weight: 1,
    arbitrary: fc
      .date({ noInvalidDate: false })
      .map((d) => (Number.isNaN(d.getTime()) ? "Invalid Date" : d.toISOString())),
  },
  { weight: 1, arbitrary: fc.uuid().map((u) => (Math.random() < 0.5 ? u.toUpperCase() : u)) },
  { weight: 1, arbitrary: fc.nat(300_000).map((n) => "x".repeat(n)) },
);

export const hostileValue: fc.Arbitrary<HValue> = fc.oneof(
  { weight: 12, arbitrary: hostileText.map(text) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 64 })
      .map((a) => ({ t: "bytes" as const, v: Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(a)]) })),
  },
);

const fileContents: fc.Arbitrary<Buffer> = fc.oneof(
  fc.constantFrom(
    Buffer.from("%PDF-1.4\n% fuzz\n"),
    Buffer.from("%PDF-1.4\n<script>alert(1)</script>"),
    Buffer.from("<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    Buffer.from("\x89PNG\r\n\x1a\n"),
    Buffer.from("\xff\xd8\xff"),
    Buffer.from("code,procedure_code\n=cmd|' /C calc'!A0,1\n"),
    Buffer.alloc(0),
    Buffer.alloc(3 * 1024 * 1024, 0x41),
  ),
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
);

export const hostileFile: fc.Arbitrary<HValue> = fc
  .record({
    name: fc.oneof(
      fc.constantFrom("a.pdf", "../../etc/passwd", "a.pdf\u0000.exe", "con.pdf", "", " ", "<x>.pdf", "a".repeat(300)),
      fc.string({ unit: "binary", maxLength: 40 }),
    ),
    type: fc.constantFrom("application/pdf", "image/png", "text/html", "application/x-msdownload", "", "text/csv"),
    data: fileContents,
  })
  .map((f) => ({ t: "file" as const, ...f }));

export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "intent",
    "version",
    "csrf",
    "files",
    "document-99",
    "document--1",
    "a[]",
    "a[0]",
    "",
    "\u0000",
  ),
  fc.string({ unit: "binary", maxLength: 20 }),
);

export type FieldSpec = { name: string; file: boolean; values: string[] };

/**
 * Pairs for one POST: each of the form's fields omitted, kept as the page offers it, made hostile, or
 * repeated; plus a few extra keys. Fields the page offers values for keep them more often, so the fuzz gets
 * past the first `intent` check into the actions.
 */
export function hostilePairs(fields: FieldSpec[]): fc.Arbitrary<HPair[]> {
  const perField = fields.map((f) => {
    const original = f.values.length > 0 ? fc.constantFrom(...f.values).map(text) : fc.constant(text(""));
    const one = f.file
      ? fc.oneof({ weight: 3, arbitrary: hostileFile }, { weight: 1, arbitrary: hostileValue })
      : hostileValue;
    const choice = fc.oneof(
      { weight: 2, arbitrary: fc.constant<HValue[]>([]) },
      { weight: f.values.length > 0 ? 4 : 1, arbitrary: original.map((v) => [v]) },
      { weight: 5, arbitrary: one.map((v) => [v]) },
      { weight: 1, arbitrary: fc.array(fc.oneof(one, original), { minLength: 2, maxLength: 4 }) },
      // The wrong kind: a file where text is expected, and text where a file is.
      { weight: 1, arbitrary: (f.file ? hostileValue : hostileFile).map((v) => [v]) },
    );
    return choice.map((vals) => vals.map((v) => [f.name, v] as HPair));
  });
  const extra = fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 3 });
  return fc.tuple(fc.tuple(...perField), extra, fc.boolean()).map(([groups, more, shuffle]) => {
    const pairs = [...groups.flat(), ...more];
    return shuffle ? pairs.reverse() : pairs;
  });
}

export function pct(b: Buffer): string {
  let out = "";
  for (const byte of b) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function bytesOf(v: HValue): Buffer {
  if (v.t === "text") return Buffer.from(v.v, "utf8");
  if (v.t === "bytes") return v.v;
  return v.data;
}

/** `a=b&…`, every byte percent-encoded as needed (lone surrogates become U+FFFD, as a browser would send). */
export function encodeQuery(pairs: Array<[string, HValue]>): string {
  return pairs.map(([k, v]) => `${pct(Buffer.from(k, "utf8"))}=${pct(bytesOf(v))}`).join("&");
}

export type BodyMode = "native" | "swap" | "json" | "truncated" | "text";
export const bodyMode: fc.Arbitrary<BodyMode> = fc.oneof(
  { weight: 12, arbitrary: fc.constant<BodyMode>("native") },
  { weight: 1, arbitrary: fc.constantFrom<BodyMode>("swap", "json", "truncated", "text") },
);

/** The request body and Content-Type for `pairs`, the valid CSRF token first. */
export function encodeBody(
  pairs: HPair[],
  csrf: string,
  isMultipart: boolean,
  mode: BodyMode,
): { body: Buffer; contentType: string } {
  const all: HPair[] = [["csrf", { t: "text", v: csrf }], ...pairs];
  const asMultipart = mode === "swap" ? !isMultipart : isMultipart;
  if (mode === "json") {
    const o: Record<string, string> = {};
    for (const [k, v] of all) o[k] = v.t === "text" ? v.v : bytesOf(v).toString("latin1");
    return { body: Buffer.from(JSON.stringify(o)), contentType: "application/json" };
  }
  if (mode === "text") {
    return {
      body: Buffer.from(all.map(([k, v]) => `${k}=${bytesOf(v).toString("latin1")}`).join("\r\n")),
      contentType: "text/plain",
    };
  }
  if (asMultipart) {
    const parts: Part[] = all.map(([name, v]) =>
      v.t === "file"
        ? { name, file: { name: v.name, type: v.type || "application/octet-stream", data: v.data } }
        : { name, value: v.v },
    );
    const m = multipart(parts);
    if (mode === "truncated")
      return { body: m.body.subarray(0, Math.max(0, m.body.length - 20)), contentType: m.contentType };
    return m;
  }
  const body = Buffer.from(encodeQuery(all));
  if (mode === "truncated")
    return { body: body.subarray(0, Math.max(0, body.length - 3)), contentType: "application/x-www-form-urlencoded" };
  return { body, contentType: "application/x-www-form-urlencoded" };
}
