import type { Kysely } from "kysely";
import calendar from "../seed/vn-calendar.json";

/**
 * Vietnam's days off and make-up working days 2023+, as known when this migration was written.
 * Admins edit later years in the portal; this migration never overwrites their changes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const rows = calendar.days.map((d) => ({
    date: d.date,
    kind: d.kind,
    name: d.name ?? "",
    confirmed: Boolean(d.confirmed),
  }));
  if (rows.length > 0) {
    await db
      .insertInto("calendar_days")
      .values(rows)
      .onConflict((oc) => oc.column("date").doNothing())
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("calendar_days").execute();
}
