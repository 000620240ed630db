/** `npm run db:migrate` (latest) or `tsx db/migrate.ts down`. */
import { connectionString, db, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { migrateJobQueue } from "../app/server/jobs/jobs.server.ts";
import { migrateDown, migrateToLatest } from "../app/server/migrate.server.ts";

const command = process.argv[2] ?? "latest";
await startDatabase();
try {
  const names = command === "down" ? await migrateDown(db) : await migrateToLatest(db);
  if (command !== "down") await migrateJobQueue(connectionString());
  console.log(names.length ? `${command}: ${names.join(", ")}` : "Nothing to migrate.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopDatabase();
}
