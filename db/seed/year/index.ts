/**
 * `npm run seed:year -- --scale quangninh-2023|quangninh-2026|demo|small [--seed N] [--replace] [--events|--no-events] [--dossiers N]`
 * Generates a province-year by simulation (docs/seed-year.md) into DATABASE_URL, or into the embedded
 * database of `npm start` when it is unset, then prints the metrics the portal computes from it. Runs as the
 * owner role (DATABASE_OWNER_URL when set): `--replace` deletes history under the maintenance switch.
 */
import { parseArgs } from "node:util";
import { missingDataMessage } from "./data-files.ts";

// Before the modules that read db/data are loaded: a missing file is one line and exit code 1.
const missing = missingDataMessage();
if (missing) {
  console.error(missing);
  process.exit(1);
}

const { ownerConnectionString, ownerDb, startDatabase, stopDatabase } = await import(
  "../../../app/server/db.server.ts"
);
const { refuseInProduction } = await import("../../../app/server/env.server.ts");
const { migrateToLatest } = await import("../../../app/server/migrate.server.ts");
const { formatTable, reportRows } = await import("./report.ts");
const { SCALES, PeriodNotStartedError } = await import("./scales.ts");
const { seedYear, YearAlreadySeededError } = await import("./seed-year.ts");
const { DataFileMissingError } = await import("./catalogue.ts");
type RollupMode = import("./load.ts").RollupMode;

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
  if (
    error instanceof YearAlreadySeededError ||
    error instanceof DataFileMissingError ||
    error instanceof PeriodNotStartedError
  ) {
    console.error(error.message);
    exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await stopDatabase();
}
process.exit(exitCode);
