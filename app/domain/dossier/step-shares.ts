/**
 * Processing control sheet (form 05): the processing time is shared between the steps of the
 * workflow, so a late dossier shows which step, and which unit, used up the time. Shares are the
 * portal's own choice (verify) and live in one table. Time is office time; supplement pauses
 * (request → answer) do not count against the step they fall in.
 */
import type { WorkingCalendar } from "../calendar/working-calendar.ts";

export const STEPS = ["reception", "processing", "return"] as const;
export type Step = (typeof STEPS)[number];

/** Share of the total processing time each step may use (verify). */
export const STEP_SHARES: Record<Step, number> = { reception: 0.1, processing: 0.8, return: 0.1 };

export type StepEvent = { action: string; at: Date; agencyCode: string | null };

export type StepRow = {
  step: Step;
  agencyCode: string | null;
  startedAt: Date;
  endedAt: Date | null;
  usedMinutes: number;
  budgetMinutes: number;
  verdict: "on_time" | "late" | "running";
};

const STEP_START: Record<string, Step> = {
  receive: "reception",
  intake: "reception",
  start_processing: "processing",
  resolve: "return",
};
const STEP_END: Record<Step, readonly string[]> = {
  reception: ["start_processing"],
  processing: ["resolve", "stop", "withdraw"],
  return: ["return_result"],
};

/** One step of a dossier as the control sheet shows it: its unit by name and its hours against its share. */
export type StepShareView = {
  step: Step;
  unit: string;
  usedHours: number;
  budgetHours: number;
  verdict: StepRow["verdict"];
};

export function stepBreakdown(
  events: readonly StepEvent[],
  dueBudget: { receivedAt: Date; originalDueAt: Date },
  calendar: WorkingCalendar,
  now: Date,
): StepRow[] {
  const total = calendar.officeMinutesBetween(dueBudget.receivedAt, dueBudget.originalDueAt);
  const rows: StepRow[] = [];
  let current: {
    step: Step;
    agencyCode: string | null;
    startedAt: Date;
    paused: number;
    pauseStart: Date | null;
  } | null = null;
  const close = (endedAt: Date | null) => {
    if (!current) return;
    const until = endedAt ?? now;
    const openPause = current.pauseStart ? calendar.officeMinutesBetween(current.pauseStart, until) : 0;
    const used = Math.max(0, calendar.officeMinutesBetween(current.startedAt, until) - current.paused - openPause);
    const budget = Math.round(total * STEP_SHARES[current.step]);
    rows.push({
      step: current.step,
      agencyCode: current.agencyCode,
      startedAt: current.startedAt,
      endedAt,
      usedMinutes: used,
      budgetMinutes: budget,
      verdict: used > budget ? "late" : endedAt ? "on_time" : "running",
    });
    current = null;
  };
  for (const e of events) {
    if (current && STEP_END[current.step].includes(e.action)) close(e.at);
    if (current && e.action === "request_supplement") current.pauseStart = e.at;
    if (current?.pauseStart && e.action === "answer_supplement") {
      current.paused += calendar.officeMinutesBetween(current.pauseStart, e.at);
      current.pauseStart = null;
    }
    // A transfer hands the processing step to another unit: close the part done by the first one.
    if (current && e.action === "transfer") {
      const step: Step = current.step;
      close(e.at);
      current = { step, agencyCode: e.agencyCode, startedAt: e.at, paused: 0, pauseStart: null };
      continue;
    }
    const starts: Step | undefined = STEP_START[e.action];
    if (starts && !current)
      current = { step: starts, agencyCode: e.agencyCode, startedAt: e.at, paused: 0, pauseStart: null };
  }
  close(null);
  return rows;
}
