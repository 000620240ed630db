import { tmpdir } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["app/**/*.test.ts", "db/**/*.test.ts", "tests/**/*.test.ts", "tests/**/*.test.tsx"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    globalSetup: ["tests/global-setup.ts"],
    pool: "forks",
    // Files, keys and the outbox written by tests stay out of the project's .data folder.
    env: {
      STORAGE_DIR: `${tmpdir()}/portal-test-uploads`,
      KEYS_DIR: `${tmpdir()}/portal-test-keys`,
      LOG_LEVEL: "warn",
      OUTBOX_DIR: `${tmpdir()}/portal-test-outbox`,
    },
  },
});
