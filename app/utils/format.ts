/**
 * Display formatting in Vietnam time, for either language: the one place where numbers, money, rates and
 * dates become text. The Intl formatters are made once per language and reused: creating one costs more
 * than formatting hundreds of values, and a page formats many.
 *
 * Vietnamese: 861.990 · 83,3% · 100.000 ₫ · 26/11/2026 · 26/11/2026 10:30.
 * English:    861,990 · 83.3% · ₫100,000 · 26 Nov 2026 · 26 Nov 2026, 10:30.
 */
type Lng = "vi" | "en";
const pick = (lng: string): Lng => (lng === "en" ? "en" : "vi");
const locale = { vi: "vi-VN", en: "en-US" } as const;
const TZ = "Asia/Ho_Chi_Minh";

const vnd = {
  vi: new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" }),
  en: new Intl.NumberFormat("en-US", { style: "currency", currency: "VND" }),
};
const count = { vi: new Intl.NumberFormat("vi-VN"), en: new Intl.NumberFormat("en-US") };
const dayParts = { timeZone: TZ, day: "2-digit", month: "2-digit", year: "numeric" } as const;
const dateFmt = {
  vi: new Intl.DateTimeFormat("vi-VN", dayParts),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: TZ, dateStyle: "medium" }),
};
const calendarDateFmt = {
  vi: new Intl.DateTimeFormat("vi-VN", { ...dayParts, timeZone: "UTC" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", dateStyle: "medium" }),
};
const timeFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const enDateTime = new Intl.DateTimeFormat("en-GB", { timeZone: TZ, dateStyle: "medium", timeStyle: "short" });
const percentCache = new Map<string, Intl.NumberFormat>();
const decimalCache = new Map<string, Intl.NumberFormat>();

function cached(cache: Map<string, Intl.NumberFormat>, lng: Lng, digits: number, percent: boolean): Intl.NumberFormat {
  const key = `${lng}:${digits}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale[lng], {
      ...(percent ? { style: "percent" } : {}),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    cache.set(key, f);
  }
  return f;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Money in đồng: "100.000 ₫" (vi), "₫100,000" (en). */
export function formatVnd(amount: number, lng: string): string {
  return vnd[pick(lng)].format(amount);
}

/** A moment as date and time in Vietnam: "26/11/2026 10:30" (vi), "26 Nov 2026, 10:30" (en). */
export function formatDateTime(value: Date | string, lng: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return pick(lng) === "en" ? enDateTime.format(d) : `${dateFmt.vi.format(d)} ${timeFmt.format(d)}`;
}

/**
 * A day: "26/11/2026" (vi), "26 Nov 2026" (en). A "YYYY-MM-DD" string is a calendar day (no time zone
 * shift); anything else is a moment, shown as its day in Vietnam.
 */
export function formatDate(value: Date | string, lng: string): string {
  const l = pick(lng);
  if (typeof value === "string" && DATE_ONLY.test(value)) {
    const d = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? value : calendarDateFmt[l].format(d);
  }
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : dateFmt[l].format(d);
}

/** A count with the language's digit grouping (861.990 in Vietnamese, 861,990 in English). */
export function formatCount(n: number, lng: string): string {
  return count[pick(lng)].format(n);
}

/** A fraction (0.833) as a percentage with the language's decimal separator: "83,3%" / "83.3%"; "—" when absent. */
export function formatPercent(v: number | null | undefined, lng: string, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v)
    ? "—"
    : cached(percentCache, pick(lng), digits, true).format(v);
}

/** A number with a fixed number of decimals and the language's separators: "85,44" / "85.44"; "—" when absent. */
export function formatDecimal(v: number | null | undefined, lng: string, digits = 2): string {
  return v === null || v === undefined || Number.isNaN(v)
    ? "—"
    : cached(decimalCache, pick(lng), digits, false).format(v);
}

export function localName(row: { name_vi: string; name_en: string }, lng: string): string {
  return lng === "en" ? row.name_en : row.name_vi;
}

/**
 * Reads a number as people type it in Vietnam or abroad: "100.000.000", "100 000 000", "100,000,000",
 * "100.000 ₫", "1.234,5", "2.5". Returns null when the text is not a number.
 * A dot or comma followed by exactly three digits (and repeated) is grouping; a single other separator is
 * the decimal mark.
 */
export function parseLocaleNumber(input: string): number | null {
  let s = input
    .trim()
    .replace(/[\s\u00a0\u202f]/g, "")
    .replace(/(₫|đ|vnđ|vnd|đồng)$/i, "");
  if (s === "") return null;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("−")) {
    sign = -1;
    s = s.slice(1);
  } else if (s.startsWith("+")) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s) || !/\d/.test(s)) return null;
  const dots = (s.match(/\./g) ?? []).length;
  const commas = (s.match(/,/g) ?? []).length;
  let normalised: string;
  const grouped = (sep: "." | ",") => new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`).test(s);
  if (dots > 0 && commas > 0) {
    // The last separator is the decimal mark; the other groups thousands.
    const dec = s.lastIndexOf(".") > s.lastIndexOf(",") ? "." : ",";
    const group = dec === "." ? "," : ".";
    const [intPart, frac, ...rest] = s.split(dec);
    if (rest.length > 0 || frac === undefined || !/^\d+$/.test(frac)) return null;
    if (!new RegExp(`^\\d{1,3}(\\${group}\\d{3})*$`).test(intPart ?? "")) return null;
    normalised = `${(intPart ?? "").split(group).join("")}.${frac}`;
  } else if (dots + commas === 0) {
    normalised = s;
  } else {
    const sep = dots > 0 ? "." : ",";
    if (dots + commas > 1 || grouped(sep)) {
      if (!grouped(sep)) return null;
      normalised = s.split(sep).join("");
    } else {
      const [a, b] = s.split(sep);
      if (!a || !b) return null;
      normalised = `${a}.${b}`;
    }
  }
  const n = Number(normalised);
  return Number.isFinite(n) ? sign * n : null;
}
