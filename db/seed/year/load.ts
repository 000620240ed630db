/**
 * Writing the generated year: the catalogue by upsert, the dossiers (and their payments, and optionally
 * their events) by COPY in batches, each batch one transaction. The statement-level triggers of
 * 2026_11_23_1700_stats_rollups roll every COPY up into stats_rollup in the same transaction; nothing here
 * writes the rollup. Generation of the next batch overlaps with PostgreSQL ingesting the previous one.
 */
import { type Kysely, sql } from "kysely";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../../app/server/db.server.ts";
import { rebuildRollupSql } from "../../migrations/2026_11_23_1700_stats_rollups.ts";
import type { DemoAgency } from "../demo-data.ts";
import type { YearCatalogue } from "./catalogue.ts";
import type { GeneratedDossier, Period } from "./generate.ts";

/** The marker in `form_data` of every generated dossier: `{"generated": "<scale>"}`. */
export const GENERATED_KEY = "generated";

function parentsFirst(list: DemoAgency[]): DemoAgency[] {
  const byCode = new Map(list.map((a) => [a.code, a]));
  const out: DemoAgency[] = [];
  const done = new Set<string>();
  const visit = (a: DemoAgency) => {
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
      await trx
        .insertInto("agencies")
        .values({ code: a.code, name_vi: a.nameVi, name_en: a.nameEn, level: a.level, parent_code: a.parentCode })
        .onConflict((oc) =>
          overwrite
            ? oc.column("code").doUpdateSet((eb) => ({
                name_vi: eb.ref("excluded.name_vi"),
                name_en: eb.ref("excluded.name_en"),
                level: eb.ref("excluded.level"),
                parent_code: eb.ref("excluded.parent_code"),
              }))
            : oc.column("code").doNothing(),
        )
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
 * Deletes the generated dossiers filed in the period, children first in single statements (a cascade
 * would fire the payments' statement trigger once per dossier), then resets the period's code sequences
 * to the highest code still present, so a re-run issues the same codes.
 */
export async function deleteGenerated(db: Kysely<Database>, period: Period): Promise<number> {
  const { start, end } = periodInstants(period);
  return db.transaction().execute(async (trx) => {
    const target = sql`select id from dossiers where form_data ? ${GENERATED_KEY} and submitted_at >= ${start} and submitted_at < ${end}`;
    await sql`create temporary table generated_ids on commit drop as ${target}`.execute(trx);
    await sql`alter table generated_ids add primary key (id)`.execute(trx);
    for (const t of ["payments", "dossier_events", "dossier_attachments", "dossier_results", "dossier_views"]) {
      await sql`delete from ${sql.table(t)} c using generated_ids g where c.dossier_id = g.id`.execute(trx);
    }
    const deleted = await sql`delete from dossiers d using generated_ids g where d.id = g.id`.execute(trx);
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
    return Number(deleted.numAffectedRows ?? 0);
  });
}

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
const ts = (d: Date | null) => (d ? d.toISOString() : "\\N");
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
class Batch {
  dossiers: string[] = [];
  payments: string[] = [];
  events: string[] = [];
  sequences = new Map<string, number>();
  count = 0;
}

/**
 * How stats_rollup is kept: `triggers` — each batch is its own transaction and the statement-level
 * triggers roll it up; `rebuild` — the project's bulk path (app/server/stats/stats-rollup.server.ts):
 * ONE transaction with the insert-path triggers off, then the rollup rebuilt from the rows by the
 * migration's own statements, so other sessions see all or nothing. `rebuild` is much faster for a
 * province-year; it locks dossiers and payments against writes while it runs.
 */
export type RollupMode = "triggers" | "rebuild";

/** Insert-path triggers switched off in `rebuild` mode; the loader writes what they would (full_procedure, payment agency/procedure). */
const BULK_OFF: Array<[string, string]> = [
  ["dossiers", "dossiers_stats_insert"],
  ["dossiers", "dossiers_snapshot_procedure"],
  ["payments", "payments_stats_insert"],
  ["payments", "payments_defaults"],
];

export type LoadOptions = {
  /** Tag in form_data and in payment references (e.g. "quangninh-2023"). */
  scale: string;
  rollup: RollupMode;
  /** Prefix of generated payment references and receipt numbers, unique per scale and period. */
  refPrefix: string;
  batchSize: number;
  onProgress?: (written: number) => void;
};

export type LoadSummary = { dossiers: number; payments: number; events: number; rollupSeconds?: number };

/** COPYs the generated dossiers into the database at `url`, batch by batch. */
export async function copyDossiers(
  url: string,
  dossiers: Iterable<GeneratedDossier>,
  opts: LoadOptions,
): Promise<LoadSummary> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const bulk = opts.rollup === "rebuild";
  if (bulk) {
    await client.query("begin");
    for (const [table, trigger] of BULK_OFF) await client.query(`alter table ${table} disable trigger ${trigger}`);
  }
  const summary: LoadSummary = { dossiers: 0, payments: 0, events: 0 };
  const formData = text(JSON.stringify({ [GENERATED_KEY]: opts.scale }));
  let paymentSeq = 0;
  let pending: Promise<void> = Promise.resolve();
  let batch = new Batch();
  try {
    for (const d of dossiers) {
      const p = d.procedure;
      batch.dossiers.push(
        [
          d.id,
          text(d.code),
          text(p.code),
          text(d.agencyCode),
          text(d.agencyCode),
          d.applicantNationalId,
          text(d.applicantName),
          d.channel,
          d.status,
          formData,
          String(p.feeVnd),
          String(d.version),
          ts(d.submittedAt),
          ts(d.receivedAt),
          ts(d.dueAt),
          ts(d.originalDueAt),
          ts(d.pausedAt),
          String(Math.round(d.pausedMinutes)),
          String(d.supplementsAfterReceipt),
          ts(d.resolvedAt),
          ts(d.returnedAt),
          ts(d.endedAt),
          d.outcome ?? "\\N",
          ts(d.submittedAt),
          ts(d.updatedAt),
          bool(d.digitised),
          bool(d.eResult),
          bool(d.paidOnline),
          bool(p.onlineKind === "full"),
          num(d.rating),
          ts(d.ratedAt),
        ].join("\t"),
      );
      if (d.payment) {
        const n = ++paymentSeq;
        const pay = d.payment;
        const ref = `${opts.refPrefix}${String(n).padStart(7, "0")}`;
        batch.payments.push(
          [
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
      if (d.events) {
        for (const e of d.events) {
          batch.events.push(
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
        await pending;
        pending = writeBatch(client, batch, summary, opts, !bulk);
        pending.catch(() => {}); // awaited (and thrown) before the next batch
        batch = new Batch();
      } else if (batch.count % 1000 === 0) {
        // Let the previous batch's COPY data flow to the server while this one is generated.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await pending;
    if (batch.count > 0) await writeBatch(client, batch, summary, opts, !bulk);
    if (bulk) {
      for (const [table, trigger] of BULK_OFF) await client.query(`alter table ${table} enable trigger ${trigger}`);
      const started = performance.now();
      for (const statement of rebuildRollupSql()) await client.query(statement);
      summary.rollupSeconds = (performance.now() - started) / 1000;
      await client.query("commit");
    }
  } catch (error) {
    await pending.catch(() => {});
    if (bulk) await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return summary;
}

async function copy(client: pg.Client, table: string, columns: string[], rows: string[]): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`copy ${table} (${columns.join(", ")}) from stdin`));
  await new Promise<void>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", resolve);
    // A few large writes; the stream buffers and the socket drains while the caller keeps generating.
    for (let i = 0; i < rows.length; i += 5000) stream.write(`${rows.slice(i, i + 5000).join("\n")}\n`);
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
  summary.payments += batch.payments.length;
  summary.events += batch.events.length;
  opts.onProgress?.(summary.dossiers);
}
