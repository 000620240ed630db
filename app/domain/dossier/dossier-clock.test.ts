import { describe, expect, it } from "vitest";
import calendarData from "../../../db/seed/vn-calendar.json";
import { parseCalendarDays, vnDateTime, WorkingCalendar } from "../calendar/working-calendar.ts";
import {
  apologyAppointment,
  type ClockState,
  checkApology,
  clockChanges,
  deadlineFlags,
  mayApologise,
} from "./dossier-clock.ts";

const calendar = new WorkingCalendar(parseCalendarDays(calendarData));
const fresh: ClockState = {
  receivedAt: null,
  dueAt: null,
  pausedAt: null,
  pausedMinutes: 0,
  supplementsAfterReceipt: 0,
};
const tenDays = { amount: 10, unit: "working_days" as const };

describe("dossier clock", () => {
  it("starts the deadline at reception (docs/domain.md example 6, first part)", () => {
    const c = clockChanges(fresh, "receive", tenDays, calendar, vnDateTime("2025-03-03", 9 * 60));
    expect(c.dueAt).toEqual(vnDateTime("2025-03-17", 17 * 60));
    expect(c.originalDueAt).toEqual(c.dueAt);
  });

  it("counts paused minutes as a whole number even when the pause lasts seconds in office hours", () => {
    const pausedAt = vnDateTime("2025-03-05", 10 * 60);
    const state: ClockState = {
      ...fresh,
      receivedAt: vnDateTime("2025-03-03", 9 * 60),
      dueAt: vnDateTime("2025-03-17", 17 * 60),
      pausedAt,
    };
    const answered = clockChanges(state, "answer_supplement", tenDays, calendar, new Date(pausedAt.getTime() + 1_500));
    expect(answered.pausedMinutes).toBe(0);
    expect(Number.isInteger(answered.pausedMinutes)).toBe(true);
    // The due date still moves by the exact pause (past 17:00, into the next working morning).
    expect(answered.dueAt).toEqual(new Date(vnDateTime("2025-03-18", 8 * 60).getTime() + 1_500));
  });

  it("adds the office time of a supplement pause to the due date (docs/domain.md example 6)", () => {
    const received: ClockState = {
      ...fresh,
      receivedAt: vnDateTime("2025-03-03", 9 * 60),
      dueAt: vnDateTime("2025-03-17", 17 * 60),
    };
    const asked = clockChanges(received, "request_supplement", tenDays, calendar, vnDateTime("2025-03-05", 10 * 60));
    expect(asked).toEqual({ pausedAt: vnDateTime("2025-03-05", 10 * 60), supplementsAfterReceipt: 1 });
    const answered = clockChanges(
      { ...received, ...asked } as ClockState,
      "answer_supplement",
      tenDays,
      calendar,
      vnDateTime("2025-03-10", 10 * 60),
    );
    expect(answered.dueAt).toEqual(vnDateTime("2025-03-20", 17 * 60));
    expect(answered.pausedMinutes).toBe(24 * 60);
    expect(answered.pausedAt).toBeNull();
  });

  it("does not stop the clock for a supplement requested before reception", () => {
    expect(clockChanges(fresh, "request_supplement", tenDays, calendar, new Date())).toEqual({});
  });

  it("classifies the outcome when resolved", () => {
    const s: ClockState = {
      ...fresh,
      receivedAt: vnDateTime("2025-03-10", 10 * 60),
      dueAt: vnDateTime("2025-03-13", 17 * 60),
    };
    expect(clockChanges(s, "resolve", tenDays, calendar, vnDateTime("2025-03-12", 15 * 60)).outcome).toBe("early");
    expect(clockChanges(s, "resolve", tenDays, calendar, vnDateTime("2025-03-13", 16 * 60)).outcome).toBe("on_time");
    expect(clockChanges(s, "resolve", tenDays, calendar, vnDateTime("2025-03-14", 9 * 60)).outcome).toBe("late");
  });

  it("makes a dossier with two supplement requests after reception late, even if early", () => {
    const s: ClockState = {
      ...fresh,
      receivedAt: vnDateTime("2025-03-10", 10 * 60),
      dueAt: vnDateTime("2025-03-20", 17 * 60),
      supplementsAfterReceipt: 2,
    };
    expect(clockChanges(s, "resolve", tenDays, calendar, vnDateTime("2025-03-11", 9 * 60)).outcome).toBe("late");
  });

  it("ends an unanswered supplement at the request time when the dossier is stopped", () => {
    const s: ClockState = {
      ...fresh,
      receivedAt: vnDateTime("2025-03-10", 10 * 60),
      dueAt: vnDateTime("2025-03-13", 17 * 60),
      pausedAt: vnDateTime("2025-03-11", 9 * 60),
      supplementsAfterReceipt: 1,
    };
    const c = clockChanges(s, "stop", tenDays, calendar, vnDateTime("2025-04-30", 9 * 60));
    expect(c.endedAt).toEqual(vnDateTime("2025-03-11", 9 * 60));
    expect(c.outcome).toBe("early");
  });

  it("does not classify a dossier that was never received", () => {
    expect(clockChanges(fresh, "withdraw", tenDays, calendar, new Date()).outcome).toBeUndefined();
  });
});

