/**
 * audit:verify — walks the hash chains of audit_events, dossier_events and dossier_views (migration
 * 2026_11_26_1000_audit_chain) and reports the FIRST broken row. For each chain, in chain_seq order:
 * seq runs 1, 2, 3… without gaps; each row's prev_hash is the previous row's hash ('' for the first); each
 * row's hash is recomputed by the database from its content with the migration's own payload function;
 * and audit_chain_heads' length and last hash match the chain's last row (a deleted tail). Heads without
 * rows (a whole chain deleted) are reported too. Rows are read in keyset batches along the chain index, so
 * a million rows never sit in memory. Needs the owner role (the app role cannot read the chain heads).
 */
import { type Kysely, sql } from "kysely";
import { AUDIT_TABLES, type AuditTable, CHAIN_SQL } from "./audit-chain.server.ts";

export type ChainProblem = {
  table: AuditTable;
  /** The row at fault (or the last row of a chain whose tail is missing); null for a chain with no rows. */
  id: number | null;
  chain: string;
  seq: number | null;
  problem: string;
};

export type TableSummary = { table: AuditTable; rows: number; chains: number };

export type VerifyResult =
  | { ok: true; tables: TableSummary[] }
  | { ok: false; tables: TableSummary[]; problem: ChainProblem };

type Row = {
  id: number;
  ord: string;
  chain: string;
  chain_seq: number;
  prev_hash: string;
  hash: string;
  expected: string;
};

type Head = { length: number; last_hash: string };

/** The type of each table's sort key (for the keyset parameter) and how a head finds its rows. */
const WALK: Record<AuditTable, { ordType: "uuid" | "text"; headHasRows: string }> = {
  audit_events: {
    ordType: "text",
    headHasRows:
      "exists (select 1 from audit_events e where public.audit_events_chain(e.entity, e.entity_id) = h.chain)",
  },
  dossier_events: {
    ordType: "uuid",
    headHasRows: `exists (select 1 from dossier_events e where e.dossier_id =
      (case when substr(h.chain, 16) ~ '^[0-9a-f-]{36}$' then substr(h.chain, 16)::uuid end))`,
  },
  dossier_views: {
    ordType: "uuid",
    headHasRows: `exists (select 1 from dossier_views e where e.dossier_id =
      (case when substr(h.chain, 15) ~ '^[0-9a-f-]{36}$' then substr(h.chain, 15)::uuid end))`,
  },
};

export type VerifyOptions = { batchSize?: number; onProgress?: (table: AuditTable, rows: number) => void };

/** Verifies every chain of the three tables; stops at the first problem. */
export async function verifyAuditChains(db: Kysely<any>, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const tables: TableSummary[] = [];
  for (const table of AUDIT_TABLES) {
    const summary: TableSummary = { table, rows: 0, chains: 0 };
    tables.push(summary);
    const problem = await verifyTable(db, table, summary, opts);
    if (problem) return { ok: false, tables, problem };
  }
  return { ok: true, tables };
}

