/**
 * Calendar days as `YYYY-MM-DD` strings. `isRealDate` says the day exists; `isReportingDate` also
 * keeps it inside the years the portal reports on (2000–2100), so a query for year 1 or 9999 is a
 * clear 400 instead of a calendar lookup far outside the working-day tables.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const FIRST_REPORTING_YEAR = 2000;
export const LAST_REPORTING_YEAR = 2100;

export function isRealDate(v: string): boolean {
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isReportingDate(v: string): boolean {
  if (!isRealDate(v)) return false;
  const y = Number(v.slice(0, 4));
  return y >= FIRST_REPORTING_YEAR && y <= LAST_REPORTING_YEAR;
}
