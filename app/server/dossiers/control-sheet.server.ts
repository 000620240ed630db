/**
 * The data behind a dossier's processing control sheet (form 05), shared by the clerk's dossier page and the
 * manager's control sheet.
 */
import type { WorkingCalendar } from "../../domain/calendar/working-calendar.ts";
import { type StepRow, type StepShareView, stepBreakdown } from "../../domain/dossier/step-shares.ts";

const hours = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** The steps of a dossier up to `now`, each with its share of the time; none before it was received. */
export function dossierSteps(
  row: { received_at: Date | null; original_due_at: Date | null },
  events: ReadonlyArray<{ action: string; at: Date; agency_code: string | null }>,
  calendar: WorkingCalendar,
  now: Date,
): StepRow[] {
  if (!row.received_at || !row.original_due_at) return [];
  return stepBreakdown(
    events.map((e) => ({ action: e.action, at: e.at, agencyCode: e.agency_code })),
    { receivedAt: row.received_at, originalDueAt: row.original_due_at },
    calendar,
    now,
  );
}

/** One step as the table shows it: its unit by name ("—" for none) and its hours to one decimal. */
export function stepShareView(r: StepRow, unitName: (code: string) => string): StepShareView {
  return {
    step: r.step,
    unit: r.agencyCode ? unitName(r.agencyCode) : "—",
    usedHours: hours(r.usedMinutes),
    budgetHours: hours(r.budgetMinutes),
    verdict: r.verdict,
  };
}

/** Hours a step went over its budget, to one decimal (0 when it did not). */
export function overHours(r: StepRow): number {
  return Math.max(0, hours(r.usedMinutes - r.budgetMinutes));
}