async function verifyTable(
  db: Kysely<any>,
  table: AuditTable,
  summary: TableSummary,
  opts: VerifyOptions,
): Promise<ChainProblem | null> {
  const batchSize = opts.batchSize ?? 5000;
  const { key, order } = CHAIN_SQL[table];
  const { ordType } = WALK[table];
  const select = `select e.id, (${order("e.")})::text as ord, ${key("e.")} as chain, e.chain_seq, e.prev_hash, e.hash,
      public.audit_hash(e.prev_hash, public.${table}_payload(e)) as expected
    from ${table} e`;
  let cursor: { ord: string; seq: number } | null = null;
  let current: { chain: string; seq: number; hash: string; id: number } | null = null;
  let heads = new Map<string, Head>();

  const endOfChain = (c: NonNullable<typeof current>): ChainProblem | null => {
    const head = heads.get(c.chain);
    const at = { table, id: c.id, chain: c.chain, seq: c.seq };
    if (!head) return { ...at, problem: "the chain has no head in audit_chain_heads (the head was deleted)" };
    if (head.length > c.seq) {
      return {
        ...at,
        problem: `the chain ends at seq ${c.seq} but its head records ${head.length} rows: the last ${head.length - c.seq} row(s) were deleted`,
      };
    }
    if (head.length !== c.seq) {
      return { ...at, problem: `the head records ${head.length} rows but the chain has ${c.seq}` };
    }
    if (head.last_hash !== c.hash) {
      return { ...at, problem: "the head's last hash differs from the hash of the chain's last row" };
    }
    return null;
  };

  for (;;) {
    const orderBy = sql.raw(`(${order("e.")}), e.chain_seq`);
    const where = cursor
      ? sql`where (${orderBy}) > (${cursor.ord}::${sql.raw(ordType)}, ${cursor.seq}::bigint)`
      : sql.raw("");
    const batch = await sql<Row>`${sql.raw(select)} ${where} order by ${orderBy} limit ${sql.lit(batchSize)}`.execute(
      db,
    );
    const rows = batch.rows;
    if (rows.length === 0) break;
    const chains = [...new Set([...(current ? [current.chain] : []), ...rows.map((r) => r.chain)])];
    const found = await sql<{ chain: string; length: number; last_hash: string }>`
      select chain, length, last_hash from audit_chain_heads where chain = any(${chains}::text[])`.execute(db);
    heads = new Map(found.rows.map((h) => [h.chain, { length: Number(h.length), last_hash: h.last_hash }]));

    for (const row of rows) {
      const seq = Number(row.chain_seq);
      const id = Number(row.id);
      if (!current || current.chain !== row.chain) {
        if (current) {
          const problem = endOfChain(current);
          if (problem) return problem;
        }
        current = { chain: row.chain, seq: 0, hash: "", id };
        summary.chains++;
      }
      summary.rows++;
      const at = { table, id, chain: row.chain, seq };
      if (seq !== current.seq + 1) {
        return {
          ...at,
          problem:
            current.seq === 0
              ? `the chain starts at seq ${seq}: row(s) 1..${seq - 1} were deleted`
              : `seq ${seq} follows seq ${current.seq}: row(s) ${current.seq + 1}..${seq - 1} were deleted`,
        };
      }
      if (row.hash !== row.expected) {
        return { ...at, problem: "the row's hash does not match its content: the row was altered" };
      }
      if (row.prev_hash !== current.hash) {
        return {
          ...at,
          problem:
            current.seq === 0
              ? "the first row of the chain has a prev_hash"
              : `prev_hash differs from the hash of seq ${current.seq}: that row was altered or replaced`,
        };
      }
      current = { chain: row.chain, seq, hash: row.hash, id };
    }
    const last = rows[rows.length - 1] as Row;
    cursor = { ord: last.ord, seq: Number(last.chain_seq) };
    opts.onProgress?.(table, summary.rows);
    if (rows.length < batchSize) break;
  }
  if (current) {
    const problem = endOfChain(current);
    if (problem) return problem;
  }

  // Heads whose chain has no row left: a whole chain deleted.
  const prefix = `${table}:`;
  const orphan = await sql<{ chain: string; length: number }>`
    select h.chain, h.length from audit_chain_heads h
    where left(h.chain, ${prefix.length}) = ${prefix} and not ${sql.raw(WALK[table].headHasRows)}
    order by h.chain limit 1`.execute(db);
  const o = orphan.rows[0];
  if (o) {
    return {
      table,
      id: null,
      chain: o.chain,
      seq: null,
      problem: `the head records ${Number(o.length)} rows but the chain has none: the whole chain was deleted`,
    };
  }
  return null;
}

/** One line per problem, for the command and logs. */
export function describeProblem(p: ChainProblem): string {
  const row = p.id === null ? "" : ` row id ${p.id}`;
  const seq = p.seq === null ? "" : ` (seq ${p.seq})`;
  return `${p.table}${row}${seq}, chain ${p.chain}: ${p.problem}`;
}
