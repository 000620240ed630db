/**
 * The dossier's clock (docs/domain.md#working-time): the deadline starts at reception, stops while the citizen
 * supplements after reception (the office time of the pause is added to the due date), and the
 * outcome is fixed when the dossier ends. More than one supplement request after reception makes a
 * dossier late (Decision 766). Pure: the calendar and `now` are passed in.
 */
import {
  classifyOutcome,
  DEFAULT_OFFICE_HOURS,
  type DeadlineUnit,
  type OfficeHours,
  type Outcome,
  toVnDateString,
  vnDateTime,
  type WorkingCalendar,
} from "../calendar/working-calendar.ts";
import type { DossierAction } from "./dossier.ts";

export type ClockState = {
  receivedAt: Date | null;
  dueAt: Date | null;
  pausedAt: Date | null;
  pausedMinutes: number;
  supplementsAfterReceipt: number;
};

export type ClockChanges = Partial<{
  receivedAt: Date;
  dueAt: Date;
  originalDueAt: Date;
  pausedAt: Date | null;
  pausedMinutes: number;
  supplementsAfterReceipt: number;
  resolvedAt: Date;
  returnedAt: Date;
  endedAt: Date;
  outcome: Outcome;
}>;

export type ProcessingTime = { amount: number; unit: DeadlineUnit };

/** Every clock column of a dossier, as the workflow keeps them. */
export type ClockColumns = ClockState & {
  originalDueAt: Date | null;
  resolvedAt: Date | null;
  returnedAt: Date | null;
  endedAt: Date | null;
  outcome: Outcome | null;
};

/**
 * Applies what an action did to the clock (`clockChanges`) to `target`, changing only what the action
 * changed: the one mapping from changes to columns for code that keeps a dossier in memory (the year
 * simulation); the workflow service writes the same changes as SQL columns.
 */
export function applyClockChanges(target: ClockColumns, c: ClockChanges): void {
  if (c.receivedAt) target.receivedAt = c.receivedAt;
  if (c.dueAt) target.dueAt = c.dueAt;
  if (c.originalDueAt) target.originalDueAt = c.originalDueAt;
  if ("pausedAt" in c) target.pausedAt = c.pausedAt ?? null;
  if (c.pausedMinutes !== undefined) target.pausedMinutes = c.pausedMinutes;
  if (c.supplementsAfterReceipt !== undefined) target.supplementsAfterReceipt = c.supplementsAfterReceipt;
  if (c.resolvedAt) target.resolvedAt = c.resolvedAt;
  if (c.returnedAt) target.returnedAt = c.returnedAt;
  if (c.endedAt) target.endedAt = c.endedAt;
  if (c.outcome) target.outcome = c.outcome;
}

export function outcomeAt(state: ClockState, endAt: Date): Outcome | undefined {
  if (!state.receivedAt || !state.dueAt) return undefined;
  if (state.supplementsAfterReceipt > 1) return "late";
  return classifyOutcome(endAt, state.dueAt);
}

