/**
 * `npm run audit:verify`: walks the hash chains of audit_events, dossier_events and dossier_views
 * (app/server/audit-verify.server.ts) as the owner role — DATABASE_OWNER_URL, else DATABASE_URL, else the
 * embedded database of `npm start`. Prints the rows and chains checked per table and exits 0, or names the
 * first broken row (table, id, chain, seq, what is wrong) and exits 1.
 */
import { describeProblem, verifyAuditChains } from "../app/server/audit-verify.server.ts";
import { ownerDb, startDatabase, stopDatabase } from "../app/server/db.server.ts";

const number = new Intl.NumberFormat("en-US");
let exitCode = 0;
await startDatabase();
try {
  const started = performance.now();
  const result = await verifyAuditChains(ownerDb());
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const t of result.tables) {
    console.log(
      `${t.table.padEnd(15)} ${number.format(t.rows).padStart(12)} rows  ${number.format(t.chains).padStart(10)} chains`,
    );
  }
  if (result.ok) {
    console.log(`OK: every chain is complete and unaltered (${seconds} s).`);
  } else {
    console.error(`BROKEN: ${describeProblem(result.problem)}`);
    exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 2;
} finally {
  await stopDatabase();
}
process.exit(exitCode);
