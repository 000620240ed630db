/**
 * Working calendar: the clock that statutory deadlines for administrative procedures run on.
 *
 * Time limits for a dossier are stated in working days or office hours, not wall-clock time, and which
 * days are working days is not a fixed weekly rule: every year the government announces holidays,
 * compensatory days and swapped days (a weekday off paid back by a make-up Saturday). So the weekly
 * Monday–Friday pattern is the only thing fixed here; every exception arrives as data an admin can edit
 * (docs/domain.md#working-time), and a wrong or missing entry is fixed in data, never in code.
 *
 * Vietnam has kept UTC+7 without daylight saving since 1975, so local time is a fixed offset. Doing the
 * arithmetic on that offset, instead of Intl or the machine's time zone, gives the same deadline on every
 * server, CI runner and browser.
 *
 * The module is pure: "now" is always an argument, so deadlines are reproducible in tests, in batch
 * recomputation and in exports.
 */

export type CalendarDay = {
  /** YYYY-MM-DD, a Vietnam-local date. */
  date: string;
  kind: "off" | "work";
  name?: string;
};

/** Minutes after local midnight. Two sessions because the lunch break is not office time. */
export type OfficeHours = {
  morningStart: number;
  morningEnd: number;
  afternoonStart: number;
  afternoonEnd: number;
};

export type DeadlineUnit = "working_days" | "working_hours" | "calendar_days";

export type DueDate = { receivedEffective: Date; due: Date };

export type Outcome = "early" | "on_time" | "late";

export const VN_OFFSET_MINUTES = 420;

export const DEFAULT_OFFICE_HOURS: Readonly<OfficeHours> = Object.freeze({
  morningStart: 8 * 60,
  morningEnd: 12 * 60,
  afternoonStart: 13 * 60,
  afternoonEnd: 17 * 60,
});

/** No procedure has a limit anywhere near this; a larger value is a data-entry error, not a deadline. */
export const MAX_AMOUNT = 10_000;

const DEADLINE_UNITS: readonly DeadlineUnit[] = ["working_days", "working_hours", "calendar_days"];
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
const OFFSET_MS = VN_OFFSET_MINUTES * MS_PER_MINUTE;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Internally a date is a day number (days since 1970-01-01): integer arithmetic avoids string and
// time-zone pitfalls, and the conversion to and from YYYY-MM-DD happens only at the edges.

function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function parseDay(date: string, label = "date"): number {
  if (typeof date !== "string") {
    throw new RangeError(`${label} must be a YYYY-MM-DD string, got ${typeof date}`);
  }
  const match = DATE_RE.exec(date);
  if (!match) {
    throw new RangeError(`${label} must be a YYYY-MM-DD string, got ${JSON.stringify(date)}`);
  }
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  const day = ms / MS_PER_DAY;
  // Date.UTC silently rolls over impossible dates (2025-02-30 becomes 2025-03-02); the round trip catches it.
  if (!Number.isInteger(day) || formatDay(day) !== date) {
    throw new RangeError(`${label} is not a real calendar date: ${JSON.stringify(date)}`);
  }
  return day;
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

function assertDate(value: Date, label: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new RangeError(`${label} must be a valid Date`);
  }
  return value.getTime();
}

function assertAmount(value: number, label: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${label} must be a non-negative integer, got ${String(value)}`);
  }
  if (value > MAX_AMOUNT) {
    throw new RangeError(`${label} must be at most ${MAX_AMOUNT}, got ${value}`);
  }
}

function vnDay(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / MS_PER_DAY);
}

/** Instant (epoch ms) of local midnight starting the given day. */
function dayStartMs(day: number): number {
  return day * MS_PER_DAY - OFFSET_MS;
}

/** YYYY-MM-DD of the instant as seen in Vietnam. */
export function toVnDateString(d: Date): string {
  return formatDay(vnDay(assertDate(d, "d")));
}

/** The instant at `minutes` after local midnight of a Vietnam date; 1440 is allowed and means the next midnight. */
export function vnDateTime(date: string, minutes: number): Date {
  const day = parseDay(date);
  if (typeof minutes !== "number" || !Number.isFinite(minutes) || minutes < 0 || minutes > 1440) {
    throw new RangeError(`minutes must be between 0 and 1440, got ${String(minutes)}`);
  }
  return new Date(dayStartMs(day) + Math.round(minutes * MS_PER_MINUTE));
}

/**
 * ISO 8601 with an explicit +07:00 offset, so a deadline shown to a citizen or sent to the national
 * system reads as the local time it is. Milliseconds appear only when non-zero.
 */
export function formatVnIso(d: Date): string {
  const shifted = new Date(assertDate(d, "d") + OFFSET_MS).toISOString();
  const millis = shifted.slice(20, 23);
  return `${shifted.slice(0, 19)}${millis === "000" ? "" : `.${millis}`}+07:00`;
}

/**
 * Outcome is judged on Vietnam dates first: finishing any time before the due date is early, even if the
 * due time is in the morning; on the due date itself only the due time matters.
 */
export function classifyOutcome(endAt: Date, dueAt: Date): Outcome {
  const end = assertDate(endAt, "endAt");
  const due = assertDate(dueAt, "dueAt");
  if (end > due) return "late";
  return vnDay(end) < vnDay(due) ? "early" : "on_time";
}

/**
 * Validates calendar rows that come from outside the type system (the seed JSON, an admin form, a DB
 * row), keeping only the fields the calendar uses.
 */
export function parseCalendarDays(raw: unknown): CalendarDay[] {
  const list = Array.isArray(raw)
    ? raw
    : raw !== null && typeof raw === "object" && Array.isArray((raw as { days?: unknown }).days)
      ? ((raw as { days: unknown[] }).days as unknown[])
      : null;
  if (!list) throw new RangeError("calendar data must be an array of days or an object with a days array");
  return list.map((entry, index) => {
    if (entry === null || typeof entry !== "object") {
      throw new RangeError(`calendar day #${index} must be an object`);
    }
    const { date, kind, name } = entry as Record<string, unknown>;
    if (typeof date !== "string") throw new RangeError(`calendar day #${index} has no date`);
    parseDay(date, `calendar day #${index} date`);
    if (kind !== "off" && kind !== "work") {
      throw new RangeError(`calendar day ${date} has kind ${JSON.stringify(kind)}; expected "off" or "work"`);
    }
    if (name !== undefined && typeof name !== "string") {
      throw new RangeError(`calendar day ${date} has a non-string name`);
    }
    return name === undefined ? { date, kind } : { date, kind, name };
  });
}

