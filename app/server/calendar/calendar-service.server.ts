/**
 * The working-day calendar as stored in the database (admins edit days off and make-up days), turned
 * into the pure WorkingCalendar. Cached briefly: it changes a few times a year.
 */
import type { Kysely } from "kysely";
import { parseCalendarDays, WorkingCalendar } from "../../domain/calendar/working-calendar.ts";
import type { Database } from "../db.server.ts";

const TTL_MS = 60_000;
const cache = new WeakMap<Kysely<Database>, { loadedAt: number; calendar: WorkingCalendar }>();

export async function getCalendar(db: Kysely<Database>, now = Date.now()): Promise<WorkingCalendar> {
  const hit = cache.get(db);
  if (hit && now - hit.loadedAt < TTL_MS) return hit.calendar;
  const rows = await db.selectFrom("calendar_days").select(["date", "kind", "name"]).orderBy("date").execute();
  const calendar = new WorkingCalendar(parseCalendarDays(rows));
  cache.set(db, { loadedAt: now, calendar });
  return calendar;
}

export function invalidateCalendar(db: Kysely<Database>): void {
  cache.delete(db);
}
