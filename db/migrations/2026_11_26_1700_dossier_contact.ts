import { type Kysely, sql } from "kysely";

/**
 * Contact details and how the applicant wants the result (issue 15): the phone (already
 * `applicant_phone`), a contact address, the delivery method and, for delivery by post, the postal
 * address. Drafts keep what was typed (so the text columns have no format check); the method is one
 * of three values or not chosen yet. Completeness (a valid mobile number, a postal address when "by
 * post") is checked by the application at "continue" and submission.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers
    add column contact_address text,
    add column delivery_method text
      constraint dossiers_delivery_method_known check (delivery_method in ('online', 'post', 'counter')),
    add column postal_address text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table dossiers drop column contact_address, drop column delivery_method, drop column postal_address`.execute(
    db,
  );
}
