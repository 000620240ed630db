/**
 * Boot sequence, run once before the server accepts requests: database up, migrations applied and the app
 * role's privileges granted (as the owner role), demo data seeded into an empty database. Any failure stops
 * start-up with a clear message. The running app then uses only the app role (`db`).
 */

import { seedDemoDossiers, seedDemoReformHistory } from "#db/seed/demo-dossiers.ts";
import { applyDemoGuides, seedDemoData } from "#db/seed/seed.ts";
import { closeOwnerDb, connectionString, db, ownerConnectionString, ownerDb, startDatabase } from "./db.server.ts";
import { appRoleProblems, currentRole, grantAppPrivileges } from "./db-roles.server.ts";
import { env, isDemoMode, seedDemoEnabled } from "./env.server.ts";
import { migrateJobQueue } from "./jobs/queue.server.ts";
import { type JobWorker, startWorker } from "./jobs/worker.server.ts";
import { migrateToLatest } from "./migrate.server.ts";
import { checkDataFolders, rootEmbeddedProblem, StartupError } from "./startup-errors.server.ts";

let started: Promise<void> | undefined;
let worker: JobWorker | undefined;

export async function stopWorker(): Promise<void> {
  await worker?.stop();
  worker = undefined;
}

export function startup(log: (msg: string) => void = console.log): Promise<void> {
  started ??= (async () => {
    checkDataFolders();
    const rootProblem = env.DATABASE_URL ? undefined : rootEmbeddedProblem(env.EMBEDDED_PG_DIR);
    if (rootProblem) throw new StartupError(rootProblem);
    const { kind } = await startDatabase(log);
    log(kind === "embedded" ? `Embedded PostgreSQL ready (data in ${env.EMBEDDED_PG_DIR})` : "Using DATABASE_URL");
    const owner = ownerDb();
    try {
      const applied = await migrateToLatest(owner);
      if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}`);
      await migrateJobQueue(ownerConnectionString());
      const appRole = await currentRole(db);
      if (await grantAppPrivileges(owner, appRole)) log(`Privileges of the app role ${appRole} granted`);
      if (seedDemoEnabled()) {
        const seeded = await seedDemoData(owner);
        if (seeded) {
          // June 2025 at the old units, the 2025 reform applied on its day (ADR 017), then today's desk.
          const history = await seedDemoReformHistory(owner);
          const dossiers = await seedDemoDossiers(owner);
          log(
            `Seeded demo data and ${dossiers + history.handedOver.length + history.queued.length} demo dossiers ` +
              `(${history.queued.length} waiting for the service centre's choice; demo accounts are listed in README.md)`,
          );
        } else {
          const guides = await applyDemoGuides(owner);
          if (guides > 0) log(`Added the steps and conditions of ${guides} demo procedures`);
        }
      }
    } finally {
      await closeOwnerDb();
    }
    // In production the app role must be least-privilege (checked again now that the grants are applied);
    // demo mode only warns, so a demo on a single superuser URL still starts.
    const roleProblems = await appRoleProblems(db);
    if (roleProblems.length > 0 && !isDemoMode)
      throw new Error(
        `The app's database role is not least-privilege: ${roleProblems.join("; ")} (README, "Database roles").`,
      );
    for (const problem of roleProblems) log(`Warning: ${problem} (README, "Database roles")`);
    if (process.env.JOBS !== "off") {
      worker = await startWorker(connectionString(), db, log);
      log("Job queue worker started (notifications go to SMTP_URL, or to .data/outbox)");
    }
  })();
  return started;
}
