/**
 * Writing the generated year: the catalogue by upsert, the dossiers (and their payments, and optionally
 * their events) by COPY in batches, each batch one transaction. The statement-level triggers of
 * 2026_11_23_1700_stats_rollups roll every COPY up into stats_rollup in the same transaction; nothing here
 * writes the rollup. Generation of the next batch overlaps with PostgreSQL ingesting the previous one.
 */
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { MAINTENANCE_SETTING } from "../../../app/server/audit-chain.server.ts";
import type { Database } from "../../../app/server/db.server.ts";
import { rebuildRollupSql } from "../../../app/server/stats/rollup-sql.server.ts";
import { REFORM_2025 } from "../units-2025.ts";
import type { YearAgency, YearCatalogue } from "./catalogue.ts";
import type { GeneratedDossier, Period } from "./generate.ts";

/** The marker in `form_data` of every generated dossier: `{"generated": "<scale>"}`. */
export const GENERATED_KEY = "generated";

function parentsFirst(list: YearAgency[]): YearAgency[] {
  const byCode = new Map(list.map((a) => [a.code, a]));
  const out: YearAgency[] = [];
  const done = new Set<string>();
  const visit = (a: YearAgency) => {
    if (done.has(a.code)) return;
    const parent = a.parentCode ? byCode.get(a.parentCode) : undefined;
    if (parent) visit(parent);
    done.add(a.code);
    out.push(a);
  };
  list.forEach(visit);
  return out;
}

/**
 * Agencies, fields and procedures of the catalogue, idempotently. `overwrite`: update rows that exist
 * (the generated Quảng Ninh catalogue is defined here); otherwise existing rows are left as they are (the
 * demo catalogue an admin may have edited).
 */
