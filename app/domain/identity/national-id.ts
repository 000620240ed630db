/**
 * The 12-digit citizen identity number (số định danh cá nhân, printed on the CCCD card).
 * Digits 1–3: province of birth registration; digit 4: century and sex; digits 5–6: year of birth;
 * digits 7–12: a random serial (Decree 137/2015/NĐ-CP, Circular 59/2021/TT-BCA).
 */

/** Province codes used in the first three digits (63 provinces before the 2025 merger). */
export const PROVINCE_PREFIXES = new Set([
  "001",
  "002",
  "004",
  "006",
  "008",
  "010",
  "011",
  "012",
  "014",
  "015",
  "017",
  "019",
  "020",
  "022",
  "024",
  "025",
  "026",
  "027",
  "030",
  "031",
  "033",
  "034",
  "035",
  "036",
  "037",
  "038",
  "040",
  "042",
  "044",
  "045",
  "046",
  "048",
  "049",
  "051",
  "052",
  "054",
  "056",
  "058",
  "060",
  "062",
  "064",
  "066",
  "067",
  "068",
  "070",
  "072",
  "074",
  "075",
  "077",
  "079",
  "080",
  "082",
  "083",
  "084",
  "086",
  "087",
  "089",
  "091",
  "092",
  "093",
  "094",
  "095",
  "096",
]);

export type NationalIdProblem = "format" | "province";

/** Returns null when the number is structurally valid, else what is wrong with it. */
export function checkNationalId(value: string): NationalIdProblem | null {
  if (!/^\d{12}$/.test(value)) return "format";
  if (!PROVINCE_PREFIXES.has(value.slice(0, 3))) return "province";
  return null;
}

/** Spaces and dots people type between digit groups are ignored. */
export function normaliseNationalId(value: string): string {
  return value.replace(/[\s.-]/g, "");
}
