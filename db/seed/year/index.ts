/**
 * `npm run seed:year -- --scale quangninh-2023 [--seed N] [--replace] [--events|--no-events] [--dossiers N]`
 * Generates a province-year by simulation (docs/seed-year.md) into DATABASE_URL, or into the embedded
 * database of `npm start` when it is unset, then prints the metrics the portal computes from it. Runs as the
 * owner role (DATABASE_OWNER_URL when set): `--replace` deletes history under the maintenance switch.
 */
import { parseArgs } from "node:util";
import { ownerConnectionString, ownerDb, startDatabase, stopDatabase } from "../../../app/server/db.server.ts";
import { refuseInProduction } from "../../../app/server/env.server.ts";
import { migrateToLatest } from "../../../app/server/migrate.server.ts";
import type { RollupMode } from "./load.ts";
import { formatTable, reportRows } from "./report.ts";
import { SCALES } from "./scales.ts";
import { seedYear, YearAlreadySeededError } from "./seed-year.ts";

refuseInProduction("npm run seed:year");

const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "demo" },
    seed: { type: "string", default: "1" },
    replace: { type: "boolean", default: false },
    events: { type: "boolean" },
    "no-events": { type: "boolean" },
    dossiers: { type: "string" },
    batch: { type: "string" },
    connections: { type: "string" },
    now: { type: "string" },
    rollup: { type: "string" },
    "no-report": { type: "boolean", default: false },
  },
});

if (!values.scale || !SCALES[values.scale]) {
  console.error(`Unknown --scale ${values.scale}; known: ${Object.keys(SCALES).join(", ")}`);
  process.exit(2);
}
const positive = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v.replaceAll(/[,_]/g, ""));
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
};
if (values.rollup !== undefined && !["triggers", "rebuild"].includes(values.rollup)) {
  console.error("--rollup must be triggers or rebuild");
  process.exit(2);
}
const now = values.now ? new Date(values.now) : undefined;
if (now && Number.isNaN(now.getTime())) {
  console.error("--now must be an ISO 8601 date-time");
  process.exit(2);
}

await startDatabase();
let exitCode = 0;
try {
  await migrateToLatest(ownerDb());
  const result = await seedYear(ownerConnectionString(), {
    scale: values.scale,
    seed: values.seed ?? "1",
    replace: values.replace,
    events: values["no-events"] ? "none" : values.events ? "all" : undefined,
    dossiers: positive(values.dossiers, "dossiers"),
    batchSize: positive(values.batch, "batch"),
    rollup: values.rollup as RollupMode | undefined,
    connections: positive(values.connections, "connections"),
    now,
    report: !values["no-report"],
    log: (line) => console.log(line),
  });
  if (result.report) {
    console.log(`\nMetrics for ${result.period.from}..${result.period.to}, computed by the portal (metricsFor):\n`);
    console.log(formatTable(reportRows(result.report, result.scale.reported), result.scale.reported));
  }
} catch (error) {
  if (error instanceof YearAlreadySeededError) {
    console.error(error.message);
    exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await stopDatabase();
}
process.exit(exitCode);
