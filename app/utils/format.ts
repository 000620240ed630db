/** Display formatting in Vietnam time, for either language. */
export function formatVnd(amount: number, lng: string): string {
  return new Intl.NumberFormat(lng === "en" ? "en-US" : "vi-VN", { style: "currency", currency: "VND" }).format(amount);
}

export function formatDateTime(value: Date | string, lng: string): string {
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "vi-VN", {
    timeZone: "Asia/Ho_Chi_Minh",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(value));
}

export function localName(row: { name_vi: string; name_en: string }, lng: string): string {
  return lng === "en" ? row.name_en : row.name_vi;
}

/** A count with the language's digit grouping (861.990 in Vietnamese, 861,990 in English). */
export function formatCount(n: number, lng: string): string {
  return new Intl.NumberFormat(lng === "en" ? "en-US" : "vi-VN").format(n);
}
