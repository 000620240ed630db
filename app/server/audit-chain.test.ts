/**
 * The runtime copy of the audit chain definitions agrees with the migration that created the triggers.
 * The migration is frozen; a deliberate change needs a new migration, and then this test is updated with it.
 */
import { describe, expect, it } from "vitest";
import * as migration from "../../db/migrations/2026_11_26_1000_audit_chain.ts";
import { AUDIT_TABLES, CHAIN_SQL, MAINTENANCE_SETTING } from "./audit-chain.server.ts";

describe("audit chain definitions", () => {
  it("match the migration's", () => {
    expect(AUDIT_TABLES).toEqual(migration.AUDIT_TABLES);
    expect(MAINTENANCE_SETTING).toBe(migration.MAINTENANCE_SETTING);
    for (const t of AUDIT_TABLES) {
      for (const prefix of ["", "e.", "new."]) {
        expect(CHAIN_SQL[t].key(prefix)).toBe(migration.CHAIN_SQL[t].key(prefix));
        expect(CHAIN_SQL[t].order(prefix)).toBe(migration.CHAIN_SQL[t].order(prefix));
      }
    }
  });
});
