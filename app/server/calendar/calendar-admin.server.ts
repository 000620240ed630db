/** Admin edits of the working-day calendar (days off, make-up working days), audited. */
import type { Kysely } from "kysely";
import { recordAudit } from "../audit.server.ts";
import type { Database } from "../db.server.ts";
import { invalidateCalendar } from "./calendar-service.server.ts";

export type CalendarEditProblem = "workOnWeekdayOnly" | "offOnWeekendOnly" | "exists";

/** A listed 'off' day must be a weekday and a 'work' day a weekend day: anything else changes nothing. */
export function checkCalendarDay(date: string, kind: "off" | "work"): CalendarEditProblem | null {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (kind === "work" && !weekend) return "workOnWeekdayOnly";
  if (kind === "off" && weekend) return "offOnWeekendOnly";
  return null;
}

export async function addCalendarDay(
  db: Kysely<Database>,
  adminId: string,
  day: { date: string; kind: "off" | "work"; name: string },
): Promise<CalendarEditProblem | null> {
  const problem = checkCalendarDay(day.date, day.kind);
  if (problem) return problem;
  const added = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("calendar_days")
      .values({ date: day.date, kind: day.kind, name: day.name, confirmed: true })
      .onConflict((oc) => oc.column("date").doNothing())
      .returning("date")
      .executeTakeFirst();
    if (row)
      await recordAudit(trx, {
        actorId: adminId,
        action: "calendar_add",
        entity: "calendar_day",
        entityId: day.date,
        data: day,
      });
    return Boolean(row);
  });
  invalidateCalendar(db);
  return added ? null : "exists";
}

export async function removeCalendarDay(db: Kysely<Database>, adminId: string, date: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom("calendar_days").where("date", "=", date).returningAll().executeTakeFirst();
    if (removed) {
      await recordAudit(trx, {
        actorId: adminId,
        action: "calendar_remove",
        entity: "calendar_day",
        entityId: date,
        data: { kind: removed.kind, name: removed.name },
      });
    }
  });
  invalidateCalendar(db);
}

export async function calendarDaysOfYear(db: Kysely<Database>, year: number) {
  return db
    .selectFrom("calendar_days")
    .select(["date", "kind", "name", "confirmed"])
    .where("date", ">=", `${year}-01-01`)
    .where("date", "<=", `${year}-12-31`)
    .orderBy("date")
    .execute();
}
