/**
 * Display formatting in Vietnam time, for either language. The Intl formatters are made once per language
 * and reused: creating one costs more than formatting hundreds of values, and a page formats many.
 */
const vnd = {
  vi: new Intl.NumberFormat("vi-VN", { style: "currency", currency: "VND" }),
  en: new Intl.NumberFormat("en-US", { style: "currency", currency: "VND" }),
};
const dateTime = {
  vi: new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "medium", timeStyle: "short" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "medium", timeStyle: "short" }),
};
const count = { vi: new Intl.NumberFormat("vi-VN"), en: new Intl.NumberFormat("en-US") };

export function formatVnd(amount: number, lng: string): string {
  return vnd[lng === "en" ? "en" : "vi"].format(amount);
}

export function formatDateTime(value: Date | string, lng: string): string {
  return dateTime[lng === "en" ? "en" : "vi"].format(new Date(value));
}

export function localName(row: { name_vi: string; name_en: string }, lng: string): string {
  return lng === "en" ? row.name_en : row.name_vi;
}

/** A count with the language's digit grouping (861.990 in Vietnamese, 861,990 in English). */
export function formatCount(n: number, lng: string): string {
  return count[lng === "en" ? "en" : "vi"].format(n);
}
