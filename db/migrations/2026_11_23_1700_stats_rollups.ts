import { type Kysely, sql } from "kysely";

/**
 * Statistics rollups (issue 6, docs/decisions/008-stats-rollups.md).
 *
 * 1. Per-dossier facts the metrics need, kept on the dossier row so a dossier's whole contribution to
 *    every metric is a function of that row alone: `digitised`, `e_result`, `paid_online` (maintained by
 *    triggers on attachments / results / payments), `full_procedure` (the procedure's online kind at
 *    filing), `wholly_online` (only set by imports; native dossiers derive it), `rating` / `rated_at`,
 *    `source` ('portal' | 'import').
 * 2. `stats_rollup`: counters per (grain 'd' day | 'm' month, Vietnam date, agency, procedure or '*').
 *    Statement-level triggers with transition tables on `dossiers` and `payments` add the new rows'
 *    contribution and subtract the old rows' in the same transaction as every insert, update, delete,
 *    COPY or import. A test recounts from the rows and compares (stats-rollup.test.ts).
 */

/** Counter columns of stats_rollup, in one place: the trigger SQL and the queries are generated from it. */
export const ROLLUP_COUNTERS = [
  "received",
  "received_online",
  "full_proc_received",
  "wholly_online",
  "digitised",
  "fee_bearing",
  "paid_online_dossiers",
  "ended",
  "resolved_early",
  "resolved_on_time",
  "resolved_late",
  "ended_not_satisfied",
  "returned",
  "returned_electronic",
  "rated_1",
  "rated_2",
  "rated_3",
  "fee_payments",
  "cashless_payments",
  "online_payments",
] as const;

const VN_DAY = (col: string) => `((${col} at time zone 'UTC') + interval '7 hours')::date`;

/** One event row per fact: [condition, day column, counters set to 1 (SQL int expressions)]. */
const DOSSIER_EVENTS: Array<{ when: string; at: string; counters: Record<string, string> }> = [
  {
    when: "x.received_at is not null and x.status <> 'draft'",
    at: "x.received_at",
    counters: {
      received: "1",
      received_online: "(x.channel = 'online')::int",
      full_proc_received: "x.full_procedure::int",
      wholly_online:
        "(x.full_procedure and coalesce(x.wholly_online, x.channel = 'online' and (x.fee_vnd = 0 or x.paid_online) and x.e_result))::int",
      digitised: "x.digitised::int",
      fee_bearing: "(x.fee_vnd > 0)::int",
      paid_online_dossiers: "(x.fee_vnd > 0 and x.paid_online)::int",
    },
  },
  {
    when: "x.ended_at is not null and x.received_at is not null and x.status <> 'draft'",
    at: "x.ended_at",
    counters: {
      ended: "1",
      resolved_early: "(x.outcome = 'early')::int",
      resolved_on_time: "(x.outcome = 'on_time')::int",
      resolved_late: "(x.outcome = 'late')::int",
      ended_not_satisfied: "(x.outcome is not null and x.rating = 1)::int",
    },
  },
  {
    when: "x.returned_at is not null and x.status <> 'draft'",
    at: "x.returned_at",
    counters: { returned: "1", returned_electronic: "x.e_result::int" },
  },
  {
    when: "x.rated_at is not null and x.rating is not null and x.status <> 'draft'",
    at: "x.rated_at",
    counters: { rated_1: "(x.rating = 1)::int", rated_2: "(x.rating = 2)::int", rated_3: "(x.rating = 3)::int" },
  },
];

const PAYMENT_EVENT = {
  when: "x.status = 'paid' and x.paid_at is not null",
  at: "x.paid_at",
  counters: {
    fee_payments: "1",
    cashless_payments: "(x.method in ('gateway', 'transfer'))::int",
    online_payments: "(x.method = 'gateway')::int",
  },
};

/**
 * The statement that applies a signed set of rows to the rollup. `source` selects `s` (+1 / -1) and the
 * row's columns as `x`.
 */
