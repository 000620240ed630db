/**
 * Several instances behind HAProxy behave as one portal (npm run cluster, ADR 022): a session and its CSRF
 * token made on one instance work on another, the auth rate limit is counted across instances, a scheduled
 * job runs once per tick however many workers there are, the gateway simulator runs once and every instance
 * re-uses it, and every instance starts cleanly. Its own PostgreSQL in /tmp (tests/ops/pg.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_CACHE_MS } from "../../app/server/session.server.ts";
import { type Cluster, startCluster } from "../../scripts/cluster.ts";
import { csrfOf, mergeCookies, signIn } from "./http.ts";
import { OPS, type PgServer, pgAvailable, query, startPrimary } from "./pg.ts";

const missing = pgAvailable();
let primary: PgServer;
let cluster: Cluster;
let dbUrl: string;

beforeAll(async () => {
  if (missing) throw new Error(missing);
  primary = startPrimary("cluster-primary", OPS.pgPort);
  await query(primary.url(), "create database portal");
  dbUrl = primary.url("portal");
  cluster = await startCluster({
    instances: 2,
    proxyPort: OPS.proxyPort,
    appPort: OPS.appPort,
    gatewayPort: OPS.gatewayPort,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORTAL_MODE: "demo",
      AUTH_RATE_LIMIT: "30",
      // Reconciliation every minute, so a tick is seen within the test's time.
      RECONCILE_CRON: "* * * * *",
    },
  });
});

afterAll(async () => {
  await cluster?.stop();
  primary?.destroy();
});

const direct = (i: number) => `http://127.0.0.1:${OPS.appPort + i}`;

describe("a cluster of two instances behind HAProxy", () => {
  it("starts every instance cleanly, and the gateway and signing simulators once", () => {
    for (const instance of cluster.instances) {
      const log = instance.lines.join("\n");
      expect(log, instance.name).toMatch(/is running at/);
      expect(log, instance.name).not.toMatch(/could not start|Unhandled|EADDRINUSE/);
      // The simulator was started by the cluster; each instance found it and said it re-uses it.
      expect(log, instance.name).toMatch(/re-using the one already running at http:\/\/127\.0\.0\.1:/);
      expect(log, instance.name).not.toMatch(/simulator \(demo\) started at/);
    }
    expect(cluster.gateway.started).toBe(true);
    expect(cluster.gateway.lines.filter((l) => /Gateway simulator listening/.test(l))).toHaveLength(1);
    // The remote signing simulator likewise: one process, and every instance says it re-uses it.
    expect(cluster.signing.started).toBe(true);
    for (const instance of cluster.instances)
      expect(instance.lines.join("\n"), instance.name).toMatch(/Remote signing simulator \(demo\): re-using/);
    // Only the first instance migrated and seeded; the second found the work done.
    expect(cluster.instances[0]?.lines.join("\n")).toMatch(/Seeded demo data/);
    expect(cluster.instances[1]?.lines.join("\n")).not.toMatch(/Seeded demo data|Applied migrations/);
  });

  it("serves through the proxy from both instances", async () => {
    const before = await query<{ n: number }>(dbUrl, "select count(*)::int as n from users");
    expect(before[0]?.n).toBeGreaterThan(0);
    for (let i = 0; i < 4; i++) expect((await fetch(`${cluster.url}/api/health`)).status).toBe(200);
  });

  it("keeps a session and its CSRF token across instances", async () => {
    // Form from instance 1, posted to instance 2, session used on instance 1.
    const citizen = await signIn("022090000001", direct(0), direct(1), direct(0));
    const mine = await fetch(`${direct(0)}/dossiers`, { headers: { cookie: citizen.cookie }, redirect: "manual" });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('action="/auth/logout"');
    // A state-changing form: the token read on instance 1 is accepted by instance 2 (log out).
    const out = await fetch(`${direct(1)}/auth/logout`, {
      method: "POST",
      headers: { cookie: citizen.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: citizen.csrf }),
      redirect: "manual",
    });
    expect(out.status).toBe(302);
    // The session ended everywhere: at once on instance 2, and on instance 1 once its short memory of "who is
    // this" (SESSION_CACHE_MS, 2 s, app/server/session.server.ts) has passed.
    const afterHere = await fetch(`${direct(1)}/dossiers`, { headers: { cookie: citizen.cookie }, redirect: "manual" });
    expect(await afterHere.text()).not.toContain('action="/auth/logout"');
    await new Promise((r) => setTimeout(r, SESSION_CACHE_MS + 100));
    const after = await fetch(`${direct(0)}/dossiers`, { headers: { cookie: citizen.cookie }, redirect: "manual" });
    expect(await after.text()).not.toContain('action="/auth/logout"');
    // A wrong token is refused by either instance.
    const login = await fetch(`${direct(0)}/auth/login`);
    const cookie = mergeCookies("", login);
    csrfOf(await login.text());
    const forged = await fetch(`${direct(1)}/auth/login`, {
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: "forged", identifier: "022090000001", password: "x" }),
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
  });

  it("counts the auth rate limit (30 a minute) across instances", async () => {
    await query(dbUrl, "delete from rate_limit_hits");
    const statuses: number[] = [];
    for (let i = 0; i < 36; i++) {
      const res = await fetch(`${direct(i % 2)}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrf: "x", identifier: "022090000001", password: "wrong" }),
        redirect: "manual",
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const limited = statuses.filter((s) => s === 429).length;
    expect(statuses.slice(0, 30).includes(429), statuses.join(",")).toBe(false);
    expect(limited).toBe(6);
    // And through the proxy: still limited, whichever instance answers.
    const viaProxy = await fetch(`${cluster.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "identifier=x",
    });
    expect(viaProxy.status).toBe(429);
  });

  it("runs a scheduled job once per tick, with a worker in every instance", async () => {
    // Every job graphile-worker adds is recorded by a trigger of the test (the app is not changed for it).
    await query(
      dbUrl,
      `create table ops_jobs_added (id serial primary key, task text, payload json, at timestamptz default now());
       create function ops_record_job() returns trigger language plpgsql as $$
       begin
         insert into ops_jobs_added (task, payload)
           select t.identifier, new.payload from graphile_worker._private_tasks t where t.id = new.task_id;
         return new;
       end $$;
       create trigger ops_record_job after insert on graphile_worker._private_jobs
         for each row execute function ops_record_job();`,
    );
    const deadline = Date.now() + 75_000;
    let ticks: Array<{ ts: string; n: number }> = [];
    while (Date.now() < deadline) {
      ticks = await query<{ ts: string; n: number }>(
        dbUrl,
        `select payload->'_cron'->>'ts' as ts, count(*)::int as n from ops_jobs_added
         where task = 'reconcile_payments' group by 1 order by 1`,
      );
      if (ticks.length >= 1) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    await new Promise((r) => setTimeout(r, 5000));
    ticks = await query<{ ts: string; n: number }>(
      dbUrl,
      `select payload->'_cron'->>'ts' as ts, count(*)::int as n from ops_jobs_added
       where task = 'reconcile_payments' group by 1 order by 1`,
    );
    console.log(`cron ticks of reconcile_payments seen: ${JSON.stringify(ticks)}`);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    for (const tick of ticks) expect(tick.n, `tick ${tick.ts}`).toBe(1);
    // Both instances run a worker (each logs it), so "once" is not because only one worker was there.
    for (const instance of cluster.instances) expect(instance.lines.join("\n")).toMatch(/Job queue worker started/);
  });
});
