import fc from "fast-check";
import { describe, expect, it } from "vitest";
import calendarData from "../../../db/seed/vn-calendar.json";
import {
  classifyOutcome,
  DEFAULT_OFFICE_HOURS,
  type DeadlineUnit,
  formatVnIso,
  parseCalendarDays,
  toVnDateString,
  VN_OFFSET_MINUTES,
  vnDateTime,
  WorkingCalendar,
} from "./working-calendar";

const cal = new WorkingCalendar(parseCalendarDays(calendarData));

/** Vietnam local time, written the way docs/domain.md states it. */
const vn = (local: string): Date => new Date(`${local}+07:00`);
const iso = (d: Date): string => formatVnIso(d);

// The seed data covers 2023–2026; keep generated receipts early enough that deadlines stay inside it.
const RANGE_START = vn("2023-01-01T00:00:00").getTime();
const RANGE_END = vn("2026-09-30T23:59:59").getTime();
const instantArb = fc.integer({ min: RANGE_START, max: RANGE_END }).map((ms) => new Date(ms));
const dateArb = instantArb.map(toVnDateString);
const unitArb = fc.constantFrom<DeadlineUnit>("working_days", "working_hours", "calendar_days");
const amountArb = fc.integer({ min: 0, max: 60 });
const RUNS = { numRuns: 200 };

describe("seed calendar data", () => {
  it("covers 2023 through 2026", () => {
    const years = new Set(calendarData.days.map((d) => d.date.slice(0, 4)));
    expect([...years].sort()).toEqual(["2023", "2024", "2025", "2026"]);
  });
});

describe("docs/domain.md#working-time worked examples", () => {
  it("1. 3 working days, received Mon 2025-03-10 10:00 -> due Thu 2025-03-13 17:00", () => {
    const { receivedEffective, due } = cal.dueDate(vn("2025-03-10T10:00:00"), 3, "working_days");
    expect(iso(receivedEffective)).toBe("2025-03-10T10:00:00+07:00");
    expect(iso(due)).toBe("2025-03-13T17:00:00+07:00");
  });

  it("2a. 5 working days across Tết, received Fri 2025-01-24 16:00 -> due Fri 2025-02-07 17:00", () => {
    const { due } = cal.dueDate(vn("2025-01-24T16:00:00"), 5, "working_days");
    expect(iso(due)).toBe("2025-02-07T17:00:00+07:00");
  });

  it("2b. 6 working days from the same receipt -> make-up Saturday 2025-02-08 17:00", () => {
    const { due } = cal.dueDate(vn("2025-01-24T16:00:00"), 6, "working_days");
    expect(iso(due)).toBe("2025-02-08T17:00:00+07:00");
  });

  it("3. 3 working days, received on make-up Saturday 2025-04-26 09:00 -> due Mon 2025-05-05 17:00", () => {
    const { receivedEffective, due } = cal.dueDate(vn("2025-04-26T09:00:00"), 3, "working_days");
    expect(iso(receivedEffective)).toBe("2025-04-26T09:00:00+07:00");
    expect(iso(due)).toBe("2025-05-05T17:00:00+07:00");
  });

  it("4. received Sun 2024-04-28 -> counts as Thu 2024-05-02 08:00; 2 working days -> Sat 2024-05-04 17:00", () => {
    const { receivedEffective, due } = cal.dueDate(vn("2024-04-28T10:00:00"), 2, "working_days");
    expect(iso(receivedEffective)).toBe("2024-05-02T08:00:00+07:00");
    expect(iso(due)).toBe("2024-05-04T17:00:00+07:00");
  });

  it("5. 4 working hours, received Mon 2025-03-10 15:00 -> due Tue 2025-03-11 10:00", () => {
    const { due } = cal.dueDate(vn("2025-03-10T15:00:00"), 4, "working_hours");
    expect(iso(due)).toBe("2025-03-11T10:00:00+07:00");
  });

  it("6. 10 working days with a supplement pause of 24 office hours -> due moves from Mon 03-17 to Thu 03-20", () => {
    const { due } = cal.dueDate(vn("2025-03-03T09:00:00"), 10, "working_days");
    expect(iso(due)).toBe("2025-03-17T17:00:00+07:00");
    const requested = vn("2025-03-05T10:00:00");
    const answered = vn("2025-03-10T10:00:00");
    expect(cal.officeMinutesBetween(requested, answered)).toBe(24 * 60);
    expect(iso(cal.extendForPause(due, requested, answered))).toBe("2025-03-20T17:00:00+07:00");
  });
});

