/** `npm run db:seed`: migrate, then seed demo data into an empty database (as the owner role). */
import { ownerConnectionString, ownerDb, startDatabase, stopDatabase } from "../../app/server/db.server.ts";
import { refuseInProduction } from "../../app/server/env.server.ts";
import { migrateJobQueue } from "../../app/server/jobs/queue.server.ts";
import { migrateToLatest } from "../../app/server/migrate.server.ts";
import { seedDemoDossiers, seedDemoReformHistory } from "./demo-dossiers.ts";
import { seedDemoData } from "./seed.ts";

refuseInProduction("npm run db:seed");

await startDatabase();
try {
  const db = ownerDb();
  await migrateToLatest(db);
  // The demo dossiers enqueue their notifications: the job queue's schema must exist, as at start-up.
  await migrateJobQueue(ownerConnectionString());
  if (await seedDemoData(db)) {
    // June 2025 at the old units, the 2025 reform applied on its day (ADR 017), then today's desk.
    const history = await seedDemoReformHistory(db);
    const today = await seedDemoDossiers(db);
    console.log(
      `Demo data seeded, with ${today + history.handedOver.length + history.queued.length} demo dossiers ` +
        `(${history.queued.length} waiting for the service centre's choice).`,
    );
  } else {
    console.log("Database already has data; nothing seeded.");
  }
} finally {
  await stopDatabase();
}
