import { createHash } from "node:crypto";

/**
 * The SHA-256 of a dossier's answers, independent of key order and of empty answers: what a citizen's signed
 * declaration was made from (ADR 018). Equal answers give equal hashes.
 */
export function answersSha256(answers: Record<string, unknown>): string {
  const entries = Object.entries(answers)
    .filter(([, v]) => v !== undefined && v !== null && v !== "")
    .map(([k, v]) => [k, typeof v === "string" ? v.normalize("NFC") : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex");
}
