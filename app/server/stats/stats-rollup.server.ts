/**
 * Bulk loads (the generated year, very large imports) may insert with the rollup triggers switched off
 * and rebuild the rollup once at the end, in the same transaction: one aggregate over the rows instead of
 * one per statement. Everyday writes never need this: the triggers keep the rollup current.
 */
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db.server.ts";
import { rebuildRollupSql } from "./rollup-sql.server.ts";

const ROLLUP_TRIGGERS = ["dossiers_stats_insert", "dossiers_stats_update", "dossiers_stats_delete"] as const;
const PAYMENT_TRIGGERS = ["payments_stats_insert", "payments_stats_update", "payments_stats_delete"] as const;

/** Recomputes the whole of stats_rollup from the dossier and payment rows. */
export async function rebuildStatsRollup(trx: Transaction<Database> | Kysely<Database>): Promise<void> {
  for (const statement of rebuildRollupSql()) await sql.raw(statement).execute(trx);
}

/**
 * Runs `load` with the rollup triggers off, then rebuilds the rollup — all in one transaction, so other
 * sessions see either the old rows and rollup or the new ones. Takes a write lock on dossiers and payments
 * for the duration (ALTER TABLE), so it is for bulk loads, not for the web.
 */
export async function bulkLoadWithRollupRebuild<T>(
  db: Kysely<Database>,
  load: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    for (const t of ROLLUP_TRIGGERS) await sql.raw(`alter table dossiers disable trigger ${t}`).execute(trx);
    for (const t of PAYMENT_TRIGGERS) await sql.raw(`alter table payments disable trigger ${t}`).execute(trx);
    const result = await load(trx);
    for (const t of ROLLUP_TRIGGERS) await sql.raw(`alter table dossiers enable trigger ${t}`).execute(trx);
    for (const t of PAYMENT_TRIGGERS) await sql.raw(`alter table payments enable trigger ${t}`).execute(trx);
    await rebuildStatsRollup(trx);
    return result;
  });
}
