/** `npm run db:seed`: migrate, then seed demo data into an empty database (as the owner role). */
import { ownerConnectionString, ownerDb, startDatabase, stopDatabase } from "../../app/server/db.server.ts";
import { refuseInProduction } from "../../app/server/env.server.ts";
import { migrateJobQueue } from "../../app/server/jobs/queue.server.ts";
import { migrateToLatest } from "../../app/server/migrate.server.ts";
import { seedDemoDossiers } from "./demo-dossiers.ts";
import { applyDemoReform, seedDemoData } from "./seed.ts";

refuseInProduction("npm run db:seed");

await startDatabase();
try {
  const db = ownerDb();
  await migrateToLatest(db);
  // The demo dossiers enqueue their notifications: the job queue's schema must exist, as at start-up.
  await migrateJobQueue(ownerConnectionString());
  if (await seedDemoData(db)) {
    await applyDemoReform(db);
    console.log(`Demo data seeded, with ${await seedDemoDossiers(db)} demo dossiers.`);
  } else {
    console.log("Database already has data; nothing seeded.");
  }
} finally {
  await stopDatabase();
}
