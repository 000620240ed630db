/**
 * Faults survived (ADR 022, docs/operations.md): two instances behind HAProxy on a PostgreSQL of the test's
 * own, a steady stream of online filings (birth registration, two PDF attachments) and online payments (a
 * clerk's counter intake of a fixed-fee dossier, which the citizen pays on the gateway simulator), all over
 * HTTP through the proxy. Meanwhile: one instance is killed (SIGKILL) and restarted, PostgreSQL is
 * restarted, and the uploads folder — a 2 MB tmpfs — is filled up. Afterwards every acknowledged submission
 * exists exactly once, every payment the gateway captured is booked exactly once (IPN, or reconciliation
 * for the IPNs that failed), and no notification job is lost. The numbers are printed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../../scripts/cluster.ts";
import { csrfOf, fileBirthRegistration, signIn, type Visitor } from "./http.ts";
import { OPS, type PgServer, pgAvailable, query, startPrimary } from "./pg.ts";

const LOAD_SECONDS = Number(process.env.OPS_FAULT_SECONDS ?? 30);
const uploads = `${OPS.dirPrefix}uploads`;
let mounted = false;
let primary: PgServer;
let cluster: Cluster;
let dbUrl: string;

beforeAll(async () => {
  const missing = pgAvailable();
  if (missing) throw new Error(missing);
  primary = startPrimary("faults-primary", OPS.pgPort + 3);
  await query(primary.url(), "create database portal");
  dbUrl = primary.url("portal");
  // A small filesystem of its own for the uploads, so it can be filled without filling the machine's disk.
  fs.mkdirSync(uploads, { recursive: true });
  spawnSync("umount", [uploads]);
  mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", uploads]).status === 0;
  if (!mounted) console.log(`Could not mount a tmpfs on ${uploads} (not root?): the full-disk fault is skipped.`);
  cluster = await startCluster({
    instances: 2,
    proxyPort: OPS.proxyPort,
    appPort: OPS.appPort,
    gatewayPort: OPS.gatewayPort,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PORTAL_MODE: "demo",
      STORAGE_DIR: uploads,
      // Captured payments whose IPN failed are asked about at the next minute's reconciliation.
      RECONCILE_CRON: "* * * * *",
      PAYMENT_RECONCILE_AFTER_MINUTES: "0.2",
      AUTH_RATE_LIMIT: "10000",
    },
  });
});

afterAll(async () => {
  await cluster?.stop();
  primary?.destroy();
  if (mounted) spawnSync("umount", [uploads]);
});

type Outcome = "acknowledged" | "failed" | "error";
type Op = {
  kind: "filing" | "payment";
  outcome: Outcome;
  status?: number;
  step?: string;
  id?: string;
  name?: string;
  /** Seconds since the load began, when the operation ended. */
  t?: number;
};

/** 1 → "A", 27 → "AA": names take no digits. */
function letters(n: number): string {
  let out = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A clerk registers a household-business dossier (fixed fee) at the counter; the citizen pays it online. */
async function payOnce(base: string, clerk: Visitor, citizen: Visitor, procedure: string): Promise<Op> {
  let res = await fetch(`${base}/clerk/intake`, {
    method: "POST",
    headers: { cookie: clerk.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      csrf: clerk.csrf,
      procedureCode: procedure,
      channel: "counter",
      nationalId: "022090000001",
      fullName: "Nguyễn Văn An",
      phone: "",
    }),
    redirect: "manual",
  });
  const id = /\/clerk\/dossiers\/([0-9a-f-]{36})/.exec(res.headers.get("location") ?? "")?.[1];
  await res.arrayBuffer();
  if (res.status !== 302 || !id) return { kind: "payment", outcome: "failed", status: res.status, step: "intake" };
  res = await fetch(`${base}/dossiers/${id}`, {
    method: "POST",
    headers: { cookie: citizen.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf: citizen.csrf, intent: "pay" }),
    redirect: "manual",
  });
  const payUrl = res.headers.get("location") ?? "";
  await res.arrayBuffer();
  if (res.status !== 302 || !payUrl.includes("/paymentv2/"))
    return { kind: "payment", outcome: "failed", status: res.status, step: "pay", id };
  const page = await (await fetch(payUrl)).text();
  const token = /name="token" value="([^"]+)"/.exec(page)?.[1] ?? "";
  res = await fetch(`${new URL(payUrl).origin}/paymentv2/confirm`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, bank: "NCB", action: "approve" }),
    redirect: "manual",
  });
  await res.arrayBuffer();
  // 303: the gateway captured the money. From here the portal must book it exactly once.
  if (res.status !== 303) return { kind: "payment", outcome: "failed", status: res.status, step: "gateway", id };
  return { kind: "payment", outcome: "acknowledged", id };
}

