/**
 * A read replica (ADR 022): the portal with DATABASE_URL = a primary and REPLICA_DATABASE_URL = its streaming
 * replica (pg_basebackup -R, Debian's PostgreSQL 15, both in /tmp). A dossier written on the primary shows in
 * the open-data API and the manager's dashboard served from the replica within the bound; a replica held
 * back beyond REPLICA_MAX_LAG_MS, or stopped, makes the portal read the primary and say so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../../scripts/cluster.ts";
import { csrfOf, signIn } from "./http.ts";
import { OPS, type PgServer, pgAvailable, query, startPrimary, startReplica } from "./pg.ts";

const MAX_LAG_MS = 3000;
let primary: PgServer;
let replica: PgServer;
let cluster: Cluster;

beforeAll(async () => {
  const missing = pgAvailable();
  if (missing) throw new Error(missing);
  primary = startPrimary("replica-primary", OPS.pgPort + 1);
  await query(primary.url(), "create database portal");
  replica = startReplica(primary, "replica-standby", OPS.pgPort + 2);
  cluster = await startCluster({
    instances: 1,
    proxyPort: OPS.proxyPort,
    appPort: OPS.appPort,
    gatewayPort: OPS.gatewayPort,
    env: {
      ...process.env,
      DATABASE_URL: primary.url("portal"),
      REPLICA_DATABASE_URL: replica.url("portal"),
      REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
      REPLICA_CHECK_MS: "200",
      PORTAL_MODE: "demo",
      // No statistics kept between requests: every answer is read afresh (stats-cache.server.ts).
      STATS_CACHE_CURRENT_MS: "0",
      API_RATE_LIMIT: "10000",
    },
  });
});

afterAll(async () => {
  await cluster?.stop();
  replica?.destroy();
  primary?.destroy();
});

const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

async function metrics(): Promise<{ received: number; source: string | null; lag: string | null }> {
  const res = await fetch(`${cluster.url}/api/v1/metrics?from=${today()}&to=${today()}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { received: number };
  return {
    received: body.received,
    source: res.headers.get("x-read-source"),
    lag: res.headers.get("x-replica-lag-ms"),
  };
}

/** A counter intake by a clerk: one dossier received now, written on the primary. */
async function receiveOneDossier(): Promise<void> {
  const clerk = await signIn("canbo.honggai", cluster.url);
  const page = await (await fetch(`${cluster.url}/clerk/intake`, { headers: { cookie: clerk.cookie } })).text();
  const procedure = /<option value="([^"]+)"/.exec(page.slice(page.indexOf('name="procedureCode"')))?.[1];
  expect(procedure).toBeTruthy();
  const res = await fetch(`${cluster.url}/clerk/intake`, {
    method: "POST",
    headers: { cookie: clerk.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      csrf: csrfOf(page),
      procedureCode: procedure ?? "",
      channel: "counter",
      nationalId: "022090000001",
      fullName: "Nguyễn Văn An",
      phone: "",
    }),
    redirect: "manual",
  });
  expect(res.status, await res.text()).toBe(302);
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  let last = await probe();
  while (!ok(last) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100));
    last = await probe();
  }
  if (!ok(last)) throw new Error(`${what}: last answer ${JSON.stringify(last)}`);
  return last;
}

describe("statistics from a streaming replica", () => {
  it("is a real standby streaming from the primary", async () => {
    const [r] = await query<{ standby: boolean }>(replica.url(), "select pg_is_in_recovery() as standby");
    expect(r?.standby).toBe(true);
    const senders = await query(primary.url(), "select state from pg_stat_replication");
    expect(senders.map((s) => s.state)).toContain("streaming");
  });

  it("shows a dossier written on the primary, read from the replica, within the bound", async () => {
    const before = await metrics();
    expect(before.source).toBe("replica");
    const written = Date.now();
    await receiveOneDossier();
    const after = await until(
      "the new dossier on the replica",
      metrics,
      (m) => m.received === before.received + 1,
      MAX_LAG_MS,
    );
    const seenAfterMs = Date.now() - written;
    expect(after.source).toBe("replica");
    console.log(
      `replica: dossier visible through the API ${seenAfterMs} ms after its write began (intake request included); lag reported ${after.lag} ms; bound ${MAX_LAG_MS} ms`,
    );
    // The manager's dashboard says where its figures come from.
    const manager = await signIn("lanhdao.tinh", cluster.url);
    const dash = await (await fetch(`${cluster.url}/manager`, { headers: { cookie: manager.cookie } })).text();
    expect(dash).toContain('data-read-source="replica"');
    expect(dash).toMatch(/bản sao chỉ đọc/);
  });

  it("reads the primary, and says so, while the replica is further behind than the bound", async () => {
    await query(replica.url(), "select pg_wal_replay_pause()");
    try {
      const before = await metrics();
      await receiveOneDossier();
      // Replay is paused: once the replica's last replayed commit is older than the bound, the primary answers.
      const after = await until(
        "fallback to the primary",
        metrics,
        (m) => m.source === "primary; replica lagging" && m.received === before.received + 1,
        MAX_LAG_MS + 5000,
      );
      expect(Number(after.lag)).toBeGreaterThan(MAX_LAG_MS);
      const manager = await signIn("lanhdao.tinh", cluster.url);
      const dash = await (await fetch(`${cluster.url}/manager`, { headers: { cookie: manager.cookie } })).text();
      expect(dash).toMatch(/quá mức cho phép/);
    } finally {
      await query(replica.url(), "select pg_wal_replay_resume()");
    }
    await until("back on the replica", metrics, (m) => m.source === "replica", 10_000);
  });

  it("reads the primary when the replica is down, and answers", async () => {
    replica.stop("fast");
    try {
      const m = await until("fallback when down", metrics, (x) => x.source === "primary; replica unavailable", 10_000);
      expect(m.received).toBeGreaterThan(0);
    } finally {
      replica.start();
    }
    await until("back on the replica", metrics, (m) => m.source === "replica", 20_000);
  });
});
