/**
 * How the ranking is shown: a unit that received no dossier in the period has nothing to score (Decision 766
 * gives an empty unit full marks for "no late dossier"), so it shows "—" and comes after every unit that did
 * the work. Which units are listed is decided elsewhere; this only orders and blanks them.
 */
export function emptyUnitsLast<U extends { score: number | null; metrics: { received: number } }>(
  units: readonly U[],
): (U & { noDossiers: boolean })[] {
  const shown = units.map((u) =>
    u.metrics.received === 0 ? { ...u, score: null, noDossiers: true } : { ...u, noDossiers: false },
  );
  return [...shown.filter((u) => !u.noDossiers), ...shown.filter((u) => u.noDossiers)];
}
