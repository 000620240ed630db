/**
 * Regenerates db/schema.generated.ts: migrates a scratch database to latest, then runs kysely-codegen
 * against it. Uses DATABASE_URL's server when set, otherwise the embedded PostgreSQL.
 * `npm run db:types -- --check` fails when the committed file is out of date.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createScratchDatabase } from "../tests/test-database.ts";

const check = process.argv.includes("--check");
const out = "db/schema.generated.ts";
const scratch = await createScratchDatabase(process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL);
try {
  const target = check ? ".cache/schema.check.ts" : out;
  fs.mkdirSync(".cache", { recursive: true });
  execFileSync(
    "npx",
    [
      "kysely-codegen",
      "--dialect",
      "postgres",
      "--url",
      scratch.url,
      "--out-file",
      target,
      "--log-level",
      "warn",
      "--date-parser",
      "string",
      "--type-mapping",
      JSON.stringify({ int8: "number" }),
    ],
    { stdio: "inherit" },
  );
  if (check && fs.readFileSync(target, "utf8") !== fs.readFileSync(out, "utf8")) {
    console.error(`${out} is out of date: run npm run db:types`);
    process.exitCode = 1;
  }
} finally {
  await scratch.drop();
}
