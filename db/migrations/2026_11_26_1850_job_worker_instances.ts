import type { Kysely } from "kysely";

/**
 * `job_worker_instances` (issue 17, ADR 022): which graphile-worker lock owners (worker pool ids, the jobs' `locked_by`)
 * each app instance (INSTANCE_ID) ran. A killed instance leaves the jobs it had locked locked for graphile-worker's 4 hours; when the same
 * instance starts again, it unlocks the jobs of its previous workers at once (worker.server.ts), so a
 * notification or refund in flight at the crash is delayed by a restart, not by hours.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("job_worker_instances")
    .addColumn("worker_id", "text", (c) => c.primaryKey())
    .addColumn("instance", "text", (c) => c.notNull())
    .addColumn("started_at", "timestamptz", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("job_worker_instances_instance_idx")
    .on("job_worker_instances")
    .column("instance")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("job_worker_instances").execute();
}
