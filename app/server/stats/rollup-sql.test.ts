/**
 * The runtime rollup SQL (rebuild, recount and drill-down fragments) agrees with the migration that created
 * the rollup triggers. The migration is frozen; changing a counter needs a new migration replacing the
 * trigger functions, and then this test is updated with it.
 */
import { describe, expect, it } from "vitest";
import * as migration from "../../../db/migrations/2026_11_23_1700_stats_rollups.ts";
import { ROLLUP_COUNTERS, rebuildRollupSql, whollyOnlineSql } from "./rollup-sql.server.ts";

describe("rollup SQL", () => {
  it("rebuilds exactly as the migration's triggers count", () => {
    expect(ROLLUP_COUNTERS).toEqual(migration.ROLLUP_COUNTERS);
    expect(rebuildRollupSql()).toEqual(migration.rebuildRollupSql());
  });

  it("states the wholly-online rule once, over any alias", () => {
    expect(whollyOnlineSql("d")).toBe(
      "coalesce(d.wholly_online, d.channel = 'online' and (d.fee_vnd = 0 or d.paid_online) and d.e_result)",
    );
    expect(rebuildRollupSql().join("\n")).toContain(whollyOnlineSql("x"));
  });
});
