/** `npm run db:seed`: migrate, then seed demo data into an empty database. */
import { db, startDatabase, stopDatabase } from "../../app/server/db.server.ts";
import { migrateToLatest } from "../../app/server/migrate.server.ts";
import { seedDemoData } from "./seed.ts";

await startDatabase();
try {
  await migrateToLatest(db);
  console.log((await seedDemoData(db)) ? "Demo data seeded." : "Database already has data; nothing seeded.");
} finally {
  await stopDatabase();
}
