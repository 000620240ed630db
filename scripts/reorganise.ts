/**
 * `npm run units:reorganise -- [CODE]`: applies a reorganisation of units (ADR 017) — the same operation as
 * Administration → "Sắp xếp đơn vị hành chính" — as the owner role (DATABASE_OWNER_URL, else DATABASE_URL,
 * else the embedded database). Without CODE it lists the reorganisations. Applying one that was applied
 * before changes nothing and says so. Exits 1 when the code is unknown or the date has not come.
 */
import { ownerDb, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { migrateToLatest } from "../app/server/migrate.server.ts";
import {
  applyReorganisation,
  listReorganisations,
  ReorganisationNotFoundError,
  ReorganisationNotYetEffectiveError,
} from "../app/server/units/reorganisation.server.ts";

const code = process.argv[2];
let exitCode = 0;
await startDatabase();
try {
  const db = ownerDb();
  await migrateToLatest(db);
  if (!code) {
    for (const r of await listReorganisations(db)) {
      const state = r.applied_at ? `applied ${r.applied_at.toISOString()}` : "not applied";
      console.log(`${r.code}  ${r.effective_on}  ${r.name_en}  (${r.abolished} units end, ${r.created} new; ${state})`);
    }
  } else {
    const result = await applyReorganisation(db, code, { userId: null, role: "system" });
    console.log(result.applied ? `Applied ${code}:` : `${code} had already been applied; nothing changed. Its result:`);
    for (const [k, v] of Object.entries(result.summary)) console.log(`  ${k.padEnd(18)} ${v}`);
  }
} catch (error) {
  if (error instanceof ReorganisationNotFoundError) console.error(`No reorganisation ${code}.`);
  else if (error instanceof ReorganisationNotYetEffectiveError)
    console.error(`${code} takes effect on ${error.message}.`);
  else console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await stopDatabase();
}
process.exit(exitCode);
