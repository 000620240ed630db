/**
 * Reminders before the citizen's own deadlines run out: a supplement to send or a fee to pay. Run
 * daily by the job queue's cron (08:00 Vietnam time); at most one reminder per dossier per day.
 */
import { type Kysely, sql } from "kysely";
import { getCalendar } from "../calendar/calendar-service.server.ts";
import type { Database } from "../db.server.ts";
import { notifyApplicant } from "./queue.server.ts";

/** A request waiting this long (office time) for the citizen gets a reminder (portal rule, verify). */
export const REMIND_AFTER_OFFICE_MINUTES = 2 * 8 * 60;

export async function sendReminders(db: Kysely<Database>, now: Date): Promise<number> {
  const calendar = await getCalendar(db);
  const waiting = await db
    .selectFrom("dossiers as d")
    .select(["d.id", "d.code", "d.status", "d.applicant_id", "d.updated_at", "d.paused_at"])
    .where("d.status", "in", ["supplement_requested", "payment_requested"])
    .where("d.applicant_id", "is not", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("notifications as n")
            .select("n.id")
            .whereRef("n.dossier_id", "=", "d.id")
            .where("n.kind", "=", "reminder")
            .where("n.created_at", ">", sql<Date>`${now}::timestamptz - interval '20 hours'`),
        ),
      ),
    )
    .execute();
  let sent = 0;
  for (const d of waiting) {
    const since = d.paused_at ?? d.updated_at;
    if (calendar.officeMinutesBetween(since, now) < REMIND_AFTER_OFFICE_MINUTES || !d.applicant_id) continue;
    const applicantId = d.applicant_id;
    await db.transaction().execute(async (trx) => {
      await notifyApplicant(trx, {
        userId: applicantId,
        dossierId: d.id,
        kind: "reminder",
        data: { code: d.code, status: d.status },
        now: now,
      });
    });
    sent++;
  }
  return sent;
}