export async function upsertCatalogue(db: Kysely<Database>, cat: YearCatalogue, overwrite: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const a of parentsFirst(cat.agencies)) {
      // Validity and kind where the catalogue knows them (ADR 016); a unit without them keeps what it has.
      const dated = a.validFrom !== undefined || a.validTo !== undefined;
      await trx
        .insertInto("agencies")
        .values({
          code: a.code,
          name_vi: a.nameVi,
          name_en: a.nameEn,
          level: a.level,
          parent_code: a.parentCode,
          valid_from: a.validFrom ?? null,
          valid_to: a.validTo ?? null,
          kind: a.kind ?? null,
        })
        .onConflict((oc) =>
          overwrite
            ? oc.column("code").doUpdateSet((eb) => ({
                name_vi: eb.ref("excluded.name_vi"),
                name_en: eb.ref("excluded.name_en"),
                level: eb.ref("excluded.level"),
                parent_code: eb.ref("excluded.parent_code"),
                ...(dated ? { valid_from: eb.ref("excluded.valid_from"), valid_to: eb.ref("excluded.valid_to") } : {}),
                ...(a.kind ? { kind: eb.ref("excluded.kind") } : {}),
              }))
            : oc.column("code").doNothing(),
        )
        .execute();
    }
    // A post-reform catalogue brings the reform's successor links and the reorganisation itself (as the demo
    // seed does); nothing of the demo's is changed. Its units already have their dates, so applying the
    // reorganisation later (an admin, units:reorganise) finds no dossier, procedure or account at an old unit.
    if (cat.history) {
      await trx
        .insertInto("reorganisations")
        .values({
          code: REFORM_2025.code,
          effective_on: REFORM_2025.effectiveOn,
          name_vi: REFORM_2025.nameVi,
          name_en: REFORM_2025.nameEn,
          legal_basis: REFORM_2025.legalBasis,
        })
        .onConflict((oc) => oc.column("code").doNothing())
        .execute();
      const links = cat.history.successors.map((l) => ({
        predecessor_code: l.predecessor,
        successor_code: l.successor,
        effective_on: REFORM_2025.effectiveOn,
        whole: l.whole,
        primary: l.primary,
      }));
      for (let i = 0; i < links.length; i += 500)
        await trx
          .insertInto("agency_successors")
          .values(links.slice(i, i + 500))
          .onConflict((oc) => oc.columns(["predecessor_code", "successor_code"]).doNothing())
          .execute();
    }
    await trx
      .insertInto("fields")
      .values(cat.fields.map((f) => ({ code: f.code, name_vi: f.nameVi, name_en: f.nameEn })))
      .onConflict((oc) =>
        overwrite
          ? oc
              .column("code")
              .doUpdateSet((eb) => ({ name_vi: eb.ref("excluded.name_vi"), name_en: eb.ref("excluded.name_en") }))
          : oc.column("code").doNothing(),
      )
      .execute();
    for (let i = 0; i < cat.procedures.length; i += 500) {
      const rows = cat.procedures.slice(i, i + 500).map((p) => ({
        code: p.code,
        name_vi: p.nameVi,
        name_en: p.nameEn,
        field_code: p.fieldCode,
        level: p.level,
        agency_code: p.agencyCode,
        processing_amount: p.amount,
        processing_unit: p.unit,
        fee_vnd: p.feeVnd,
        fee_payer_vi: p.demo?.feePayerVi ?? (p.feeVnd > 0 ? "Người yêu cầu" : ""),
        fee_payer_en: p.demo?.feePayerEn ?? (p.feeVnd > 0 ? "The applicant" : ""),
        online_kind: p.onlineKind,
        documents: JSON.stringify(p.demo?.documents ?? []),
        legal_basis_vi: p.demo?.legalBasisVi ?? p.legalBasisVi ?? "",
        legal_basis_en: p.demo?.legalBasisEn ?? "",
        result_vi: p.demo?.resultVi ?? p.resultVi ?? "",
        result_en: p.demo?.resultEn ?? "",
        form: JSON.stringify(p.demo?.form ?? []),
        active: true,
      }));
      await trx
        .insertInto("procedures")
        .values(rows)
        .onConflict((oc) =>
          overwrite
            ? oc.column("code").doUpdateSet((eb) => ({
                name_vi: eb.ref("excluded.name_vi"),
                name_en: eb.ref("excluded.name_en"),
                field_code: eb.ref("excluded.field_code"),
                level: eb.ref("excluded.level"),
                agency_code: eb.ref("excluded.agency_code"),
                processing_amount: eb.ref("excluded.processing_amount"),
                processing_unit: eb.ref("excluded.processing_unit"),
                fee_vnd: eb.ref("excluded.fee_vnd"),
                fee_payer_vi: eb.ref("excluded.fee_payer_vi"),
                fee_payer_en: eb.ref("excluded.fee_payer_en"),
                online_kind: eb.ref("excluded.online_kind"),
                documents: eb.ref("excluded.documents"),
                legal_basis_vi: eb.ref("excluded.legal_basis_vi"),
                legal_basis_en: eb.ref("excluded.legal_basis_en"),
                result_vi: eb.ref("excluded.result_vi"),
                result_en: eb.ref("excluded.result_en"),
                form: eb.ref("excluded.form"),
                active: eb.ref("excluded.active"),
              }))
            : oc.column("code").doNothing(),
        )
        .execute();
    }
  });
}

/** Bounds of a period as instants (Vietnam dates, [from 00:00, to+1 00:00)). */
export function periodInstants(period: Period): { start: Date; end: Date } {
  return {
    start: new Date(`${period.from}T00:00:00+07:00`),
    end: new Date(Date.parse(`${period.to}T00:00:00+07:00`) + 86_400_000),
  };
}

