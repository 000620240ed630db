/**
 * Imported first by bench/dashboard.bench.ts: points DATABASE_URL at the benchmark's own database
 * (bench_dashboard_<N> on DATABASE_URL's server, or on the embedded test server) before the app's
 * `db` module is loaded, so the app's own loaders run against the benchmark data.
 */
import { parseArgs } from "node:util";
import { embeddedUrl } from "../app/server/embedded-pg.server.ts";

const { values } = parseArgs({ options: { dossiers: { type: "string", default: "861990" } }, strict: false });

export const BENCH_DB_NAME = `bench_dashboard_${Number(values.dossiers)}`;
export const BENCH_EMBEDDED = !process.env.DATABASE_URL;
export const BENCH_SERVER_URL =
  process.env.DATABASE_URL ?? embeddedUrl(Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54339), "postgres");

const url = new URL(BENCH_SERVER_URL);
url.pathname = `/${BENCH_DB_NAME}`;
process.env.DATABASE_URL = url.toString();