describe("working days", () => {
  it("follows Mon–Fri, minus listed days off, plus listed working Saturdays", () => {
    expect(cal.isWorkingDay("2025-03-10")).toBe(true); // Monday
    expect(cal.isWorkingDay("2025-03-08")).toBe(false); // Saturday
    expect(cal.isWorkingDay("2025-03-09")).toBe(false); // Sunday
    expect(cal.isWorkingDay("2025-09-02")).toBe(false); // National Day, Tuesday
    expect(cal.isWorkingDay("2025-02-08")).toBe(true); // make-up Saturday
  });

  it("falls back to the weekly pattern outside the data", () => {
    expect(cal.isWorkingDay("2030-01-07")).toBe(true);
    expect(cal.isWorkingDay("2030-01-05")).toBe(false);
  });

  it("nextWorkingDay is strictly after the date", () => {
    expect(cal.nextWorkingDay("2025-03-10")).toBe("2025-03-11");
    expect(cal.nextWorkingDay("2025-03-07")).toBe("2025-03-10");
    expect(cal.nextWorkingDay("2025-01-24")).toBe("2025-02-03");
    expect(cal.nextWorkingDay("2025-02-07")).toBe("2025-02-08");
  });

  it("addWorkingDays(…, 0) returns the date itself, even a day off", () => {
    expect(cal.addWorkingDays("2025-03-09", 0)).toBe("2025-03-09");
    expect(cal.addWorkingDays("2025-03-09", 1)).toBe("2025-03-10");
  });

  it("workingDaysBetween counts days after a's date up to and including b's", () => {
    const received = vn("2025-03-03T09:00:00");
    expect(cal.workingDaysBetween(received, vn("2025-03-10T15:00:00"))).toBe(5);
    expect(cal.workingDaysBetween(received, vn("2025-03-03T16:00:00"))).toBe(0);
    expect(cal.workingDaysBetween(received, vn("2025-03-01T16:00:00"))).toBe(0);
    // Tết: Fri 2025-01-24 to Mon 2025-02-03 is one working day.
    expect(cal.workingDaysBetween(vn("2025-01-24T10:00:00"), vn("2025-02-03T10:00:00"))).toBe(1);
  });
});

describe("effective receipt", () => {
  it("keeps a receipt during office hours", () => {
    expect(iso(cal.effectiveReceipt(vn("2025-03-10T16:59:59")))).toBe("2025-03-10T16:59:59+07:00");
  });

  it("moves a receipt at or after 17:00 to 08:00 of the next working day", () => {
    expect(iso(cal.effectiveReceipt(vn("2025-03-10T17:00:00")))).toBe("2025-03-11T08:00:00+07:00");
    expect(iso(cal.effectiveReceipt(vn("2025-03-07T22:30:00")))).toBe("2025-03-10T08:00:00+07:00");
    expect(iso(cal.effectiveReceipt(vn("2025-01-24T17:00:00")))).toBe("2025-02-03T08:00:00+07:00");
  });

  it("moves a receipt before 08:00 on a working day to 08:00 that day", () => {
    expect(iso(cal.effectiveReceipt(vn("2025-03-10T06:15:00")))).toBe("2025-03-10T08:00:00+07:00");
    // 00:30 in Vietnam is still the previous day in UTC.
    expect(iso(cal.effectiveReceipt(new Date("2025-03-09T17:30:00Z")))).toBe("2025-03-10T08:00:00+07:00");
  });

  it("moves a receipt on a holiday to the next working day", () => {
    expect(iso(cal.effectiveReceipt(vn("2025-09-01T09:00:00")))).toBe("2025-09-03T08:00:00+07:00");
  });

  it("keeps a lunch-break receipt, but office time starts at 13:00", () => {
    const at = vn("2025-03-10T12:30:00");
    expect(iso(cal.effectiveReceipt(at))).toBe("2025-03-10T12:30:00+07:00");
    expect(iso(cal.dueDate(at, 1, "working_hours").due)).toBe("2025-03-10T14:00:00+07:00");
  });
});