/** How many generated dossiers were filed in the period already. */
export async function countGenerated(db: Kysely<Database>, period: Period): Promise<number> {
  const { start, end } = periodInstants(period);
  const row = await sql<{ n: string }>`
    select count(*) as n from dossiers
    where form_data ? ${GENERATED_KEY} and submitted_at >= ${start} and submitted_at < ${end}`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

/**
 * Deletes the generated dossiers filed in the period, by the project's bulk path: in one transaction the
 * delete-path rollup triggers are off, the children go first in single statements (a cascade would run
 * one statement per dossier), then the rollup is rebuilt from the remaining rows by the migration's own
 * statements (rebuildRollupSql). The period's code sequences are reset to the highest code still present,
 * so a re-run issues the same codes. Finally the tables are vacuumed, so the next load reuses the space.
 * The generated dossiers' history (events, views) is deleted under the maintenance switch, with the heads
 * of its chains, so audit:verify still finds every remaining chain complete. Needs the owner role.
 */
export async function deleteGenerated(db: Kysely<Database>, period: Period): Promise<number> {
  const { start, end } = periodInstants(period);
  const deleted = await db.transaction().execute(async (trx) => {
    const target = sql`select id from dossiers where form_data ? ${GENERATED_KEY} and submitted_at >= ${start} and submitted_at < ${end}`;
    await sql`create temporary table generated_ids on commit drop as ${target}`.execute(trx);
    await sql`alter table generated_ids add primary key (id)`.execute(trx);
    for (const [table, trigger] of DELETE_OFF)
      await sql.raw(`alter table ${table} disable trigger ${trigger}`).execute(trx);
    // History is append-only (migration 2026_11_26_1000_audit_chain): this is maintenance.
    await sql`select set_config(${MAINTENANCE_SETTING}, 'on', true)`.execute(trx);
    for (const t of ["payments", "dossier_events", "dossier_attachments", "dossier_results", "dossier_views"]) {
      await sql`delete from ${sql.table(t)} c using generated_ids g where c.dossier_id = g.id`.execute(trx);
    }
    await sql`delete from audit_chain_heads where chain in (
        select 'dossier_events:' || id from generated_ids union all select 'dossier_views:' || id from generated_ids)`.execute(
      trx,
    );
    await sql`select set_config(${MAINTENANCE_SETTING}, 'off', true)`.execute(trx);
    const result = await sql`delete from dossiers d using generated_ids g where d.id = g.id`.execute(trx);
    for (const [table, trigger] of DELETE_OFF)
      await sql.raw(`alter table ${table} enable trigger ${trigger}`).execute(trx);
    for (const statement of rebuildRollupSql()) await sql.raw(statement).execute(trx);
    await sql`delete from dossier_code_sequences where day between ${period.from}::date and ${period.to}::date`.execute(
      trx,
    );
    await sql`
      insert into dossier_code_sequences (agency_code, day, last_value)
      select split_part(code, '-', 1), to_date(split_part(code, '-', 2), 'YYMMDD'), max(split_part(code, '-', 3)::int)
      from dossiers
      where code ~ '^[0-9.A-Z]+-[0-9]{6}-[0-9]+$'
        and to_date(split_part(code, '-', 2), 'YYMMDD') between ${period.from}::date and ${period.to}::date
      group by 1, 2`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
  await sql`vacuum (analyze) dossiers, payments, dossier_events, stats_rollup`.execute(db);
  return deleted;
}

/** Delete-path triggers off while deleting a generated period (the rollup is rebuilt afterwards). */
const DELETE_OFF: Array<[string, string]> = [
  ["payments", "payments_stats_delete"],
  ["dossiers", "dossiers_stats_delete"],
];

export async function existingSequences(db: Kysely<Database>, period: Period): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("dossier_code_sequences")
    .select(["agency_code", "day", "last_value"])
    .where("day", ">=", period.from)
    .where("day", "<=", period.to)
    .execute();
  return new Map(rows.map((r) => [`${r.agency_code}|${String(r.day)}`, r.last_value]));
}

// --- COPY text format -------------------------------------------------------------------------------

const SPECIAL = /[\\\t\n\r]/;
function text(v: string | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  return SPECIAL.test(v)
    ? v.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : v;
}
const p2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/**
 * An instant as a PostgreSQL timestamptz literal in UTC (`2023-01-02 10:17:36.789+00`). Written by hand
 * because Date#toISOString was a tenth of this process's time at 15 timestamps per dossier.
 */
export function pgTimestamp(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rem = ms - days * 86_400_000;
  // Civil date from a day number (H. Hinnant's algorithm).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(rem / 3_600_000);
  rem -= h * 3_600_000;
  const mi = Math.floor(rem / 60_000);
  rem -= mi * 60_000;
  const sec = Math.floor(rem / 1000);
  const milli = Math.round(rem - sec * 1000);
  const frac = milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : `${milli}`;
  return `${year}-${p2(month)}-${p2(day)} ${p2(h)}:${p2(mi)}:${p2(sec)}.${frac}+00`;
}
const ts = (d: Date | null) => (d ? pgTimestamp(d.getTime()) : "\\N");
const num = (n: number | null) => (n === null ? "\\N" : String(n));
const bool = (b: boolean) => (b ? "t" : "f");

const DOSSIER_COLUMNS = [
  "id",
  "code",
  "procedure_code",
  "agency_code",
  "receiving_agency_code",
  "applicant_national_id",
  "applicant_name",
  "channel",
  "status",
  "form_data",
  "fee_vnd",
  "version",
  "submitted_at",
  "received_at",
  "due_at",
  "original_due_at",
  "paused_at",
  "paused_minutes",
  "supplements_after_receipt",
  "resolved_at",
  "returned_at",
  "ended_at",
  "outcome",
  "created_at",
  "updated_at",
  "digitised",
  "e_result",
  "paid_online",
  "full_procedure",
  "rating",
  "rated_at",
];
const PAYMENT_COLUMNS = [
  "id",
  "dossier_id",
  "order_ref",
  "amount_vnd",
  "method",
  "status",
  "provider",
  "transaction_no",
  "bank_code",
  "response_code",
  "paid_at",
  "receipt_no",
  "payer_name",
  "created_at",
  "updated_at",
  "agency_code",
  "procedure_code",
];
const EVENT_COLUMNS = [
  "dossier_id",
  "at",
  "actor_role",
  "agency_code",
  "action",
  "from_status",
  "to_status",
  "reason",
  "data",
];
const BANKS = ["VCB", "BIDV", "CTG", "AGRIBANK", "TCB", "MB", "VPB", "ACB"];

/** One batch of COPY text for each table. */
class Rows {
  /**
   * Whole COPY chunks as UTF-8 buffers: off the JavaScript heap, so a batch waiting for its turn costs the
   * garbage collector nothing (keeping row strings alive across collections was a quarter of the time).
   */
  readonly chunks: Buffer[] = [];
  #pending: string[] = [];
  count = 0;

  add(row: string): void {
    this.#pending.push(row);
    this.count++;
    if (this.#pending.length >= 100) this.#seal();
  }

  /** All rows, as chunks of COPY text. */
  text(): Buffer[] {
    this.#seal();
    return this.chunks;
  }

  #seal(): void {
    if (this.#pending.length === 0) return;
    this.chunks.push(Buffer.from(`${this.#pending.join("\n")}\n`));
    this.#pending = [];
  }
}

class Batch {
  dossiers = new Rows();
  payments = new Rows();
  events = new Rows();
  sequences = new Map<string, number>();
  count = 0;
}

/**
 * How stats_rollup is kept: `triggers` — each batch is its own transaction and the statement-level
 * triggers roll it up (batches may run on several connections at once: see `connections`); `rebuild` —
 * the project's bulk path (app/server/stats/stats-rollup.server.ts): ONE transaction on one connection
 * with the insert-path triggers off, then the rollup recomputed from all rows by the migration's own
 * statements, so other sessions see all of the load or none of it (and their writes to dossiers and
 * payments wait meanwhile).
 */
export type RollupMode = "triggers" | "rebuild";

/** Insert-path triggers switched off in `rebuild` mode; the loader writes what they would (full_procedure, payment agency/procedure). */
const BULK_OFF: Array<[string, string]> = [
  ["dossiers", "dossiers_stats_insert"],
  ["dossiers", "dossiers_snapshot_procedure"],
  ["payments", "payments_stats_insert"],
  ["payments", "payments_defaults"],
];

/** Which dossiers' events are written (all are simulated through the workflow either way). */
export type EventsMode = "all" | "late" | "none";

export type LoadOptions = {
  events: EventsMode;
  /** Tag in form_data and in payment references (e.g. "quangninh-2023"). */
  scale: string;
  rollup: RollupMode;
  /**
   * Connections writing batches at the same time (`triggers` mode). Each agency is given to one
   * connection, so concurrent transactions never touch the same rollup rows or code sequences (no lock
   * waits, no deadlocks), and PostgreSQL can use a second core while this process generates.
   */
  connections: number;
  /** Prefix of generated payment references and receipt numbers, unique per scale and period. */
  refPrefix: string;
  batchSize: number;
  onProgress?: (written: number) => void;
};

export type LoadSummary = { dossiers: number; payments: number; events: number; rollupSeconds?: number };

type Shard = { client: pg.Client; batch: Batch; pending: Promise<void>; rows: number };

/** COPYs the generated dossiers into the database at `url`, batch by batch. */
export async function copyDossiers(
  url: string,
  dossiers: Iterable<GeneratedDossier>,
  opts: LoadOptions,
): Promise<LoadSummary> {
  const bulk = opts.rollup === "rebuild";
  const shards: Shard[] = [];
  const count = bulk ? 1 : Math.max(1, opts.connections);
  for (let i = 0; i < count; i++) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // A crash mid-load leaves an incomplete year anyway (re-run with --replace), so no need to wait for
    // each batch's WAL flush.
    await client.query("set synchronous_commit = off");
    shards.push({ client, batch: new Batch(), pending: Promise.resolve(), rows: 0 });
  }
  const first = shards[0]!;
  const shardOf = new Map<string, Shard>();
  const summary: LoadSummary = { dossiers: 0, payments: 0, events: 0 };
  const formData = text(JSON.stringify({ [GENERATED_KEY]: opts.scale }));
  let paymentSeq = 0;
  let sinceYield = 0;
  try {
    if (bulk) {
      await first.client.query("begin");
      for (const [table, trigger] of BULK_OFF)
        await first.client.query(`alter table ${table} disable trigger ${trigger}`);
    }
    for (const d of dossiers) {
      // Each agency to one connection: the one with the fewest rows when the agency first appears.
      let shard = shardOf.get(d.agencyCode);
      if (!shard) {
        shard = shards.reduce((a, b) => (b.rows < a.rows ? b : a));
        shardOf.set(d.agencyCode, shard);
      }
      shard.rows++;
      const batch = shard.batch;
      const p = d.procedure;
      const submitted = ts(d.submittedAt);
      const agency = text(d.agencyCode);
      // One template per row: no intermediate arrays (this loop runs 860,000 times).
      batch.dossiers.add(
        `${d.id}\t${text(d.code)}\t${text(p.code)}\t${agency}\t${agency}\t${d.applicantNationalId}\t` +
          `${text(d.applicantName)}\t${d.channel}\t${d.status}\t${formData}\t${p.feeVnd}\t${d.version}\t` +
          `${submitted}\t${ts(d.receivedAt)}\t${ts(d.dueAt)}\t${ts(d.originalDueAt)}\t${ts(d.pausedAt)}\t` +
          `${Math.round(d.pausedMinutes)}\t${d.supplementsAfterReceipt}\t${ts(d.resolvedAt)}\t${ts(d.returnedAt)}\t` +
          `${ts(d.endedAt)}\t${d.outcome ?? "\\N"}\t${submitted}\t${ts(d.updatedAt)}\t${bool(d.digitised)}\t` +
          `${bool(d.eResult)}\t${bool(d.paidOnline)}\t${bool(p.onlineKind === "full")}\t${num(d.rating)}\t${ts(d.ratedAt)}`,
      );
      if (d.payment) {
        const n = ++paymentSeq;
        const pay = d.payment;
        const ref = `${opts.refPrefix}${String(n).padStart(7, "0")}`;
        batch.payments.add(
          [
            // The dossier's time-ordered id with version nibble 8: unique, and it keeps the primary key
            // index append-mostly (a random gen_random_uuid() would touch a random leaf per row).
            `${d.id.slice(0, 14)}8${d.id.slice(15)}`,
            d.id,
            ref,
            String(pay.amountVnd),
            pay.method,
            "paid",
            pay.method === "gateway" ? "paygov" : pay.method === "transfer" ? "bank-transfer" : "cash",
            pay.method === "cash" ? "\\N" : `T${ref}`,
            pay.method === "cash" ? "\\N" : BANKS[n % BANKS.length]!,
            pay.method === "gateway" ? "00" : "\\N",
            ts(pay.paidAt),
            `BL-${ref}`,
            text(d.applicantName),
            ts(pay.createdAt),
            ts(pay.paidAt),
            text(d.agencyCode),
            text(p.code),
          ].join("\t"),
        );
      }
      if (d.events && (opts.events === "all" || (opts.events === "late" && d.outcome === "late"))) {
        for (const e of d.events) {
          batch.events.add(
            [
              d.id,
              ts(e.at),
              e.actorRole,
              text(d.agencyCode),
              e.action,
              e.fromStatus ?? "\\N",
              e.toStatus,
              text(e.reason),
              text(JSON.stringify(e.data ?? {})),
            ].join("\t"),
          );
        }
      }
      const key = `${d.agencyCode}|${d.codeDay}`;
      if ((batch.sequences.get(key) ?? 0) < d.sequence) batch.sequences.set(key, d.sequence);
      batch.count++;
      if (batch.count >= opts.batchSize) {
        await shard.pending;
        shard.pending = writeBatch(shard.client, batch, summary, opts, !bulk);
        shard.pending.catch(() => {}); // awaited (and thrown) before this connection's next batch
        shard.batch = new Batch();
      } else if (++sinceYield >= 1000) {
        // Let the batches in flight flow to the server while the next ones are generated.
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    for (const shard of shards) {
      await shard.pending;
      if (shard.batch.count > 0) await writeBatch(shard.client, shard.batch, summary, opts, !bulk);
    }
    if (bulk) {
      for (const [table, trigger] of BULK_OFF)
        await first.client.query(`alter table ${table} enable trigger ${trigger}`);
      const started = performance.now();
      for (const statement of rebuildRollupSql()) await first.client.query(statement);
      summary.rollupSeconds = (performance.now() - started) / 1000;
      await first.client.query("commit");
    }
  } catch (error) {
    for (const shard of shards) await shard.pending.catch(() => {});
    if (bulk) await first.client.query("rollback").catch(() => {});
    throw error;
  } finally {
    for (const shard of shards) await shard.client.end();
  }
  return summary;
}

async function copy(client: pg.Client, table: string, columns: string[], rows: Rows): Promise<void> {
  if (rows.count === 0) return;
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
  await new Promise<void>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", resolve);
    // The stream buffers the chunks; the socket drains while the caller keeps generating.
    for (const chunk of rows.text()) stream.write(chunk);
    stream.end();
  });
}

async function writeBatch(
  client: pg.Client,
  batch: Batch,
  summary: LoadSummary,
  opts: LoadOptions,
  ownTransaction: boolean,
): Promise<void> {
  if (ownTransaction) await client.query("begin");
  try {
    await copy(client, "dossiers", DOSSIER_COLUMNS, batch.dossiers);
    await copy(client, "payments", PAYMENT_COLUMNS, batch.payments);
    await copy(client, "dossier_events", EVENT_COLUMNS, batch.events);
    const keys = [...batch.sequences.keys()];
    await client.query(
      `insert into dossier_code_sequences (agency_code, day, last_value)
       select * from unnest($1::text[], $2::date[], $3::int[])
       on conflict (agency_code, day) do update set last_value = greatest(dossier_code_sequences.last_value, excluded.last_value)`,
      [keys.map((k) => k.split("|")[0]), keys.map((k) => k.split("|")[1]), keys.map((k) => batch.sequences.get(k))],
    );
    if (ownTransaction) await client.query("commit");
  } catch (error) {
    if (ownTransaction) await client.query("rollback").catch(() => {});
    throw error;
  }
  summary.dossiers += batch.count;
  summary.payments += batch.payments.count;
  summary.events += batch.events.count;
  opts.onProgress?.(summary.dossiers);
}
