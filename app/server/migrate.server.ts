/** Runs Kysely's Migrator over the explicit migration list; start-up and tests call it. */
import { type Kysely, type MigrationResultSet, Migrator } from "kysely";
import { migrations } from "#db/migrations/index.ts";

export class MigrationFailedError extends Error {
  override name = "MigrationFailedError";
}

function report(result: MigrationResultSet): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "(unknown)";
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new MigrationFailedError(`Database migration "${failed}" failed: ${cause}`);
  }
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    // Migrations written in parallel may land after a later-named one already ran somewhere.
    allowUnorderedMigrations: true,
  });
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const result = await migrator(db).migrateToLatest();
  report(result);
  return (result.results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

export async function migrateDown(db: Kysely<any>): Promise<string[]> {
  const result = await migrator(db).migrateDown();
  report(result);
  return (result.results ?? []).map((r) => r.migrationName);
}
