/**
 * The audit hash chains as the running code sees them (docs/decisions/009-least-privilege-and-audit-chain.md):
 * which tables are chained, each chain's key and order as SQL, and the maintenance switch. The triggers were
 * created by the migration 2026_11_26_1000_audit_chain, which keeps its own frozen copy of these definitions
 * (a migration that has run is history and never imports runtime code); `audit-chain.test.ts` checks that
 * the two still agree.
 */

export const AUDIT_TABLES = ["audit_events", "dossier_events", "dossier_views"] as const;
export type AuditTable = (typeof AUDIT_TABLES)[number];

/** The maintenance switch (a custom setting) that lets the owner or a superuser change history. */
export const MAINTENANCE_SETTING = "portal.maintenance";

/**
 * Per table, as SQL over a row whose columns are prefixed by `r` ("e." or "new." or "" in an index): the
 * chain key (as stored in audit_chain_heads) and the chain's sort key (audit:verify walks the chains in this
 * order, by an index on it and chain_seq).
 */
export const CHAIN_SQL: Record<AuditTable, { key: (r: string) => string; order: (r: string) => string }> = {
  audit_events: {
    key: (r) => `public.audit_events_chain(${r}entity, ${r}entity_id)`,
    order: (r) => `public.audit_events_chain(${r}entity, ${r}entity_id)`,
  },
  dossier_events: { key: (r) => `'dossier_events:' || ${r}dossier_id`, order: (r) => `${r}dossier_id` },
  dossier_views: { key: (r) => `'dossier_views:' || ${r}dossier_id`, order: (r) => `${r}dossier_id` },
};
