import { describe, expect, it } from "vitest";
import calendarData from "../../../db/seed/vn-calendar.json";
import { parseCalendarDays, vnDateTime, WorkingCalendar } from "../calendar/working-calendar.ts";
import { stepBreakdown } from "./step-shares.ts";

const calendar = new WorkingCalendar(parseCalendarDays(calendarData));
const A = "000.01.31.H99";
// 10 working days after the day of receipt (4,800 office minutes) + the 7 office hours left on the
// day of receipt = 5,220 minutes: reception 522, processing 4,176, return 522.
const budget = { receivedAt: vnDateTime("2025-03-03", 9 * 60), originalDueAt: vnDateTime("2025-03-17", 17 * 60) };

describe("processing control sheet (form 05)", () => {
  it("shares the time between steps and says which step ran late", () => {
    const rows = stepBreakdown(
      [
        { action: "receive", at: vnDateTime("2025-03-03", 9 * 60), agencyCode: A },
        { action: "start_processing", at: vnDateTime("2025-03-05", 9 * 60), agencyCode: A }, // 2 working days: over 1
        { action: "resolve", at: vnDateTime("2025-03-07", 9 * 60), agencyCode: A },
        { action: "return_result", at: vnDateTime("2025-03-07", 10 * 60), agencyCode: A },
      ],
      budget,
      calendar,
      vnDateTime("2025-03-20", 9 * 60),
    );
    expect(rows.map((r) => [r.step, r.usedMinutes, r.budgetMinutes, r.verdict])).toEqual([
      ["reception", 960, 522, "late"],
      ["processing", 960, 4176, "on_time"],
      ["return", 60, 522, "on_time"],
    ]);
  });

  it("does not count a supplement pause, and splits a transfer between the two units", () => {
    const rows = stepBreakdown(
      [
        { action: "receive", at: vnDateTime("2025-03-03", 9 * 60), agencyCode: A },
        { action: "start_processing", at: vnDateTime("2025-03-03", 10 * 60), agencyCode: A },
        { action: "request_supplement", at: vnDateTime("2025-03-04", 10 * 60), agencyCode: A },
        { action: "answer_supplement", at: vnDateTime("2025-03-06", 10 * 60), agencyCode: A },
        { action: "transfer", at: vnDateTime("2025-03-07", 10 * 60), agencyCode: "000.00.05.H99" },
      ],
      budget,
      calendar,
      vnDateTime("2025-03-10", 10 * 60),
    );
    expect(rows.map((r) => [r.step, r.agencyCode, r.usedMinutes, r.verdict])).toEqual([
      ["reception", A, 60, "on_time"],
      ["processing", A, 960, "on_time"], // 4 working days minus 2 paused
      ["processing", "000.00.05.H99", 480, "running"],
    ]);
  });
});