describe("due dates", () => {
  it("working hours skip the lunch break and the weekend", () => {
    expect(iso(cal.dueDate(vn("2025-03-10T11:00:00"), 2, "working_hours").due)).toBe("2025-03-10T14:00:00+07:00");
    expect(iso(cal.dueDate(vn("2025-03-07T16:00:00"), 2, "working_hours").due)).toBe("2025-03-10T09:00:00+07:00");
    expect(iso(cal.dueDate(vn("2025-03-10T07:00:00"), 4, "working_hours").due)).toBe("2025-03-10T12:00:00+07:00");
  });

  it("working hours that use up the day end at 17:00 that day", () => {
    expect(iso(cal.dueDate(vn("2025-03-10T08:00:00"), 8, "working_hours").due)).toBe("2025-03-10T17:00:00+07:00");
  });

  it("calendar days end at 17:00 and move off a day off to the next working day", () => {
    expect(iso(cal.dueDate(vn("2025-03-10T10:00:00"), 3, "calendar_days").due)).toBe("2025-03-13T17:00:00+07:00");
    // 2025-01-25 is a Saturday inside Tết: the next working day is Mon 2025-02-03.
    expect(iso(cal.dueDate(vn("2025-01-20T10:00:00"), 5, "calendar_days").due)).toBe("2025-02-03T17:00:00+07:00");
    // Lands on a make-up Saturday, which is a working day.
    expect(iso(cal.dueDate(vn("2025-02-03T10:00:00"), 5, "calendar_days").due)).toBe("2025-02-08T17:00:00+07:00");
  });

  it("calendar days count from the effective receipt day", () => {
    // Received Sat 2025-03-08 (day off) -> counts as Mon 2025-03-10 08:00.
    const { receivedEffective, due } = cal.dueDate(vn("2025-03-08T10:00:00"), 3, "calendar_days");
    expect(iso(receivedEffective)).toBe("2025-03-10T08:00:00+07:00");
    expect(iso(due)).toBe("2025-03-13T17:00:00+07:00");
  });

  it("amount 0 of working days is due at 17:00 on the effective receipt day", () => {
    expect(iso(cal.dueDate(vn("2025-03-10T10:00:00"), 0, "working_days").due)).toBe("2025-03-10T17:00:00+07:00");
  });

  it("uses configurable office hours", () => {
    const summer = new WorkingCalendar(parseCalendarDays(calendarData), {
      morningStart: 7 * 60 + 30,
      morningEnd: 11 * 60 + 30,
      afternoonStart: 13 * 60 + 30,
      afternoonEnd: 16 * 60 + 30,
    });
    expect(iso(summer.dueDate(vn("2025-03-10T10:00:00"), 3, "working_days").due)).toBe("2025-03-13T16:30:00+07:00");
    expect(iso(summer.effectiveReceipt(vn("2025-03-10T16:45:00")))).toBe("2025-03-11T07:30:00+07:00");
    expect(iso(summer.dueDate(vn("2025-03-10T11:00:00"), 1, "working_hours").due)).toBe("2025-03-10T14:00:00+07:00");
  });
});

describe("office time and pauses", () => {
  it("counts only office time between two instants", () => {
    expect(cal.officeMinutesBetween(vn("2025-03-10T11:00:00"), vn("2025-03-10T14:00:00"))).toBe(120);
    expect(cal.officeMinutesBetween(vn("2025-03-07T16:00:00"), vn("2025-03-10T09:00:00"))).toBe(120);
    expect(cal.officeMinutesBetween(vn("2025-03-10T14:00:00"), vn("2025-03-10T11:00:00"))).toBe(0);
  });

  it("addOfficeMinutes(…, 0) returns the same instant", () => {
    const at = vn("2025-03-10T17:00:00");
    expect(cal.addOfficeMinutes(at, 0).getTime()).toBe(at.getTime());
  });

  it("a pause entirely outside office hours does not move the due date", () => {
    const due = vn("2025-03-17T17:00:00");
    expect(cal.extendForPause(due, vn("2025-03-08T09:00:00"), vn("2025-03-09T18:00:00")).getTime()).toBe(due.getTime());
  });

  it("a pause over a holiday gives back only the office time around it", () => {
    // Fri 2025-08-29 16:00 to Wed 2025-09-03 09:00: 1 h Friday + 1 h Wednesday (1–2 Sep off).
    expect(cal.officeMinutesBetween(vn("2025-08-29T16:00:00"), vn("2025-09-03T09:00:00"))).toBe(120);
  });
});