function applySql(
  source: string,
  events: typeof DOSSIER_EVENTS,
  more: Array<[string, typeof DOSSIER_EVENTS]> = [],
  ordered = true,
): string {
  const cols = ROLLUP_COUNTERS.join(", ");
  // 1. Each source row becomes its events (one pass over the rows), summed per day x agency x procedure.
  const fine = [[source, events] as const, ...more].map(([src, evs]) => {
    const values = evs
      .map(
        (e) =>
          `(case when ${e.when} then ${VN_DAY(e.at)} end, ${ROLLUP_COUNTERS.map((c) => `coalesce(${e.counters[c] ?? "0"}, 0)`).join(", ")})`,
      )
      .join(",\n        ");
    return `select x.s, ev.day, x.agency_code, x.procedure_code, ${ROLLUP_COUNTERS.map((c) => `ev.${c}`).join(", ")}
      from (${src}) x
      cross join lateral (values ${values}) as ev(day, ${cols})
      where ev.day is not null`;
  });
  const sum = (prefix: string) => ROLLUP_COUNTERS.map((c) => `sum(${prefix}${c})::int as ${c}`).join(", ");
  const nonZero = ROLLUP_COUNTERS.map((c) => `t.${c} <> 0`).join(" or ");
  const updates = ROLLUP_COUNTERS.map((c) => `${c} = stats_rollup.${c} + excluded.${c}`).join(", ");
  // 2. The fine sums are the day rows per procedure; the day and month rows for all procedures ('*') and
  //    per field ('@' || field code) add them up.
  return `
    with fine as materialized (
      select e.day, e.agency_code, e.procedure_code, ${ROLLUP_COUNTERS.map((c) => `sum(e.s * e.${c})::int as ${c}`).join(", ")}
      from (${fine.join(" union all ")}) e
      group by e.day, e.agency_code, e.procedure_code
    )
    insert into stats_rollup (grain, period, agency_code, procedure_code, ${cols})
    select t.* from (
      select 'd' as grain, day as period, agency_code, procedure_code, ${cols} from fine
      union all
      select 'd', day, agency_code, '*', ${sum("")} from fine group by day, agency_code
      union all
      select 'm', date_trunc('month', day)::date, agency_code, procedure_code, ${sum("")} from fine
        group by date_trunc('month', day)::date, agency_code, procedure_code
      union all
      select 'm', date_trunc('month', day)::date, agency_code, '*', ${sum("")} from fine
        group by date_trunc('month', day)::date, agency_code
      union all
      select 'd', f.day, f.agency_code, '@' || p.field_code, ${sum("f.")} from fine f
        join procedures p on p.code = f.procedure_code group by f.day, f.agency_code, p.field_code
      union all
      select 'm', date_trunc('month', f.day)::date, f.agency_code, '@' || p.field_code, ${sum("f.")} from fine f
        join procedures p on p.code = f.procedure_code
        group by date_trunc('month', f.day)::date, f.agency_code, p.field_code
    ) t
    where ${nonZero}
    ${ordered ? "order by t.grain, t.procedure_code, t.period, t.agency_code" : ""}
    on conflict (grain, procedure_code, period, agency_code) do update set ${updates}`;
}

const DOSSIER_SOURCES = {
  insert: "select 1 as s, n.* from stats_new n",
  update: "select 1 as s, n.* from stats_new n union all select -1 as s, o.* from stats_old o",
  delete: "select -1 as s, o.* from stats_old o",
};

/**
 * Rebuilds the whole rollup from the rows in one aggregate (for bulk loads that ran with the rollup
 * triggers disabled, in the same transaction; see app/server/stats/stats-rollup.server.ts).
 */