describe("apology and new appointment", () => {
  const due = vnDateTime("2025-03-13", 17 * 60); // Thursday
  const base = {
    status: "processing",
    dueAt: due,
    alreadyApologised: false,
    newDueAt: vnDateTime("2025-03-18", 17 * 60),
  };
  it("is allowed until the end of the working day before the due date", () => {
    expect(checkApology(base, calendar, vnDateTime("2025-03-12", 16 * 60 + 59))).toBeNull();
    expect(checkApology(base, calendar, vnDateTime("2025-03-12", 17 * 60 + 1))).toBe("tooLate");
  });
  it("skips days off when counting back (due Monday → latest the Friday before)", () => {
    const monday = { ...base, dueAt: vnDateTime("2025-03-17", 17 * 60), newDueAt: vnDateTime("2025-03-20", 17 * 60) };
    expect(checkApology(monday, calendar, vnDateTime("2025-03-14", 16 * 60))).toBeNull();
    expect(checkApology(monday, calendar, vnDateTime("2025-03-15", 9 * 60))).toBe("tooLate");
  });
  it("needs an open dossier, one apology only, and a later date", () => {
    const now = vnDateTime("2025-03-10", 9 * 60);
    expect(checkApology({ ...base, status: "resolved" }, calendar, now)).toBe("notOpen");
    expect(checkApology({ ...base, alreadyApologised: true }, calendar, now)).toBe("alreadyApologised");
    expect(checkApology({ ...base, newDueAt: due }, calendar, now)).toBe("newDateNotLater");
  });
});

describe("queue flags and the apology form", () => {
  it("flags overdue past the due time and at risk within one working day of it", () => {
    const due = vnDateTime("2025-03-12", 17 * 60);
    expect(deadlineFlags(due, vnDateTime("2025-03-12", 17 * 60 + 1), calendar)).toEqual({
      overdue: true,
      atRisk: false,
    });
    expect(deadlineFlags(due, vnDateTime("2025-03-12", 9 * 60), calendar)).toEqual({ overdue: false, atRisk: true });
    expect(deadlineFlags(due, vnDateTime("2025-03-11", 17 * 60), calendar)).toEqual({ overdue: false, atRisk: false });
    expect(deadlineFlags(null, vnDateTime("2025-03-12", 9 * 60), calendar)).toEqual({ overdue: false, atRisk: false });
  });

  it("offers the apology while open and not yet apologised, for office close of the chosen date", () => {
    expect(mayApologise("processing", false)).toBe(true);
    expect(mayApologise("processing", true)).toBe(false);
    expect(mayApologise("resolved", false)).toBe(false);
    expect(mayApologise("submitted", false)).toBe(false);
    expect(apologyAppointment("2025-03-20")).toEqual(vnDateTime("2025-03-20", 17 * 60));
  });
});