describe("time helpers", () => {
  it("uses a fixed +07:00 offset", () => {
    expect(VN_OFFSET_MINUTES).toBe(420);
    expect(DEFAULT_OFFICE_HOURS).toEqual({
      morningStart: 480,
      morningEnd: 720,
      afternoonStart: 780,
      afternoonEnd: 1020,
    });
    expect(toVnDateString(new Date("2025-03-09T16:59:59Z"))).toBe("2025-03-09");
    expect(toVnDateString(new Date("2025-03-09T17:00:00Z"))).toBe("2025-03-10");
    expect(vnDateTime("2025-03-13", 17 * 60).toISOString()).toBe("2025-03-13T10:00:00.000Z");
    expect(vnDateTime("2025-03-13", 0).toISOString()).toBe("2025-03-12T17:00:00.000Z");
  });

  it("formats ISO 8601 with +07:00", () => {
    expect(formatVnIso(new Date("2025-03-13T10:00:00Z"))).toBe("2025-03-13T17:00:00+07:00");
    expect(formatVnIso(new Date("2025-12-31T17:30:00Z"))).toBe("2026-01-01T00:30:00+07:00");
    expect(formatVnIso(new Date("2025-03-13T10:00:00.250Z"))).toBe("2025-03-13T17:00:00.250+07:00");
  });
});

describe("classifyOutcome", () => {
  const due = vn("2025-03-13T17:00:00");

  it("early when it ends on a Vietnam date before the due date", () => {
    expect(classifyOutcome(vn("2025-03-12T16:00:00"), due)).toBe("early");
    expect(classifyOutcome(vn("2025-03-12T23:59:59"), due)).toBe("early");
  });

  it("on_time on the due date up to and including the due time", () => {
    expect(classifyOutcome(vn("2025-03-13T00:30:00"), due)).toBe("on_time");
    expect(classifyOutcome(vn("2025-03-13T09:00:00"), due)).toBe("on_time");
    expect(classifyOutcome(vn("2025-03-13T17:00:00"), due)).toBe("on_time");
  });

  it("late after the due time", () => {
    expect(classifyOutcome(vn("2025-03-13T17:00:01"), due)).toBe("late");
    expect(classifyOutcome(vn("2025-03-14T08:00:00"), due)).toBe("late");
  });

  it("judges dates in Vietnam time, not UTC", () => {
    // 2025-03-12T17:30Z is already 2025-03-13 00:30 in Vietnam: the due date, so on_time, not early.
    expect(classifyOutcome(new Date("2025-03-12T17:30:00Z"), due)).toBe("on_time");
  });

  it("a morning due time: earlier the same day is on_time, the day before is early", () => {
    const hoursDue = vn("2025-03-11T10:00:00");
    expect(classifyOutcome(vn("2025-03-11T09:00:00"), hoursDue)).toBe("on_time");
    expect(classifyOutcome(vn("2025-03-10T16:00:00"), hoursDue)).toBe("early");
  });
});