export function rebuildRollupSql(): string[] {
  return [
    "lock table stats_rollup in exclusive mode",
    "truncate stats_rollup",
    "set local work_mem = '256MB'",
    applySql(
      "select 1 as s, d.* from dossiers d",
      DOSSIER_EVENTS,
      [["select 1 as s, p.* from payments p", [PAYMENT_EVENT] as typeof DOSSIER_EVENTS]],
      false,
    ),
  ];
}

const TRANSITION_TABLES = {
  insert: "new table as stats_new",
  update: "old table as stats_old new table as stats_new",
  delete: "old table as stats_old",
};

/** Statement triggers fire for zero rows too; returning early stops trigger chains that changed nothing. */
const GUARD = {
  insert: "if not exists (select from stats_new) then return null; end if;",
  update: "if not exists (select from stats_new) then return null; end if;",
  delete: "if not exists (select from stats_old) then return null; end if;",
};

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table dossiers
      add column digitised boolean not null default false,
      add column e_result boolean not null default false,
      add column paid_online boolean not null default false,
      add column full_procedure boolean not null default false,
      add column wholly_online boolean,
      add column rating smallint check (rating between 1 and 3),
      add column rated_at timestamptz,
      add column source text not null default 'portal' check (source in ('portal', 'import'))
  `.execute(db);
  await sql`alter table payments add column agency_code text, add column procedure_code text`.execute(db);

  // Backfill the facts from the rows that exist.
  await sql`update dossiers d set
      digitised = exists (select 1 from dossier_attachments f where f.dossier_id = d.id),
      e_result = exists (select 1 from dossier_results r where r.dossier_id = d.id),
      paid_online = exists (select 1 from payments p where p.dossier_id = d.id and p.status = 'paid' and p.method = 'gateway'),
      full_procedure = coalesce((select p.online_kind = 'full' from procedures p where p.code = d.procedure_code), false)`.execute(
    db,
  );
  await sql`update payments p set agency_code = d.agency_code, procedure_code = d.procedure_code
            from dossiers d where d.id = p.dossier_id`.execute(db);
  // Left nullable for inserts; the before-insert trigger below always fills them from the dossier.

  await sql
    .raw(`
    create table stats_rollup (
      grain char(1) not null check (grain in ('d', 'm')),
      period date not null,
      agency_code text not null,
      procedure_code text not null,
      ${ROLLUP_COUNTERS.map((c) => `${c} integer not null default 0`).join(",\n      ")},
      primary key (grain, procedure_code, period, agency_code)
    )`)
    .execute(db);
  // Distinct procedures with an online payment in a period (indicator 3.5b) without reading every row.
  await sql`create index stats_rollup_online_payments_idx on stats_rollup (grain, procedure_code, period)
            include (agency_code) where online_payments > 0 and procedure_code <> '*'`.execute(db);

  // Facts kept in step with the child tables (statement-level, so a bulk insert is one update).
  await sql`
    create function stats_snapshot_procedure() returns trigger language plpgsql as $$
    begin
      select p.online_kind = 'full' into new.full_procedure from procedures p where p.code = new.procedure_code;
      new.full_procedure := coalesce(new.full_procedure, false);
      return new;
    end $$`.execute(db);
  await sql`create trigger dossiers_snapshot_procedure before insert or update of procedure_code on dossiers
            for each row execute function stats_snapshot_procedure()`.execute(db);

  await sql`
    create function stats_mark_digitised() returns trigger language plpgsql as $$
    begin
      update dossiers d set digitised = true from (select distinct dossier_id from stats_new) n
       where d.id = n.dossier_id and not d.digitised;
      return null;
    end $$`.execute(db);
  await sql`create trigger attachments_mark_digitised after insert on dossier_attachments
            referencing new table as stats_new for each statement execute function stats_mark_digitised()`.execute(db);

  await sql`
    create function stats_mark_e_result() returns trigger language plpgsql as $$
    begin
      update dossiers d set e_result = true from (select distinct dossier_id from stats_new) n
       where d.id = n.dossier_id and not d.e_result;
      return null;
    end $$`.execute(db);
  await sql`create trigger results_mark_e_result after insert on dossier_results
            referencing new table as stats_new for each statement execute function stats_mark_e_result()`.execute(db);

  await sql`
    create function stats_payment_defaults() returns trigger language plpgsql as $$
    begin
      if new.agency_code is null or new.procedure_code is null then
        select d.agency_code, d.procedure_code into new.agency_code, new.procedure_code
          from dossiers d where d.id = new.dossier_id;
      end if;
      return new;
    end $$`.execute(db);
  await sql`create trigger payments_defaults before insert on payments
            for each row execute function stats_payment_defaults()`.execute(db);

  const paymentBody = (source: string, touched: string, guard: string) => `
    begin
      ${guard}
      ${applySql(source, [PAYMENT_EVENT] as typeof DOSSIER_EVENTS)};
      update dossiers d set paid_online = exists (
          select 1 from payments p where p.dossier_id = d.id and p.status = 'paid' and p.method = 'gateway')
        from (select distinct dossier_id from (${touched}) t) t
       where d.id = t.dossier_id
         and d.paid_online is distinct from exists (
          select 1 from payments p where p.dossier_id = d.id and p.status = 'paid' and p.method = 'gateway');
      return null;
    end`;
  for (const [op, source, touched] of [
    ["insert", "select 1 as s, n.* from stats_new n", "select dossier_id from stats_new"],
    [
      "update",
      "select 1 as s, n.* from stats_new n union all select -1 as s, o.* from stats_old o",
      "select dossier_id from stats_new union all select dossier_id from stats_old",
    ],
    ["delete", "select -1 as s, o.* from stats_old o", "select dossier_id from stats_old"],
  ] as const) {
    await sql
      .raw(
        `create function stats_payments_${op}() returns trigger language plpgsql as $$ ${paymentBody(source, touched, GUARD[op])} $$`,
      )
      .execute(db);
    const refs = TRANSITION_TABLES[op];
    await sql
      .raw(
        `create trigger payments_stats_${op} after ${op} on payments referencing ${refs}
         for each statement execute function stats_payments_${op}()`,
      )
      .execute(db);
  }

  for (const op of ["insert", "update", "delete"] as const) {
    // A dossier moved to another agency (transfer) takes its payments along.
    const follow =
      op === "update"
        ? `update payments p set agency_code = n.agency_code, procedure_code = n.procedure_code
             from stats_new n where p.dossier_id = n.id
              and (p.agency_code, p.procedure_code) is distinct from (n.agency_code, n.procedure_code);`
        : "";
    await sql
      .raw(
        `create function stats_dossiers_${op}() returns trigger language plpgsql as $$
         begin ${GUARD[op]} ${applySql(DOSSIER_SOURCES[op], DOSSIER_EVENTS)}; ${follow} return null; end $$`,
      )
      .execute(db);
    const refs = TRANSITION_TABLES[op];
    await sql
      .raw(
        `create trigger dossiers_stats_${op} after ${op} on dossiers referencing ${refs}
         for each statement execute function stats_dossiers_${op}()`,
      )
      .execute(db);
  }

  // A procedure moved to another field takes its rollup counts from the old field's rows to the new one's.
  const signedMove = (sign: string, field: string) =>
    `select r.grain, r.period, r.agency_code, '@' || m.${field} as key, ${ROLLUP_COUNTERS.map((c) => `${sign} * r.${c} as ${c}`).join(", ")}
       from stats_rollup r join moved m on m.code = r.procedure_code`;
  await sql
    .raw(
      `create function stats_procedures_field_moved() returns trigger language plpgsql as $$
       begin
         with moved as (
           select n.code, o.field_code as old_field, n.field_code as new_field
           from stats_new n join stats_old o on o.code = n.code
           where o.field_code is distinct from n.field_code
         )
         insert into stats_rollup (grain, period, agency_code, procedure_code, ${ROLLUP_COUNTERS.join(", ")})
         select grain, period, agency_code, key, ${ROLLUP_COUNTERS.map((c) => `sum(${c})::int`).join(", ")}
         from (${signedMove("1", "new_field")} union all ${signedMove("-1", "old_field")}) t
         group by grain, period, agency_code, key
         order by 1, 4, 2, 3
         on conflict (grain, procedure_code, period, agency_code) do update set
           ${ROLLUP_COUNTERS.map((c) => `${c} = stats_rollup.${c} + excluded.${c}`).join(", ")};
         return null;
       end $$`,
    )
    .execute(db);
  await sql`create trigger procedures_stats_field after update on procedures
            referencing old table as stats_old new table as stats_new
            for each statement execute function stats_procedures_field_moved()`.execute(db);

  // The rollup of what already exists, through the same statements.
  await sql.raw(`${applySql("select 1 as s, d.* from dossiers d", DOSSIER_EVENTS)}`).execute(db);
  await sql
    .raw(`${applySql("select 1 as s, p.* from payments p", [PAYMENT_EVENT] as typeof DOSSIER_EVENTS)}`)
    .execute(db);

  // Dossiers open past their due time (overdueOpen at any cutoff) are few: late ones and open ones.
  // Dossiers open past their due time at a cutoff are few, from two small sets: still open (by due time),
  // and ended late (by end time). Covering, so the counts are index-only scans.
  await sql`create index dossiers_open_due_idx on dossiers (due_at)
            include (received_at, agency_code, procedure_code) where ended_at is null and received_at is not null`.execute(
    db,
  );
  await sql`create index dossiers_ended_late_idx on dossiers (ended_at)
            include (due_at, received_at, agency_code, procedure_code) where ended_at > due_at`.execute(db);
  await sql`create index dossiers_received_at_idx on dossiers (received_at)`.execute(db);
  await sql`create index dossiers_ended_at_idx on dossiers (ended_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const op of ["insert", "update", "delete"]) {
    await sql.raw(`drop trigger if exists dossiers_stats_${op} on dossiers`).execute(db);
    await sql.raw(`drop function if exists stats_dossiers_${op}()`).execute(db);
    await sql.raw(`drop trigger if exists payments_stats_${op} on payments`).execute(db);
    await sql.raw(`drop function if exists stats_payments_${op}()`).execute(db);
  }
  await sql`drop trigger if exists procedures_stats_field on procedures`.execute(db);
  await sql`drop function if exists stats_procedures_field_moved()`.execute(db);
  await sql`drop trigger if exists payments_defaults on payments`.execute(db);
  await sql`drop function if exists stats_payment_defaults()`.execute(db);
  await sql`drop trigger if exists results_mark_e_result on dossier_results`.execute(db);
  await sql`drop function if exists stats_mark_e_result()`.execute(db);
  await sql`drop trigger if exists attachments_mark_digitised on dossier_attachments`.execute(db);
  await sql`drop function if exists stats_mark_digitised()`.execute(db);
  await sql`drop trigger if exists dossiers_snapshot_procedure on dossiers`.execute(db);
  await sql`drop function if exists stats_snapshot_procedure()`.execute(db);
  await sql`drop table if exists stats_rollup`.execute(db);
  await sql`drop index if exists dossiers_open_due_idx`.execute(db);
  await sql`drop index if exists dossiers_ended_late_idx`.execute(db);
  await sql`drop index if exists dossiers_received_at_idx`.execute(db);
  await sql`drop index if exists dossiers_ended_at_idx`.execute(db);
  await sql`alter table payments drop column if exists agency_code, drop column if exists procedure_code`.execute(db);
  await sql`alter table dossiers drop column if exists digitised, drop column if exists e_result,
            drop column if exists paid_online, drop column if exists full_procedure, drop column if exists wholly_online,
            drop column if exists rating, drop column if exists rated_at, drop column if exists source`.execute(db);
}
