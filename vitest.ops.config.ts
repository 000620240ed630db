import { tmpdir } from "node:os";
import { defineConfig } from "vitest/config";

// Operations tests (npm run test:ops): several app instances, a streaming replica, backup and
// restore, faults under load. They start real processes and PostgreSQL servers, so they run one
// file at a time and are kept out of the unit/db suite (vitest.config.ts).
export default defineConfig({
  test: {
    include: ["tests/ops/**/*.ops.ts"],
    environment: "node",
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    fileParallelism: false,
    passWithNoTests: true,
    // A file that fails is run once more: these tests kill processes and restart PostgreSQL on a shared 2-core
    // machine. faults.ops.ts once (1 run in 5 here) ended with one notification job still locked after 80 s
    // (not lost: it is retried when graphile-worker's lock expires); that case is not explained yet (issue 17's
    // closing note). Two failures in a row still fail the run.
    retry: 1,
    env: {
      STORAGE_DIR: `${tmpdir()}/portal-ops-uploads`,
      KEYS_DIR: `${tmpdir()}/portal-ops-keys`,
      OUTBOX_DIR: `${tmpdir()}/portal-ops-outbox`,
    },
  },
});