describe("input validation", () => {
  const at = vn("2025-03-10T10:00:00");

  it("rejects negative, non-integer and oversized amounts", () => {
    expect(() => cal.dueDate(at, -1, "working_days")).toThrow(RangeError);
    expect(() => cal.dueDate(at, 1.5, "working_days")).toThrow(/non-negative integer/);
    expect(() => cal.dueDate(at, Number.NaN, "working_hours")).toThrow(RangeError);
    expect(() => cal.dueDate(at, 10_001, "calendar_days")).toThrow(/at most 10000/);
    expect(() => cal.addWorkingDays("2025-03-10", -2)).toThrow(RangeError);
    expect(() => cal.dueDate(at, 1, "weeks" as DeadlineUnit)).toThrow(/unit/);
  });

  it("accepts the maximum amount", () => {
    expect(() => cal.dueDate(at, 10_000, "working_days")).not.toThrow();
  });

  it("rejects invalid dates", () => {
    expect(() => cal.isWorkingDay("2025-02-30")).toThrow(/not a real calendar date/);
    expect(() => cal.nextWorkingDay("10/03/2025")).toThrow(/YYYY-MM-DD/);
    expect(() => cal.effectiveReceipt(new Date("nonsense"))).toThrow(RangeError);
    expect(() => cal.dueDate(new Date(Number.NaN), 1, "working_days")).toThrow(/receivedAt/);
    expect(() => toVnDateString(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => vnDateTime("2025-03-10", 1441)).toThrow(RangeError);
    expect(() => classifyOutcome(new Date(Number.NaN), at)).toThrow(/endAt/);
  });

  it("rejects negative office minutes and reversed pauses", () => {
    expect(() => cal.addOfficeMinutes(at, -5)).toThrow(RangeError);
    expect(() => cal.extendForPause(at, vn("2025-03-10T12:00:00"), vn("2025-03-10T11:00:00"))).toThrow(RangeError);
  });

  it("rejects bad calendar data and office hours", () => {
    expect(() => new WorkingCalendar([{ date: "2025-13-01", kind: "off" }])).toThrow(RangeError);
    expect(() => parseCalendarDays([{ date: "2025-03-10", kind: "holiday" }])).toThrow(/kind/);
    expect(() => parseCalendarDays({ nope: true })).toThrow(RangeError);
    expect(
      () =>
        new WorkingCalendar([
          { date: "2025-03-10", kind: "off" },
          { date: "2025-03-10", kind: "work" },
        ]),
    ).toThrow(/both/);
    expect(
      () => new WorkingCalendar([], { morningStart: 480, morningEnd: 800, afternoonStart: 780, afternoonEnd: 1020 }),
    ).toThrow(RangeError);
  });
});

describe("properties", () => {
  it("the due date is never on a day off", () => {
    fc.assert(
      fc.property(instantArb, amountArb, unitArb, (at, amount, unit) => {
        const { due } = cal.dueDate(at, amount, unit);
        expect(cal.isWorkingDay(toVnDateString(due))).toBe(true);
      }),
      RUNS,
    );
  });

  it("the due date is non-decreasing in the time of receipt", () => {
    fc.assert(
      fc.property(instantArb, instantArb, amountArb, unitArb, (x, y, amount, unit) => {
        const [early, later] = x <= y ? [x, y] : [y, x];
        expect(cal.dueDate(early, amount, unit).due.getTime()).toBeLessThanOrEqual(
          cal.dueDate(later, amount, unit).due.getTime(),
        );
      }),
      RUNS,
    );
  });

  it("adding n then m working days equals adding n + m", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (date, n, m) => {
        expect(cal.addWorkingDays(cal.addWorkingDays(date, n), m)).toBe(cal.addWorkingDays(date, n + m));
      }),
      RUNS,
    );
  });

  it("a working-days deadline is always due at 17:00", () => {
    fc.assert(
      fc.property(instantArb, amountArb, (at, amount) => {
        expect(formatVnIso(cal.dueDate(at, amount, "working_days").due).slice(11)).toBe("17:00:00+07:00");
      }),
      RUNS,
    );
  });

  it("the effective receipt is on a working day, not before the receipt, and idempotent", () => {
    fc.assert(
      fc.property(instantArb, (at) => {
        const effective = cal.effectiveReceipt(at);
        expect(effective.getTime()).toBeGreaterThanOrEqual(at.getTime());
        expect(cal.isWorkingDay(toVnDateString(effective))).toBe(true);
        expect(cal.effectiveReceipt(effective).getTime()).toBe(effective.getTime());
      }),
      RUNS,
    );
  });

  it("office minutes between from and from + m is m", () => {
    fc.assert(
      fc.property(instantArb, fc.integer({ min: 0, max: 20 * 480 }), (from, minutes) => {
        expect(cal.officeMinutesBetween(from, cal.addOfficeMinutes(from, minutes))).toBe(minutes);
      }),
      RUNS,
    );
  });

  it("workingDaysBetween inverts a working-days deadline", () => {
    fc.assert(
      fc.property(instantArb, amountArb, (at, amount) => {
        const { receivedEffective, due } = cal.dueDate(at, amount, "working_days");
        expect(cal.workingDaysBetween(receivedEffective, due)).toBe(amount);
      }),
      RUNS,
    );
  });

  it("a deadline ending exactly at its due time is on_time", () => {
    fc.assert(
      fc.property(instantArb, amountArb, unitArb, (at, amount, unit) => {
        const { due } = cal.dueDate(at, amount, unit);
        expect(classifyOutcome(due, due)).toBe("on_time");
        expect(classifyOutcome(new Date(due.getTime() + 1000), due)).toBe("late");
      }),
      RUNS,
    );
  });

  it("Vietnam dates and local times round-trip", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 1439 }), (date, minutes) => {
        const instant = vnDateTime(date, minutes);
        expect(toVnDateString(instant)).toBe(date);
        const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
        const mm = String(minutes % 60).padStart(2, "0");
        expect(formatVnIso(instant)).toBe(`${date}T${hh}:${mm}:00+07:00`);
      }),
      RUNS,
    );
  });
});
