/**
 * Throughput of one instance against two behind HAProxy (docs/operations.md): the catalogue page (GET) with
 * autocannon, and complete online filings (draft, two PDF attachments, submit) by concurrent citizens.
 * Its own PostgreSQL in /tmp (tests/ops/pg.ts), the built server (npm run build first).
 *
 *   npx tsx bench/cluster.bench.ts            # BENCH_SECONDS=15 BENCH_CONCURRENCY=4
 */
import autocannon from "autocannon";
import { startCluster } from "../scripts/cluster.ts";
import { fileBirthRegistration, signIn } from "../tests/ops/http.ts";
import { OPS, query, startPrimary } from "../tests/ops/pg.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

const primary = startPrimary("bench-primary", OPS.pgPort + 4);
await query(primary.url(), "create database portal");
const cluster = await startCluster({
  instances: 2,
  proxyPort: OPS.proxyPort,
  appPort: OPS.appPort,
  gatewayPort: OPS.gatewayPort,
  env: { ...process.env, DATABASE_URL: primary.url("portal"), PORTAL_MODE: "demo", AUTH_RATE_LIMIT: "100000" },
});

async function pageRate(base: string): Promise<number> {
  const result = await autocannon({ url: `${base}/procedures`, connections: 8, duration: SECONDS });
  return result.requests.average;
}

async function filingRate(base: string): Promise<{ perSecond: number; failed: number }> {
  const citizen = await signIn("022090000001", base);
  let done = 0;
  let failed = 0;
  let n = 0;
  const end = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const f = await fileBirthRegistration(base, citizen, `Bench Bé ${String.fromCharCode(65 + (n++ % 26))}`);
        if (f.outcome === "acknowledged") done++;
        else failed++;
      }
    }),
  );
  return { perSecond: done / SECONDS, failed };
}

try {
  const one = `http://127.0.0.1:${OPS.appPort}`;
  const rows = [["catalogue page (GET /procedures), requests/s", await pageRate(one), await pageRate(cluster.url)]];
  const f1 = await filingRate(one);
  const f2 = await filingRate(cluster.url);
  rows.push(["complete online filings/s", f1.perSecond, f2.perSecond]);
  console.log(
    `\n${SECONDS} s each, ${CONCURRENCY} filing citizens, 8 page connections; 1 instance vs 2 behind HAProxy`,
  );
  for (const [what, a, b] of rows) console.log(`  ${what}: ${Number(a).toFixed(1)} vs ${Number(b).toFixed(1)}`);
  console.log(`  filings that failed: ${f1.failed} / ${f2.failed}`);
} finally {
  await cluster.stop();
  primary.destroy();
}
