/**
 * Boot sequence, run once before the server accepts requests: database up, migrations applied,
 * demo data seeded into an empty database. Any failure stops start-up with a clear message.
 */

import type { Runner } from "graphile-worker";
import { seedDemoDossiers } from "#db/seed/demo-dossiers.ts";
import { seedDemoData } from "#db/seed/seed.ts";
import { connectionString, db, startDatabase } from "./db.server.ts";
import { env } from "./env.server.ts";
import { migrateJobQueue, startWorker } from "./jobs/jobs.server.ts";
import { migrateToLatest } from "./migrate.server.ts";

let started: Promise<void> | undefined;
let worker: Runner | undefined;

export async function stopWorker(): Promise<void> {
  await worker?.stop();
  worker = undefined;
}

export function startup(log: (msg: string) => void = console.log): Promise<void> {
  started ??= (async () => {
    const { kind } = await startDatabase();
    log(kind === "embedded" ? `Embedded PostgreSQL ready (data in ${env.EMBEDDED_PG_DIR})` : "Using DATABASE_URL");
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}`);
    await migrateJobQueue(connectionString());
    if (env.SEED_DEMO) {
      const seeded = await seedDemoData(db);
      if (seeded) {
        const dossiers = await seedDemoDossiers(db);
        log(`Seeded demo data and ${dossiers} demo dossiers (demo accounts are listed in README.md)`);
      }
    }
    if (process.env.JOBS !== "off") {
      worker = await startWorker(connectionString(), db);
      log("Job queue worker started (notifications go to SMTP_URL, or to .data/outbox)");
    }
  })();
  return started;
}
