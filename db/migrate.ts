/**
 * `npm run db:migrate` (latest) or `tsx db/migrate.ts down`, as the owner role (DATABASE_OWNER_URL, else
 * DATABASE_URL, else the embedded owner); after `latest`, the app role's privileges are granted again.
 */

import { db, ownerConnectionString, ownerDb, startDatabase, stopDatabase } from "../app/server/db.server.ts";
import { currentRole, grantAppPrivileges } from "../app/server/db-roles.server.ts";
import { migrateJobQueue } from "../app/server/jobs/queue.server.ts";
import { migrateDown, migrateToLatest } from "../app/server/migrate.server.ts";

const command = process.argv[2] ?? "latest";
await startDatabase();
try {
  const owner = ownerDb();
  const names = command === "down" ? await migrateDown(owner) : await migrateToLatest(owner);
  if (command !== "down") {
    await migrateJobQueue(ownerConnectionString());
    await grantAppPrivileges(owner, await currentRole(db));
  }
  console.log(names.length ? `${command}: ${names.join(", ")}` : "Nothing to migrate.");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopDatabase();
}
