/**
 * The statistics counters as SQL, in one place (docs/domain.md#metrics): the rollup rebuild
 * (stats-rollup.server.ts), the recount from the rows (stats-queries.server.ts) and the drill-down lists
 * (drilldown.server.ts) use these fragments.
 *
 * The rollup triggers in the database were created by the migration 2026_11_23_1700_stats_rollups, which
 * keeps its own frozen copy of this SQL (a migration that has run is history and never imports runtime
 * code). `stats-rollup.test.ts` checks that the rebuild below and the migration's still produce the same
 * statements; a change to a counter needs a new migration that replaces the trigger functions.
 */
import { VN_OFFSET_MINUTES } from "#app/domain/calendar/working-calendar.ts";

/**
 * A dossier handled wholly online (docs/domain.md#metrics): filed online, fee paid online or no fee, and the
 * result returned electronically; an imported dossier may state it (`wholly_online` not null). `a` is the
 * alias of the dossiers row. The "full procedure" condition is separate: the metric counts both.
 */
export function whollyOnlineSql(a: string): string {
  return `coalesce(${a}.wholly_online, ${a}.channel = 'online' and (${a}.fee_vnd = 0 or ${a}.paid_online) and ${a}.e_result)`;
}

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

/** The Vietnam date (UTC+7, no daylight saving: docs/domain.md#time-zone) of a timestamptz column. */
const VN_DAY = (col: string) => `((${col} at time zone 'UTC') + interval '${VN_OFFSET_MINUTES / 60} hours')::date`;

/** One event row per fact: [condition, day column, counters set to 1 (SQL int expressions)]. */
const DOSSIER_EVENTS: Array<{ when: string; at: string; counters: Record<string, string> }> = [
  {
    when: "x.received_at is not null and x.status <> 'draft'",
    at: "x.received_at",
    counters: {
      received: "1",
      received_online: "(x.channel = 'online')::int",
      full_proc_received: "x.full_procedure::int",
      wholly_online: `(x.full_procedure and ${whollyOnlineSql("x")})::int`,
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

/**
 * Rebuilds the whole rollup from the rows in one aggregate (for bulk loads that ran with the rollup
 * triggers disabled, in the same transaction; see stats-rollup.server.ts).
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
