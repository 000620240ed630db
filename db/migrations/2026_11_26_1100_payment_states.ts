import { type Kysely, sql } from "kysely";

/**
 * Payment states (issue 16, docs/decisions/011-payment-states.md).
 *
 * - `payments.status` gains `cancelled`, `expired`, `needs_review` and `refunding` (money received that is
 *   going back), next to `pending`, `paid`, `failed` and `refunded`.
 * - A refund now lives on the payment it gives back (refund reason, request time, refund time, refund receipt
 *   HT-…, the gateway's refund transaction) instead of a second `RF<ref>` row: existing refund rows are folded
 *   into their payment and removed, so one row is one order and one receipt (and at most one refund receipt).
 * - `needs_review`: why, since when, and how a reviewer resolved it (who, when, which resolution, note).
 * - `recheck_after`: an order closed while the gateway could still take its money (cancelled by a counter
 *   payment or a reviewer) is asked about once more after its gateway expiry, in case its IPN was lost.
 * - Receipt numbers: one series per receipt kind (BL receipts, HT refund receipts) and per Vietnam calendar
 *   year, in `receipt_counters` (continuing from the numbers already issued that year).
 * - Dossiers: a waived fee (when, by whom, why). Procedures: `fee_variable` (the fee is only known once
 *   the dossier has been examined, so it cannot be paid at filing).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table payments drop constraint if exists payments_status_check`.execute(db);
  await sql`alter table payments add constraint payments_status_check check (status in
    ('pending', 'paid', 'failed', 'cancelled', 'expired', 'needs_review', 'refunding', 'refunded'))`.execute(db);
  await sql`alter table payments
    add column refund_reason text
      check (refund_reason in ('duplicate', 'fee_waived', 'dossier_closed', 'order_closed', 'review')),
    add column refund_requested_at timestamptz,
    add column refunded_at timestamptz,
    add column refund_receipt_no text unique,
    add column refund_transaction_no text,
    add column closed_at timestamptz,
    add column recheck_after timestamptz,
    add column review_reason text,
    add column review_since timestamptz,
    add column reviewed_at timestamptz,
    add column reviewed_by uuid references users(id),
    add column review_resolution text check (review_resolution in ('mark_paid', 'refund', 'cancel')),
    add column review_note text`.execute(db);

  // Fold the old refund rows (RF<ref>, status refunded) into the payment they refunded.
  await sql`update payments p
               set status = 'refunded',
                   refund_reason = 'dossier_closed',
                   refund_requested_at = r.created_at,
                   refunded_at = coalesce(r.paid_at, r.created_at),
                   refund_receipt_no = r.receipt_no,
                   refund_transaction_no = r.transaction_no,
                   updated_at = r.updated_at
              from payments r
             where r.order_ref = 'RF' || p.order_ref and r.status = 'refunded' and p.status = 'paid'`.execute(db);
  await sql`delete from payments r
             where r.status = 'refunded' and r.order_ref like 'RF%'
               and exists (select 1 from payments p where 'RF' || p.order_ref = r.order_ref)`.execute(db);

  // Money the portal took has its receipt. Payments imported from another one-stop system (ADR 006) were
  // receipted there, under numbers the import does not carry.
  await sql`alter table payments add constraint payments_receipt_when_paid
    check (status not in ('paid', 'refunding', 'refunded') or receipt_no is not null or provider = 'import')`.execute(
    db,
  );
  await sql`alter table payments add constraint payments_review_reason
    check (status <> 'needs_review' or review_reason is not null)`.execute(db);
  // The reconciliation and review queues.
  await sql`create index payments_open_idx on payments (status, created_at)
    where status in ('pending', 'refunding', 'needs_review')`.execute(db);
  await sql`create index payments_recheck_idx on payments (recheck_after) where recheck_after is not null`.execute(db);

  await sql`create table receipt_counters (
    series text not null check (series in ('BL', 'HT')),
    year int not null check (year between 2000 and 2200),
    last_no int not null check (last_no >= 0),
    primary key (series, year))`.execute(db);
  await sql`insert into receipt_counters (series, year, last_no)
    select m[1], m[2]::int, max(m[3]::int)
      from (select regexp_match(receipt_no, '^(BL|HT)-(\\d{4})-(\\d{1,9})$') as m from payments
            union all
            select regexp_match(refund_receipt_no, '^(BL|HT)-(\\d{4})-(\\d{1,9})$') from payments) x
     where m is not null
     group by m[1], m[2]::int`.execute(db);

  await sql`alter table dossiers
    add column fee_waived_at timestamptz,
    add column fee_waived_by uuid references users(id),
    add column fee_waive_reason text,
    add constraint dossiers_fee_waive_reason check (fee_waived_at is null or fee_waive_reason is not null)`.execute(db);
  await sql`alter table procedures add column fee_variable boolean not null default false`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table procedures drop column if exists fee_variable`.execute(db);
  await sql`alter table dossiers drop constraint if exists dossiers_fee_waive_reason,
    drop column if exists fee_waived_at, drop column if exists fee_waived_by,
    drop column if exists fee_waive_reason`.execute(db);
  await sql`drop table if exists receipt_counters`.execute(db);
  await sql`drop index if exists payments_open_idx`.execute(db);
  await sql`drop index if exists payments_recheck_idx`.execute(db);
  await sql`alter table payments drop constraint if exists payments_review_reason,
    drop constraint if exists payments_receipt_when_paid`.execute(db);
  // Refunds go back to their own rows; states the old model did not know are folded into the nearest one.
  await sql`insert into payments (dossier_id, order_ref, amount_vnd, method, status, provider, transaction_no,
              paid_at, receipt_no, payer_name, created_at, updated_at)
            select dossier_id, 'RF' || order_ref, amount_vnd, method, 'refunded', provider, refund_transaction_no,
                   refunded_at, refund_receipt_no, payer_name, coalesce(refunded_at, updated_at), updated_at
              from payments where status = 'refunded' and refund_receipt_no is not null`.execute(db);
  await sql`update payments set status = 'paid' where status in ('refunded', 'refunding')`.execute(db);
  await sql`update payments set status = 'failed' where status in ('cancelled', 'expired', 'needs_review')`.execute(db);
  await sql`alter table payments drop column if exists refund_reason, drop column if exists refund_requested_at,
    drop column if exists refunded_at, drop column if exists refund_receipt_no,
    drop column if exists refund_transaction_no, drop column if exists closed_at, drop column if exists recheck_after,
    drop column if exists review_reason, drop column if exists review_since, drop column if exists reviewed_at,
    drop column if exists reviewed_by, drop column if exists review_resolution, drop column if exists review_note`.execute(
    db,
  );
  await sql`alter table payments drop constraint if exists payments_status_check`.execute(db);
  await sql`alter table payments add constraint payments_status_check
    check (status in ('pending', 'paid', 'failed', 'refunded'))`.execute(db);
}
