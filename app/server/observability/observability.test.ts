/**
 * Signals end to end through Express: the request id (honoured or generated, returned), the request's JSON log
 * line (id, method, route PATTERN, status, duration), the latency histogram in the Prometheus exposition, and
 * the id carried into a job queued during the request and into that job's log line (real graphile-worker).
 */
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { runOnce } from "graphile-worker";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type ScratchDatabase, testTargets } from "../../../tests/test-database.ts";
import type { Database } from "../db.server.ts";
import { enqueueJob } from "../jobs/queue.server.ts";
import { withJobLogs } from "../jobs/worker.server.ts";
import { requestObservability, routeMatcher } from "./http.server.ts";
import { createLogger } from "./logger.server.ts";
import { metrics, metricsText, watchPool } from "./metrics.server.ts";
import { mayReadMetrics } from "./metrics-access.server.ts";

/** A pino destination that keeps the parsed lines. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger(stream, "info") };
}

// The shape of a Remix build's route manifest (ids and paths relative to the parent, pathless layouts).
const MANIFEST = {
  root: { id: "root", path: "" },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true },
  "routes/_citizen": { id: "routes/_citizen", parentId: "root" },
  "routes/_citizen.dossiers.$id._index": {
    id: "routes/_citizen.dossiers.$id._index",
    parentId: "routes/_citizen",
    path: "dossiers/:id",
    index: true,
  },
  "routes/healthz": { id: "routes/healthz", parentId: "root", path: "healthz" },
  "routes/$": { id: "routes/$", parentId: "root", path: "*" },
};

describe("route patterns", () => {
  it("names the deepest Remix route, never the URL", () => {
    const routeOf = routeMatcher(MANIFEST);
    expect(routeOf("/")).toBe("routes/_index");
    expect(routeOf("/dossiers/4f0c2e9a-1111-2222-3333-444455556666")).toBe("routes/_citizen.dossiers.$id._index");
    expect(routeOf("/healthz")).toBe("routes/healthz");
    expect(routeOf("/no/such/page")).toBe("routes/$");
    expect(routeMatcher({ root: { id: "root", path: "" } })("/x")).toBe("unmatched");
  });
});

describe("who may read /metrics", () => {
  it("admits a direct loopback caller or the bearer token, nobody else", () => {
    expect(mayReadMetrics({ remoteAddress: "127.0.0.1" }, undefined)).toBe(true);
    expect(mayReadMetrics({ remoteAddress: "::1" }, undefined)).toBe(true);
    expect(mayReadMetrics({ remoteAddress: "127.3.4.5" }, undefined)).toBe(true);
    expect(mayReadMetrics({ remoteAddress: "::ffff:127.0.0.1" }, undefined)).toBe(true);
    expect(mayReadMetrics({ remoteAddress: "128.0.0.1" }, undefined)).toBe(false);
    expect(mayReadMetrics({ remoteAddress: "::ffff:10.0.0.1" }, undefined)).toBe(false);
    expect(mayReadMetrics({ remoteAddress: "203.0.113.5" }, undefined)).toBe(false);
    // A reverse proxy on this machine forwards outside visitors: not "local".
    expect(mayReadMetrics({ remoteAddress: "127.0.0.1", forwardedFor: "203.0.113.5" }, undefined)).toBe(false);
    const token = "s3cret-metrics-token-0123456789abcdef";
    expect(mayReadMetrics({ remoteAddress: "203.0.113.5", authorization: `Bearer ${token}` }, token)).toBe(true);
    expect(mayReadMetrics({ remoteAddress: "203.0.113.5", authorization: "Bearer wrong" }, token)).toBe(false);
    expect(mayReadMetrics({ remoteAddress: "203.0.113.5", authorization: `Bearer ${token}` }, undefined)).toBe(false);
  });
});

describe.each(testTargets().slice(-1))("request id, logs and metrics on $label PostgreSQL", (target) => {
  let db: Kysely<Database>;
  let scratch: ScratchDatabase;
  let close: () => Promise<void>;
  let base: string;
  let server: ReturnType<express.Express["listen"]>;
  const requestLog = capture();

  beforeAll(async () => {
    ({ db, scratch, close } = await openTestDb(target));
    const app = express();
    app.use(requestObservability({ logger: requestLog.logger, routeOf: routeMatcher(MANIFEST) }));
    app.post("/dossiers/:id", async (_req, res) => {
      await db.transaction().execute((trx) => enqueueJob(trx, "probe", { n: 1 }));
      res.status(201).send("queued");
    });
    app.get("/healthz", (_req, res) => {
      res.send("ok");
    });
    server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.close();
    await close();
  });

  it("returns a generated id, or the caller's own, and logs one line per request with the route pattern", async () => {
    const generated = await fetch(`${base}/healthz`);
    const id = generated.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const honoured = await fetch(`${base}/healthz`, { headers: { "X-Request-Id": "edge-7f3a.1" } });
    expect(honoured.headers.get("x-request-id")).toBe("edge-7f3a.1");
    // A header that is not a plain token (log injection) is replaced.
    const odd = await fetch(`${base}/healthz`, { headers: { "X-Request-Id": 'a b"c' } });
    expect(odd.headers.get("x-request-id")).not.toBe('a b"c');

    const line = requestLog.lines.find((l) => l.requestId === "edge-7f3a.1");
    expect(line).toMatchObject({ method: "GET", route: "routes/healthz", status: 200, msg: "request", level: "info" });
    expect(typeof line?.durationMs).toBe("number");
    expect(requestLog.lines.some((l) => l.requestId === id)).toBe(true);
  });

  it("counts the request in the latency histogram under its route id", async () => {
    await fetch(`${base}/healthz`);
    const text = await metricsText(db);
    expect(text).toMatch(
      /portal_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="routes\/healthz",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /portal_http_request_duration_seconds_count\{method="GET",route="routes\/healthz",status="200"\} [1-9]/,
    );
    expect(text).toContain("# TYPE portal_process_cpu_seconds_total counter");
    expect(text).not.toContain("/dossiers/");
  });

  it("exports the job queue depth and the pool's usage", async () => {
    await db.transaction().execute((trx) => enqueueJob(trx, "probe_waiting", {}));
    const { default: pg } = await import("pg");
    const watched = new pg.Pool({ connectionString: scratch.url, max: 3 });
    watchPool("test", watched);
    const client = await watched.connect();
    try {
      const text = await metricsText(db);
      expect(text).toMatch(/portal_job_queue_jobs\{state="ready"\} [1-9]/);
      expect(text).toContain('portal_db_pool_connections{pool="test"} 1');
      expect(text).toContain('portal_db_pool_idle{pool="test"} 0');
      expect(text).toContain('portal_db_pool_waiting{pool="test"} 0');
    } finally {
      client.release();
      metrics.pools.delete("test");
      await watched.end();
      await sql`delete from graphile_worker._private_jobs`.execute(db);
    }
  });

  it("carries the request id into the job's payload and the job's log line", async () => {
    const response = await fetch(`${base}/dossiers/abc`, { method: "POST", headers: { "X-Request-Id": "req-job-42" } });
    expect(response.status).toBe(201);
    expect(requestLog.lines.find((l) => l.requestId === "req-job-42")).toMatchObject({
      method: "POST",
      route: "routes/_citizen.dossiers.$id._index",
      status: 201,
    });
    const job = await sql<{ payload: { n: number; requestId: string } }>`
      select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'probe'`.execute(
      db,
    );
    expect(job.rows[0]?.payload).toEqual({ n: 1, requestId: "req-job-42" });

    const jobLog = capture();
    const seen: unknown[] = [];
    await runOnce({
      connectionString: scratch.url,
      taskList: withJobLogs({ probe: async (payload) => void seen.push(payload) }, jobLog.logger),
      logger: (await import("../jobs/queue.server.ts")).quietLogger,
    });
    expect(seen).toHaveLength(1);
    expect(jobLog.lines).toEqual([
      expect.objectContaining({ task: "probe", requestId: "req-job-42", msg: "job done", level: "info" }),
    ]);
  });

  it("a job queued outside any request has no request id", async () => {
    await db.transaction().execute((trx) => enqueueJob(trx, "probe", { n: 2 }));
    const job = await sql<{ payload: Record<string, unknown> }>`
      select j.payload from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'probe'`.execute(
      db,
    );
    expect(job.rows[0]?.payload).toEqual({ n: 2 });
  });
});
