import { type Kysely, sql } from "kysely";

/**
 * What a procedure page tells before filing (issue 15): the steps (trình tự thực hiện) and the conditions
 * (điều kiện), in Vietnamese and English, as data with the procedure:
 * `{ stepsVi: string[], stepsEn: string[], conditionsVi: string[], conditionsEn: string[], sourceVi, sourceEn }`.
 * Null where the catalogue does not say (the page then says so instead of inventing steps).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table procedures add column guide jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table procedures drop column guide`.execute(db);
}