describe("faults under a steady load", () => {
  it("loses no acknowledged submission, payment or job", async () => {
    const base = cluster.url;
    const citizen = await signIn("022090000001", base);
    const clerk = await signIn("canbo.halong", base);
    const intakePage = await (await fetch(`${base}/clerk/intake`, { headers: { cookie: clerk.cookie } })).text();
    clerk.csrf = csrfOf(intakePage);
    const procedure = /<option value="([^"]+)"[^>]*>[^<]*Đăng ký thành lập hộ kinh doanh/.exec(intakePage)?.[1];
    expect(procedure, "the household-business procedure in the clerk's list").toBeTruthy();

    const ops: Op[] = [];
    const events: string[] = [];
    const started = Date.now();
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    let running = true;
    let n = 0;
    const loop = async (kind: Op["kind"]) => {
      while (running) {
        const name = `Ops Bé ${letters(++n)}`;
        try {
          const op =
            kind === "filing"
              ? await fileBirthRegistration(base, citizen, name).then((f): Op => ({ kind, ...f, name }))
              : await payOnce(base, clerk, citizen, procedure ?? "");
          ops.push({ ...op, t: (Date.now() - started) / 1000 });
          if (op.outcome !== "acknowledged") await sleep(200);
        } catch (error) {
          // The connection broke (an instance died mid-request): the outcome is unknown to the client.
          const cause = String((error as Error).cause ?? error).slice(0, 80);
          ops.push({ kind, outcome: "error", step: cause, name, t: (Date.now() - started) / 1000 });
          await sleep(200);
        }
      }
    };
    const load = Promise.all([loop("filing"), loop("filing"), loop("payment")]);

    const faults = (async () => {
      const step = LOAD_SECONDS / 6;
      await sleep(step * 1000);
      events.push(`${at()} kill -9 app2`);
      cluster.instances[1]?.kill();
      await sleep(step * 1000);
      events.push(`${at()} restart app2`);
      await cluster.instances[1]?.start();
      events.push(`${at()} app2 up`);
      await sleep(step * 500);
      events.push(`${at()} restart PostgreSQL`);
      primary.stop("fast");
      await sleep(1000);
      primary.start();
      events.push(`${at()} PostgreSQL up`);
      await sleep(step * 1000);
      if (mounted) {
        events.push(`${at()} fill the uploads tmpfs`);
        const filler = path.join(uploads, "filler.bin");
        const fd = fs.openSync(filler, "w");
        try {
          for (;;) fs.writeSync(fd, Buffer.alloc(64 * 1024));
        } catch (error) {
          events.push(`${at()} uploads full (${(error as NodeJS.ErrnoException).code})`);
        } finally {
          fs.closeSync(fd);
        }
        await sleep(step * 1000);
        fs.rmSync(filler);
        events.push(`${at()} uploads freed`);
      }
      await sleep(step * 1000);
    })();
    await faults;
    running = false;
    await load;
    events.push(`${at()} load stopped`);

    // Let the system settle: reconciliation (every minute here) books captured payments whose IPN failed,
    // and the job queue delivers the notifications.
    const captured = async () =>
      (
        (await (await fetch(`${cluster.gateway.url}/_sim/transactions`)).json()) as Array<{
          txnRef: string;
          status: string;
        }>
      ).filter((t) => t.status === "approved");
    const unbooked = async () => {
      const refs = (await captured()).map((t) => t.txnRef);
      if (refs.length === 0) return [];
      const rows = await query<{ order_ref: string; n: number }>(
        dbUrl,
        "select order_ref, count(*)::int as n from payments where order_ref = any($1) and status = 'paid' group by 1",
        [refs],
      );
      const booked = new Map(rows.map((r) => [r.order_ref, r.n]));
      return refs.filter((r) => booked.get(r) !== 1);
    };
    const pendingJobs = async () =>
      (await query<{ n: number }>(dbUrl, "select count(*)::int as n from notifications where sent_at is null"))[0]?.n ??
      0;
    const settleUntil = Date.now() + 80_000;
    while (Date.now() < settleUntil && ((await unbooked()).length > 0 || (await pendingJobs()) > 0)) await sleep(2000);

    // Every acknowledged filing: its dossier submitted, exactly one with its child's name.
    const filings = ops.filter((o) => o.kind === "filing");
    const ackFilings = filings.filter((o) => o.outcome === "acknowledged");
    const rows = await query<{ name: string; n: number }>(
      dbUrl,
      `select form_data->>'childFullName' as name, count(*)::int as n from dossiers
       where status <> 'draft' and form_data->>'childFullName' like 'Ops Bé %' group by 1`,
    );
    const submitted = new Map(rows.map((r) => [r.name, r.n]));
    const lostFilings = ackFilings.filter((o) => submitted.get(o.name ?? "") !== 1);
    const duplicates = rows.filter((r) => r.n > 1);

    const payments = ops.filter((o) => o.kind === "payment");
    const ackPayments = payments.filter((o) => o.outcome === "acknowledged");
    const paidRows = await query<{ dossier_id: string; n: number }>(
      dbUrl,
      "select dossier_id, count(*)::int as n from payments where status = 'paid' and dossier_id = any($1) group by 1",
      [ackPayments.map((o) => o.id)],
    );
    const paid = new Map(paidRows.map((r) => [r.dossier_id, r.n]));
    const lostPayments = ackPayments.filter((o) => paid.get(o.id ?? "") !== 1);
    const stillUnbooked = await unbooked();
    const jobsLeft = await pendingJobs();
    const jobsFailed =
      (
        await query<{ n: number }>(
          dbUrl,
          "select count(*)::int as n from graphile_worker._private_jobs where attempts >= max_attempts",
        )
      )[0]?.n ?? 0;

    const count = (list: Op[], outcome: Outcome) => list.filter((o) => o.outcome === outcome).length;
    const statuses = (list: Op[]) =>
      JSON.stringify(
        list
          .filter((o) => o.outcome !== "acknowledged")
          .reduce<Record<string, number>>((acc, o) => {
            const k = `${o.step}:${o.status ?? "conn"}`;
            acc[k] = (acc[k] ?? 0) + 1;
            return acc;
          }, {}),
      );
    // Outcomes per 3-second slice of the run, to see which fault caused which failures.
    const slices: string[] = [];
    for (let from = 0; from < (Date.now() - started) / 1000; from += 3) {
      const inSlice = ops.filter((o) => (o.t ?? 0) >= from && (o.t ?? 0) < from + 3);
      if (inSlice.length === 0) continue;
      slices.push(
        `${from}-${from + 3} s: ack ${count(inSlice, "acknowledged")}, failed ${count(inSlice, "failed")}, broken ${count(inSlice, "error")}`,
      );
    }
    const jobRows = await query(
      dbUrl,
      "select task_id, attempts, max_attempts, locked_by, locked_at, run_at, last_error from graphile_worker._private_jobs",
    );
    const report = [
      "faults.ops.ts — what happened:",
      ...events.map((e) => `  ${e}`),
      `  filings:  sent ${filings.length}, acknowledged ${ackFilings.length}, failed cleanly ${count(filings, "failed")}, connection broken ${count(filings, "error")}, lost ${lostFilings.length}, duplicated ${duplicates.length}`,
      `            failures by step:status ${statuses(filings)}`,
      `  payments: sent ${payments.length}, captured by the gateway ${ackPayments.length} (gateway total ${(await captured()).length}), failed cleanly ${count(payments, "failed")}, connection broken ${count(payments, "error")}, lost ${lostPayments.length}, captured but not booked once ${stillUnbooked.length}`,
      `            failures by step:status ${statuses(payments)}`,
      `  notifications not delivered ${jobsLeft}, jobs given up ${jobsFailed}`,
      `  jobs still queued: ${JSON.stringify(jobRows)}`,
      `  worker pools by instance: ${JSON.stringify(await query(dbUrl, "select instance, worker_id, started_at from job_worker_instances order by started_at"))}`,
      ...slices.map((s) => `    ${s}`),
    ].join("\n");
    console.log(report);
    for (const instance of cluster.instances)
      console.log(
        `instance logs ${instance.name}:\n${instance.lines
          .filter((l) => !l.startsWith("{"))
          .slice(-30)
          .join("\n")}`,
      );

    expect(ackFilings.length).toBeGreaterThan(0);
    expect(ackPayments.length).toBeGreaterThan(0);
    expect(lostFilings, report).toEqual([]);
    expect(duplicates, report).toEqual([]);
    expect(lostPayments, report).toEqual([]);
    expect(stillUnbooked, report).toEqual([]);
    expect(jobsLeft, report).toBe(0);
    expect(jobsFailed, report).toBe(0);
    // A 500 is not a clean failure when the disk is full (the citizen is told, nothing saved is lost).
  });
});