/** What the action does to the clock columns. Actions that do not touch the clock return {}. */
export function clockChanges(
  state: ClockState,
  action: DossierAction,
  time: ProcessingTime,
  calendar: WorkingCalendar,
  now: Date,
): ClockChanges {
  switch (action) {
    case "receive": {
      const { due } = calendar.dueDate(now, time.amount, time.unit);
      return { receivedAt: now, dueAt: due, originalDueAt: due };
    }
    case "request_supplement":
      return state.receivedAt ? { pausedAt: now, supplementsAfterReceipt: state.supplementsAfterReceipt + 1 } : {};
    case "answer_supplement": {
      if (!state.receivedAt || !state.pausedAt || !state.dueAt) return { pausedAt: null };
      const paused = calendar.officeMinutesBetween(state.pausedAt, now);
      return {
        pausedAt: null,
        // Stored as whole minutes (an integer column); the due date itself moves by the exact pause.
        pausedMinutes: state.pausedMinutes + Math.round(paused),
        dueAt: calendar.extendForPause(state.dueAt, state.pausedAt, now),
      };
    }
    case "resolve": {
      const outcome = outcomeAt(state, now);
      return { resolvedAt: now, endedAt: now, ...(outcome ? { outcome } : {}) };
    }
    case "return_result":
      return { returnedAt: now };
    case "stop":
    case "withdraw": {
      // A supplement request never answered ends the dossier at the request time.
      const endAt = state.pausedAt ?? now;
      const outcome = outcomeAt(state, endAt);
      return { endedAt: endAt, pausedAt: null, ...(outcome ? { outcome } : {}) };
    }
    case "refuse":
      return { endedAt: now };
    case "submit":
    case "start_processing":
    case "transfer":
    case "request_payment":
    case "confirm_payment":
    case "waive_fee":
      return {};
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

/** How many working days before the due date an apology must be issued at the latest (verify). */
export const APOLOGY_LEAD_WORKING_DAYS = 1;

export type ApologyProblem = "notOpen" | "tooLate" | "newDateNotLater" | "alreadyApologised";

/** The statuses of a dossier that is received and still open, in which an apology can be issued. */
export const OPEN_RECEIVED_STATUSES: readonly string[] = [
  "received",
  "processing",
  "supplement_requested",
  "payment_requested",
];

/** Whether the apology form is offered: the dossier is open and has no apology yet (the rest is checked on post). */
export function mayApologise(status: string, alreadyApologised: boolean): boolean {
  return !alreadyApologised && OPEN_RECEIVED_STATUSES.includes(status);
}

/** The new appointment of an apology: office close (17:00, docs/domain.md#working-time) of the chosen date. */
export function apologyAppointment(date: string, hours: OfficeHours = DEFAULT_OFFICE_HOURS): Date {
  return vnDateTime(date, hours.afternoonEnd);
}

/**
 * Apology and new appointment (form 04): while the dossier is open, at the latest
 * APOLOGY_LEAD_WORKING_DAYS working day(s) before the due date, with ONE new date after the due date.
 * The dossier still counts as late if it ends after its original due date.
 */
export function checkApology(
  input: { status: string; dueAt: Date | null; alreadyApologised: boolean; newDueAt: Date },
  calendar: WorkingCalendar,
  now: Date,
): ApologyProblem | null {
  if (!input.dueAt || !OPEN_RECEIVED_STATUSES.includes(input.status)) {
    return "notOpen";
  }
  if (input.alreadyApologised) return "alreadyApologised";
  if (input.newDueAt <= input.dueAt) return "newDateNotLater";
  // The latest day to apologise: the working day APOLOGY_LEAD_WORKING_DAYS before the due day, until office close.
  let latestDay = toVnDateString(input.dueAt);
  for (let i = 0; i < APOLOGY_LEAD_WORKING_DAYS; i++) latestDay = previousWorkingDay(latestDay, calendar);
  const latest = vnDateTime(latestDay, calendar.hours.afternoonEnd);
  return now > latest ? "tooLate" : null;
}

function previousWorkingDay(date: string, calendar: WorkingCalendar): string {
  let d = new Date(`${date}T00:00:00Z`);
  do {
    d = new Date(d.getTime() - 86_400_000);
  } while (!calendar.isWorkingDay(d.toISOString().slice(0, 10)));
  return d.toISOString().slice(0, 10);
}

/** Remaining office time below which an open dossier is flagged "at risk" in the clerk's queue (one working day). */
export const AT_RISK_MINUTES = 8 * 60;

/** The queue's flags for a dossier's due time: overdue once it has passed, at risk within AT_RISK_MINUTES of it. */
export function deadlineFlags(
  dueAt: Date | null,
  now: Date,
  calendar: Pick<WorkingCalendar, "officeMinutesBetween">,
): { overdue: boolean; atRisk: boolean } {
  const overdue = dueAt !== null && dueAt < now;
  const remaining = dueAt && !overdue ? calendar.officeMinutesBetween(now, dueAt) : null;
  return { overdue, atRisk: remaining !== null && remaining < AT_RISK_MINUTES };
}
