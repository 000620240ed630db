/**
 * Dossier code (Circular 01/2018/TT-VPCP, docs/domain.md#dossier-code): `{agencyCode}-{yyMMdd}-{NNNN}` — the receiving
 * agency's identifier, the receipt date in Vietnam time, and that agency's sequence for the day from
 * 0001, widened past 9999. Uniqueness comes from the database sequence; this only formats and parses.
 */
const CODE_PATTERN = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4,})$/;

export function formatDossierCode(agencyCode: string, vnDate: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new RangeError(`sequence must be a positive integer: ${sequence}`);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(vnDate);
  if (!m) throw new RangeError(`date must be YYYY-MM-DD: ${vnDate}`);
  return `${agencyCode}-${m[1]?.slice(2)}${m[2]}${m[3]}-${String(sequence).padStart(4, "0")}`;
}

export function parseDossierCode(code: string): { agencyCode: string; yymmdd: string; sequence: number } | null {
  const m = CODE_PATTERN.exec(code.trim());
  if (!m?.[1] || !m[2] || !m[3]) return null;
  return { agencyCode: m[1], yymmdd: m[2], sequence: Number(m[3]) };
}

export function looksLikeDossierCode(code: string): boolean {
  return CODE_PATTERN.test(code.trim());
}