function validateHours(hours: OfficeHours): void {
  const { morningStart, morningEnd, afternoonStart, afternoonEnd } = hours;
  for (const [key, value] of Object.entries({ morningStart, morningEnd, afternoonStart, afternoonEnd })) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 1440) {
      throw new RangeError(`office hours ${key} must be an integer minute between 0 and 1440, got ${String(value)}`);
    }
  }
  if (!(morningStart < morningEnd && morningEnd <= afternoonStart && afternoonStart < afternoonEnd)) {
    throw new RangeError("office hours must satisfy morningStart < morningEnd <= afternoonStart < afternoonEnd");
  }
}

export class WorkingCalendar {
  readonly hours: Readonly<OfficeHours>;
  readonly #exceptions: ReadonlyMap<number, "off" | "work">;
  /** Office sessions as [start, end) in ms after local midnight. */
  readonly #sessions: ReadonlyArray<readonly [number, number]>;

  constructor(days: readonly CalendarDay[], hours: OfficeHours = DEFAULT_OFFICE_HOURS) {
    if (!Array.isArray(days)) throw new RangeError("days must be an array of calendar days");
    validateHours(hours);
    this.hours = Object.freeze({ ...hours });
    const exceptions = new Map<number, "off" | "work">();
    for (const entry of days) {
      const day = parseDay(entry.date, "calendar day date");
      if (entry.kind !== "off" && entry.kind !== "work") {
        throw new RangeError(
          `calendar day ${entry.date} has kind ${JSON.stringify(entry.kind)}; expected "off" or "work"`,
        );
      }
      const previous = exceptions.get(day);
      // Two contradicting rows for one date would make deadlines depend on row order; refuse instead.
      if (previous !== undefined && previous !== entry.kind) {
        throw new RangeError(`calendar day ${entry.date} is listed both as "off" and "work"`);
      }
      exceptions.set(day, entry.kind);
    }
    this.#exceptions = exceptions;
    this.#sessions = [
      [hours.morningStart * MS_PER_MINUTE, hours.morningEnd * MS_PER_MINUTE],
      [hours.afternoonStart * MS_PER_MINUTE, hours.afternoonEnd * MS_PER_MINUTE],
    ];
  }

  isWorkingDay(date: string): boolean {
    return this.#isWorking(parseDay(date));
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: string): string {
    return formatDay(this.#nextWorking(parseDay(date)));
  }

  /** The n-th working day strictly after `date`; n = 0 returns `date` unchanged, working day or not. */
  addWorkingDays(date: string, n: number): string {
    const start = parseDay(date);
    assertAmount(n, "n");
    return formatDay(this.#addWorking(start, n));
  }

  /**
   * When the clock starts (portal rule): after closing time or on a day off the dossier counts as received
   * at opening of the next working day; before opening, at opening that day. A lunch-break receipt is kept
   * as is, because office-time arithmetic already skips the break.
   */
  effectiveReceipt(at: Date): Date {
    const ms = assertDate(at, "at");
    const day = vnDay(ms);
    const msOfDay = ms - dayStartMs(day);
    const opening = this.hours.morningStart * MS_PER_MINUTE;
    const closing = this.hours.afternoonEnd * MS_PER_MINUTE;
    if (!this.#isWorking(day) || msOfDay >= closing) {
      return new Date(dayStartMs(this.#nextWorking(day)) + opening);
    }
    if (msOfDay < opening) return new Date(dayStartMs(day) + opening);
    return new Date(ms);
  }

  /** docs/domain.md#working-time: the day of (effective) receipt is never counted, and day-based limits end at closing time. */
  dueDate(receivedAt: Date, amount: number, unit: DeadlineUnit): DueDate {
    assertDate(receivedAt, "receivedAt");
    assertAmount(amount, "amount");
    if (!DEADLINE_UNITS.includes(unit)) {
      throw new RangeError(`unit must be one of ${DEADLINE_UNITS.join(", ")}, got ${JSON.stringify(unit)}`);
    }
    const receivedEffective = this.effectiveReceipt(receivedAt);
    const receiptDay = vnDay(receivedEffective.getTime());
    const closing = this.hours.afternoonEnd * MS_PER_MINUTE;
    let due: Date;
    switch (unit) {
      case "working_days":
        due = new Date(dayStartMs(this.#addWorking(receiptDay, amount)) + closing);
        break;
      case "working_hours":
        due = this.addOfficeMinutes(receivedEffective, amount * 60);
        break;
      case "calendar_days": {
        // Civil Code 2015 art. 148: a period ending on a day off ends on the next working day.
        const last = receiptDay + amount;
        const dueDay = this.#isWorking(last) ? last : this.#nextWorking(last);
        due = new Date(dayStartMs(dueDay) + closing);
        break;
      }
    }
    return { receivedEffective, due };
  }

  /**
   * The earliest instant by which `minutes` of office time have elapsed since `from`. "Earliest" means a
   * period that uses up a session exactly ends at that session's close (17:00), not at the next opening,
   * which is what keeps day-based due times at 17:00 when a pause is added.
   */
  addOfficeMinutes(from: Date, minutes: number): Date {
    const fromMs = assertDate(from, "from");
    if (typeof minutes !== "number" || !Number.isFinite(minutes) || minutes < 0) {
      throw new RangeError(`minutes must be a non-negative finite number, got ${String(minutes)}`);
    }
    let remaining = Math.round(minutes * MS_PER_MINUTE);
    if (remaining === 0) return new Date(fromMs);
    let day = vnDay(fromMs);
    let msOfDay = fromMs - dayStartMs(day);
    for (;;) {
      if (this.#isWorking(day)) {
        for (const [sessionStart, sessionEnd] of this.#sessions) {
          if (msOfDay >= sessionEnd) continue;
          const start = Math.max(msOfDay, sessionStart);
          const available = sessionEnd - start;
          if (remaining <= available) return new Date(dayStartMs(day) + start + remaining);
          remaining -= available;
          msOfDay = sessionEnd;
        }
      }
      day += 1;
      msOfDay = 0;
    }
  }

  /** Office time in [a, b), in minutes (fractional if the instants are not on whole minutes); 0 if b <= a. */
  officeMinutesBetween(a: Date, b: Date): number {
    const aMs = assertDate(a, "a");
    const bMs = assertDate(b, "b");
    if (bMs <= aMs) return 0;
    let total = 0;
    const lastDay = vnDay(bMs);
    for (let day = vnDay(aMs); day <= lastDay; day += 1) {
      if (!this.#isWorking(day)) continue;
      const base = dayStartMs(day);
      for (const [sessionStart, sessionEnd] of this.#sessions) {
        const lo = Math.max(base + sessionStart, aMs);
        const hi = Math.min(base + sessionEnd, bMs);
        if (hi > lo) total += hi - lo;
      }
    }
    return total / MS_PER_MINUTE;
  }

  /** A supplement request stops the clock; the citizen's time to answer is given back as office time. */
  extendForPause(due: Date, pausedFrom: Date, pausedTo: Date): Date {
    assertDate(due, "due");
    const from = assertDate(pausedFrom, "pausedFrom");
    const to = assertDate(pausedTo, "pausedTo");
    if (to < from) throw new RangeError("pausedTo must not be before pausedFrom");
    return this.addOfficeMinutes(due, this.officeMinutesBetween(pausedFrom, pausedTo));
  }

  /** Working days after a's Vietnam date up to and including b's; 0 when b's date is not after a's. */
  workingDaysBetween(a: Date, b: Date): number {
    const first = vnDay(assertDate(a, "a"));
    const last = vnDay(assertDate(b, "b"));
    let count = 0;
    for (let day = first + 1; day <= last; day += 1) {
      if (this.#isWorking(day)) count += 1;
    }
    return count;
  }

  #isWorking(day: number): boolean {
    const exception = this.#exceptions.get(day);
    if (exception !== undefined) return exception === "work";
    const dow = dayOfWeek(day);
    return dow !== 0 && dow !== 6;
  }

  #nextWorking(day: number): number {
    // Terminates: the exceptions are finite, so some later weekday is unlisted and therefore working.
    let next = day + 1;
    while (!this.#isWorking(next)) next += 1;
    return next;
  }

  #addWorking(day: number, n: number): number {
    let current = day;
    for (let i = 0; i < n; i += 1) current = this.#nextWorking(current);
    return current;
  }
}
