/**
 * Pages and submissions under load (issue 11): the portal's production build against a bare Remix app built
 * in the same run, both served by Express + compression + @remix-run/express, load-tested with autocannon.
 *
 *   npm run bench:pages
 *   options: --duration S (measured seconds per run, default 8), --warmup S (2), --connections N (50),
 *            --only a,b (scenarios whose name contains one of these), --skip-build, --skip-api
 *
 * What it does, in order:
 * 1. `npm run build` (the portal, compiled server included) and the minimal Remix app (bench/minimal-remix-app.ts).
 * 2. A benchmark database `bench_pages` (BENCH_PAGES_DATABASE) on DATABASE_URL's server, or on the embedded
 *    test server without DATABASE_URL, provisioned like production (owner and app roles), seeded once with the
 *    demo data (accounts) and the generated Quảng Ninh 2023 year (861,990 dossiers, `seed:year`), and reused
 *    by later runs. Filings made by the benchmark belong to the second demo citizen; the measured pages do not
 *    show them.
 * 3. Both servers as child processes (`node build/server.js` for the portal, in demo mode, with its rate
 *    limits as shipped except API_RATE_LIMIT, raised so that the API runs measure the API rather than
 *    the limiter's 429s).
 * 4. Every scenario runs right after a run of the minimal app (same connections, same duration), so each ratio
 *    compares two neighbouring windows of the same machine: other work on the machine slows both.
 * 5. The open-data API alone: p50/p95 with one client for every period × scope, and req/s at 10 clients.
 * 6. The portal's RSS is sampled all along (peak reported, and the kernel's high-water mark).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { provisionDatabase } from "../app/server/db-roles.server.ts";
import { embeddedUrl, startEmbeddedPostgres } from "../app/server/embedded-pg.server.ts";
import { buildMinimalApp } from "./minimal-remix-app.ts";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "8" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "50" },
    only: { type: "string", default: "" },
    "skip-build": { type: "boolean", default: false },
    "skip-api": { type: "boolean", default: false },
    /** Load-test another checkout of the portal (e.g. an older commit, built) instead of this one. */
    "portal-dir": { type: "string" },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const ONLY = (args.only ?? "").split(",").filter(Boolean);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PORTAL_DIR = path.resolve(args["portal-dir"] ?? ROOT);
const WORK = path.join(ROOT, ".data/bench-pages");
const PORTAL_PORT = Number(process.env.BENCH_PORTAL_PORT ?? 3701);
const MINIMAL_PORT = Number(process.env.BENCH_MINIMAL_PORT ?? 3702);
const GATEWAY_PORT = Number(process.env.BENCH_GATEWAY_PORT ?? 8702);
const DATABASE = (process.env.BENCH_PAGES_DATABASE ?? "bench_pages").replace(/[^a-z0-9_]/g, "");
const PORTAL = `http://127.0.0.1:${PORTAL_PORT}`;
const MINIMAL = `http://127.0.0.1:${MINIMAL_PORT}`;
const PASSWORD = "DemoPortal2026";
const PROCEDURE = "1.001193"; // birth registration: online, free, two required documents
const RECEIVED_2023 = 861_990;

function log(line: string) {
  console.log(line);
}

// ---------------------------------------------------------------------------------------------------------
// Child processes
// ---------------------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function startProcess(name: string, command: string, argv: string[], opts: { cwd: string; env: Env }) {
  const child = spawn(command, argv, {
    cwd: opts.cwd,
    env: opts.env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  const logFile = fs.createWriteStream(path.join(WORK, `${name}.log`));
  child.stdout?.pipe(logFile);
  child.stderr?.pipe(logFile);
  child.on("exit", () => children.delete(child));
  return child;
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForUrl(url: string, child: ChildProcess, seconds = 120) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/**
 * The node flags `npm run serve` (and so `npm start`) gives the portal, read from package.json so that the
 * benchmark runs it the same way; BENCH_PORTAL_NODE_ARGS adds more (e.g. `--cpu-prof`).
 */
function servingNodeFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const serve = /\bnode ((?:--[\w-]+(?:=\S+)?\s+)*)build\/server\.js/.exec(pkg.scripts.serve ?? "");
  const extra = process.env.BENCH_PORTAL_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  return [...(serve?.[1]?.trim().split(/\s+/).filter(Boolean) ?? []), ...extra];
}

/** How the portal under test starts: its compiled server, or (a checkout from before it had one) tsx. */
function portalArgs(): string[] {
  if (fs.existsSync(path.join(PORTAL_DIR, "build/server.js"))) return [...servingNodeFlags(), "build/server.js"];
  return ["--import", "tsx", "server.ts"];
}

function run(command: string, argv: string[], env: Env = process.env) {
  const result = spawnSync(command, argv, { cwd: ROOT, env: env as NodeJS.ProcessEnv, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${argv.join(" ")} failed (exit ${result.status})`);
}

// ---------------------------------------------------------------------------------------------------------
// The benchmark database
// ---------------------------------------------------------------------------------------------------------

type Env = Record<string, string | undefined>;

type Database = { appUrl: string; ownerUrl: string; stop: () => Promise<void> };

async function openDatabase(): Promise<Database> {
  let server = process.env.DATABASE_URL;
  let stop = async () => {};
  if (!server) {
    const port = Number(process.env.BENCH_EMBEDDED_PG_PORT ?? 54359);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(WORK, `pg-${port}`),
      port,
      database: "postgres",
    });
    server = embeddedUrl(port, "postgres");
    stop = embedded.stop;
  }
  const roles = await provisionDatabase(server, DATABASE, {
    owner: { name: "portal_owner", password: "portal_owner" },
    app: { name: "portal_app", password: "portal_app" },
  });
  return { appUrl: roles.appUrl, ownerUrl: roles.ownerUrl, stop };
}

async function query<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

async function isSeeded(ownerUrl: string): Promise<{ demo: boolean; year: number }> {
  const tables = await query<{ n: number }>(
    ownerUrl,
    "select count(*)::int as n from information_schema.tables where table_name in ('users', 'dossiers')",
  );
  if ((tables[0]?.n ?? 0) < 2) return { demo: false, year: 0 };
  const [demo] = await query<{ n: number }>(
    ownerUrl,
    "select count(*)::int as n from users where national_id = '022090000001'",
  );
  const [year] = await query<{ n: number }>(
    ownerUrl,
    `select count(*)::int as n from dossiers
     where received_at >= '2023-01-01T00:00:00+07:00' and received_at < '2024-01-01T00:00:00+07:00'`,
  );
  return { demo: (demo?.n ?? 0) > 0, year: year?.n ?? 0 };
}

function portalEnv(db: Database, extra: Env = {}): Env {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORTAL_MODE: "demo",
    PORT: String(PORTAL_PORT),
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    GATEWAY_PORT: String(GATEWAY_PORT),
    GATEWAY_URL: "",
    PUBLIC_URL: PORTAL,
    STORAGE_DIR: path.join(WORK, "uploads"),
    OUTBOX_DIR: path.join(WORK, "outbox"),
    SEED_DEMO: "false",
    // The API runs send thousands of requests from one address: measure the API, not the limiter's 429s.
    API_RATE_LIMIT: "1000000",
    ...extra,
  };
}

async function prepareData(db: Database) {
  await prepareSeeded(db);
  // Fresh planner statistics: a freshly loaded year is otherwise planned from empty statistics until
  // autovacuum gets to it (nested loops over 7,000 rollup rows estimated as one).
  await query(db.ownerUrl, "analyze");
}

async function prepareSeeded(db: Database) {
  let state = await isSeeded(db.ownerUrl);
  if (!state.demo) {
    log("Seeding the demo data (first run on this database) …");
    const child = startProcess("seed-demo", process.execPath, ["build/server.js"], {
      cwd: ROOT,
      env: portalEnv(db, { SEED_DEMO: "true", JOBS: "off" }),
    });
    await waitForUrl(`${PORTAL}/api/health`, child, 300);
    await stopProcess(child);
    state = await isSeeded(db.ownerUrl);
  }
  if (state.year < RECEIVED_2023) {
    log("Generating the Quảng Ninh 2023 year (861,990 dossiers; about a minute or two, once) …");
    const env: Env = {
      ...process.env,
      DATABASE_URL: db.ownerUrl,
      DATABASE_OWNER_URL: db.ownerUrl,
      NODE_ENV: undefined,
    };
    run(
      process.execPath,
      ["--import", "tsx", "db/seed/year/index.ts", "--scale", "quangninh-2023", "--no-report", "--replace"],
      env,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Signing in
// ---------------------------------------------------------------------------------------------------------

type Visitor = { cookie: string; csrf: string };

function mergeCookies(cookie: string, res: Response): string {
  const jar = new Map(
    cookie
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.split("=")[0] ?? "", c] as const),
  );
  for (const set of res.headers.getSetCookie()) {
    const pair = set.split(";")[0] ?? "";
    jar.set(pair.split("=")[0] ?? "", pair);
  }
  return [...jar.values()].join("; ");
}

function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token in the page");
  return m[1];
}

async function signIn(identifier: string): Promise<Visitor> {
  const login = await fetch(`${PORTAL}/auth/login`);
  let cookie = mergeCookies("", login);
  const body = new URLSearchParams({
    csrf: csrfOf(await login.text()),
    identifier,
    password: PASSWORD,
    redirectTo: "",
  });
  const res = await fetch(`${PORTAL}/auth/login`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  if (res.status !== 302) throw new Error(`signing in as ${identifier} failed: ${res.status}`);
  cookie = mergeCookies(cookie, res);
  // The form token is bound to the session: read it again now that the session changed.
  const page = await fetch(`${PORTAL}/`, { headers: { cookie } });
  return { cookie, csrf: csrfOf(await page.text()) };
}

// ---------------------------------------------------------------------------------------------------------
// Load runs
// ---------------------------------------------------------------------------------------------------------

type Sample = {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  unexpected: number;
  flows?: number;
};

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

type Load = {
  url: string;
  connections: number;
  /** Measured seconds, after `warmup` seconds on the same connections that are not counted. */
  seconds: number;
  warmup?: number;
  headers?: Record<string, string>;
  /** Default: one GET of `url`. */
  requests?: autocannon.Request[];
  /** Paths to cycle through (one per request), instead of `url`'s own. */
  paths?: string[];
  expect?: (status: number) => boolean;
  countFlow?: () => number;
};

/**
 * One autocannon run: `warmup` seconds, then `seconds` measured on the same keep-alive connections.
 * Throughput counts the responses completed in the measured window; latencies are those of the requests
 * sent in it (a run's first requests wait while every connection opens at once, in the minimal app too:
 * that start-up queue is not what is measured).
 */
async function load(spec: Load): Promise<Sample> {
  const latencies: number[] = [];
  let completed = 0;
  let unexpected = 0;
  const expect = spec.expect ?? ((s: number) => s === 200);
  let next = 0;
  const requests =
    spec.requests ??
    (spec.paths
      ? [
          {
            method: "GET" as const,
            setupRequest: (req: autocannon.Request) => {
              const p = spec.paths?.[next++ % (spec.paths?.length ?? 1)] ?? "/";
              return { ...req, path: p };
            },
          },
        ]
      : undefined);
  const warmup = spec.warmup ?? 0;
  const t0 = performance.now();
  const windowStart = t0 + warmup * 1000;
  let flowsBefore = spec.countFlow?.() ?? 0;
  const snapshot = setTimeout(() => {
    flowsBefore = spec.countFlow?.() ?? 0;
  }, warmup * 1000);
  let windowEnd = windowStart;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: warmup + spec.seconds,
        headers: spec.headers,
        requests,
        timeout: 30,
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      const now = performance.now();
      if (now < windowStart) return;
      windowEnd = now;
      completed++;
      if (!expect(status)) unexpected++;
      if (now - responseTime >= windowStart) latencies.push(responseTime);
    });
  });
  clearTimeout(snapshot);
  const seconds = Math.max(0.001, (windowEnd - windowStart) / 1000);
  latencies.sort((a, b) => a - b);
  return {
    requests: completed,
    seconds,
    rps: completed / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    unexpected,
    flows: spec.countFlow ? spec.countFlow() - flowsBefore : undefined,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The online filing: draft, two attachments, check answers, submit (with the GETs a browser makes after
// each redirect, as a citizen without JavaScript does).
// ---------------------------------------------------------------------------------------------------------

function multipart(boundary: string, fields: Record<string, string>, files: Array<[string, string, Buffer]>) {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const [name, filename, content] of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ),
      content,
      Buffer.from("\r\n"),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

function filingRequests(citizen: Visitor, onSubmitted: () => void): autocannon.Request[] {
  const boundary = "----benchPagesBoundary7MA4YWxkTrZu0gW";
  const answers = {
    csrf: citizen.csrf,
    childFullName: "Nguyễn Bé Na",
    childBirthDate: "2025-01-15",
    childSex: "female",
    placeOfBirth: "Bệnh viện Bãi Cháy, Hạ Long",
    // How the agency reaches the citizen and how the result is received (asked since issue 15).
    "contact-phone": "0912345678",
    "contact-address": "Số 12 phố Lê Thánh Tông, phường Hồng Gai, Hạ Long",
    "contact-delivery": "online",
  };
  // A small, real PDF header: attachments are checked by content.
  const pdf = Buffer.from(`%PDF-1.4\n% bench attachment\n${"0".repeat(20_000)}\n%%EOF\n`);
  const draft = multipart(boundary, { ...answers, intent: "save" }, []);
  const withFiles = multipart(boundary, { ...answers, intent: "continue" }, [
    ["document-0", "to-khai.pdf", pdf],
    ["document-1", "giay-chung-sinh.pdf", pdf],
  ]);
  const submit = new URLSearchParams({ csrf: citizen.csrf }).toString();
  const form = { "content-type": `multipart/form-data; boundary=${boundary}`, cookie: citizen.cookie };
  type Ctx = { id?: string };
  const location = (headers: Record<string, string | string[]>) => {
    const v = headers.location ?? headers.Location;
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  };
  const withId = (make: (id: string) => Partial<autocannon.Request>) => (req: autocannon.Request, ctx: Ctx) =>
    ctx.id ? { ...req, ...make(ctx.id) } : (undefined as unknown as autocannon.Request);
  return [
    {
      method: "POST",
      path: `/dossiers/new/${PROCEDURE}`,
      headers: form,
      body: draft,
      onResponse: (_status: number, _body: string, ctx: Ctx, headers: Record<string, string | string[]>) => {
        ctx.id = /^\/dossiers\/([0-9a-f-]{36})\/edit/.exec(location(headers))?.[1];
      },
    },
    { method: "GET", setupRequest: withId((id) => ({ path: `/dossiers/${id}/edit?saved=1` })) },
    {
      method: "POST",
      headers: form,
      body: withFiles,
      setupRequest: withId((id) => ({ path: `/dossiers/${id}/edit` })),
    },
    { method: "GET", setupRequest: withId((id) => ({ path: `/dossiers/${id}/check` })) },
    {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: citizen.cookie },
      body: submit,
      setupRequest: withId((id) => ({ path: `/dossiers/${id}/check` })),
      onResponse: (status: number, _body: string, _ctx: Ctx, headers: Record<string, string | string[]>) => {
        if (status === 302 && location(headers).includes("submitted=1")) onSubmitted();
      },
    },
    {
      method: "GET",
      setupRequest: withId((id) => ({ path: `/dossiers/${id}?submitted=1` })),
      onResponse: (_status: number, _body: string, ctx: Ctx) => {
        ctx.id = undefined;
      },
    },
  ] as autocannon.Request[];
}

// ---------------------------------------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------------------------------------

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m?.[1] ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "–");

fs.mkdirSync(WORK, { recursive: true });
if (!args["skip-build"] && PORTAL_DIR === ROOT) {
  log("Building the portal (npm run build) …");
  run("npm", ["run", "build", "--silent"]);
}
log("Building the minimal Remix app (same Remix, React, Express and compression) …");
buildMinimalApp(path.join(WORK, "minimal-remix"), ROOT);

const db = await openDatabase();
let portal: ChildProcess | undefined;
let minimal: ChildProcess | undefined;
let peakRss = 0;
let rssTimer: NodeJS.Timeout | undefined;
const onSignal = () => {
  for (const child of children) child.kill("SIGTERM");
  process.exit(130);
};
process.on("SIGINT", onSignal);
try {
  await prepareData(db);

  const minimalServer = startProcess("minimal", process.execPath, ["server.js"], {
    cwd: path.join(WORK, "minimal-remix"),
    env: { ...process.env, NODE_ENV: "production", PORT: String(MINIMAL_PORT) },
  });
  const portalServer = startProcess("portal", process.execPath, portalArgs(), { cwd: PORTAL_DIR, env: portalEnv(db) });
  minimal = minimalServer;
  portal = portalServer;
  await Promise.all([waitForUrl(`${MINIMAL}/`, minimalServer), waitForUrl(`${PORTAL}/api/health`, portalServer)]);
  const portalPid = portalServer.pid ?? 0;
  rssTimer = setInterval(() => {
    peakRss = Math.max(peakRss, statusField(portalPid, "VmRSS"));
  }, 200);
  log(
    `Servers ready: portal ${PORTAL} (${PORTAL_DIR}: node ${portalArgs().join(" ")}, pid ${portalPid}), minimal Remix app ${MINIMAL}`,
  );

  const [citizen, filer, clerk, manager] = [
    await signIn("022090000001"),
    await signIn("022195000002"),
    await signIn("canbo.halong"),
    await signIn("lanhdao.tinh"),
  ];
  const district = (
    await query<{ code: string }>(
      db.ownerUrl,
      `select a.code from agencies a where a.level = 'district'
       and exists (select 1 from agencies c where c.parent_code = a.code) order by a.code limit 1`,
    )
  )[0]?.code;

  let submitted = 0;
  const custom = "from=2023-02-14&to=2023-11-20";
  type Scenario = {
    name: string;
    path: string;
    visitor?: Visitor;
    requests?: autocannon.Request[];
    expect?: (s: number) => boolean;
    flow?: boolean;
  };
  const scenarios: Scenario[] = [
    { name: "home", path: "/" },
    { name: "catalogue search", path: "/procedures?q=cap+giay+phep+xay+dung" },
    { name: "procedure page", path: `/procedures/${PROCEDURE}` },
    { name: "my dossiers (citizen)", path: "/dossiers", visitor: citizen },
    { name: "clerk queue", path: "/clerk", visitor: clerk },
    { name: "manager dashboard, province 2023", path: "/manager?period=year&year=2023", visitor: manager },
    { name: "metrics API, custom range, province level", path: `/api/v1/metrics?${custom}&level=province` },
    { name: "metrics API, custom range, district level", path: `/api/v1/metrics?${custom}&level=district` },
    { name: "metrics API, custom range, commune level", path: `/api/v1/metrics?${custom}&level=commune` },
    {
      name: "online filing (6 requests per dossier)",
      path: "/",
      visitor: filer,
      requests: filingRequests(filer, () => submitted++),
      expect: (status: number) => status === 200 || status === 302,
      flow: true,
    },
  ].filter((s) => ONLY.length === 0 || ONLY.some((o) => s.name.includes(o)));

  const withNul: string[] = [];
  // Every page must answer 200 before it is loaded (a redirect or an error would measure the wrong thing).
  for (const s of scenarios.filter((x) => !x.flow)) {
    let res = await fetch(`${PORTAL}${s.path}`, { headers: { cookie: s.visitor?.cookie ?? "" }, redirect: "manual" });
    const canonical = res.headers.get("location") ?? "";
    if (res.status === 302 && canonical.startsWith(`${s.path.split("?")[0]}?`)) {
      // The dashboard answers a hand-written query with a redirect to its canonical form: load that.
      s.path = canonical;
      res = await fetch(`${PORTAL}${s.path}`, { headers: { cookie: s.visitor?.cookie ?? "" }, redirect: "manual" });
    }
    if (res.status !== 200) throw new Error(`${s.name}: ${s.path} answered ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.includes(0)) withNul.push(s.name);
  }

  log(
    `\n${scenarios.length} scenarios, ${CONNECTIONS} connections, ${DURATION} s each (after ${WARMUP} s of warm-up), each right after the minimal app:\n`,
  );
  type Row = { name: string; base: Sample; sample: Sample; flow: boolean };
  const rows: Row[] = [];
  for (const s of scenarios) {
    const base = await load({ url: `${MINIMAL}/`, connections: CONNECTIONS, seconds: DURATION, warmup: WARMUP });
    const spec: Load = {
      url: `${PORTAL}${s.path}`,
      connections: CONNECTIONS,
      seconds: DURATION,
      warmup: WARMUP,
      headers: s.visitor ? { cookie: s.visitor.cookie } : undefined,
      requests: s.requests,
      expect: s.expect,
      countFlow: s.flow ? () => submitted : undefined,
    };
    const sample = await load(spec);
    rows.push({ name: s.name, base, sample, flow: Boolean(s.flow) });
    log(
      `${s.name.padEnd(44)} ${fmt(sample.rps).padStart(6)} req/s  p50 ${fmt(sample.p50).padStart(4)} ms  p99 ${fmt(sample.p99).padStart(5)} ms` +
        `  | minimal ${fmt(base.rps).padStart(5)} req/s p99 ${fmt(base.p99).padStart(4)} ms  | ×${fmt(sample.rps / base.rps, 2)} req/s, p99 ×${fmt(sample.p99 / base.p99, 2)}` +
        (s.flow ? `  | ${fmt((sample.flows ?? 0) / sample.seconds, 1)} dossiers/s` : "") +
        (sample.unexpected ? `  | ${sample.unexpected} unexpected statuses` : ""),
    );
  }

  // The open-data API alone: latency for every period and scope, then throughput at 10 clients.
  type ApiRow = { period: string; scope: string; one: Sample };
  const apiRows: ApiRow[] = [];
  const apiTen: Array<{ scope: string; ten: Sample }> = [];
  if (!args["skip-api"] && (ONLY.length === 0 || ONLY.some((o) => "metrics API".includes(o)))) {
    const periods: Array<[string, string]> = [
      ["year 2023", "from=2023-01-01&to=2023-12-31"],
      ["Q2 2023", "from=2023-04-01&to=2023-06-30"],
      ["March 2023", "from=2023-03-01&to=2023-03-31"],
      ["14 Feb – 20 Nov 2023", custom],
    ];
    const scopes: Array<[string, string]> = [
      ["whole province", ""],
      ["province level", "&level=province"],
      ["district level", "&level=district"],
      ["commune level", "&level=commune"],
      ...(district ? ([["one district and its communes", `&agency=${district}`]] as Array<[string, string]>) : []),
    ];
    log("\nOpen-data API, one client, every period × scope:");
    for (const [period, range] of periods) {
      for (const [scope, extra] of scopes) {
        const url = `${PORTAL}/api/v1/metrics?${range}${extra}`;
        const one = await load({ url, connections: 1, seconds: Math.max(2, DURATION / 4), warmup: 0.5 });
        apiRows.push({ period, scope, one });
        log(`  ${period.padEnd(22)} ${scope.padEnd(30)} p50 ${fmt(one.p50, 1)} ms  p95 ${fmt(one.p95, 1)} ms`);
      }
    }
    log("\nOpen-data API, 10 clients, custom ranges (a different range on every request) × level:");
    for (const [scope, extra] of scopes.filter(([s]) => s.endsWith("level"))) {
      // Ranges drawn once (fixed seed) so that runs are comparable; no two requests in a row ask the same thing.
      const paths = Array.from({ length: 200 }, (_, i) => {
        const start = new Date(Date.UTC(2023, 0, 1 + ((i * 37) % 200)));
        const end = new Date(start.getTime() + (30 + ((i * 53) % 130)) * 86_400_000);
        const d = (x: Date) => x.toISOString().slice(0, 10);
        return `/api/v1/metrics?from=${d(start)}&to=${d(end)}${extra}`;
      });
      const ten = await load({ url: PORTAL, connections: 10, seconds: DURATION, warmup: WARMUP, paths });
      apiTen.push({ scope, ten });
      log(
        `  ${scope.padEnd(16)} ${fmt(ten.rps).padStart(5)} req/s  p50 ${fmt(ten.p50, 1)} ms  p95 ${fmt(ten.p95, 1)} ms  p99 ${fmt(ten.p99, 1)} ms` +
          (ten.unexpected ? `  | ${ten.unexpected} unexpected statuses` : ""),
      );
    }
  }

  const hwm = statusField(portalPid, "VmHWM");
  peakRss = Math.max(peakRss, statusField(portalPid, "VmRSS"));

  // Summary and targets.
  const pages = rows.filter((r) => !r.flow);
  const flow = rows.find((r) => r.flow);
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  log(
    "\n| scenario | req/s | p50 ms | p99 ms | minimal app req/s / p99 ms (run just before) | × minimal req/s | p99 ÷ minimal p99 |",
  );
  log("|---|---:|---:|---:|---:|---:|---:|");
  for (const r of rows) {
    log(
      `| ${r.name}${r.flow ? ` (${fmt((r.sample.flows ?? 0) / r.sample.seconds, 1)} dossiers/s)` : ""} | ${fmt(r.sample.rps)} | ${fmt(r.sample.p50)} | ${fmt(r.sample.p99)} | ${fmt(r.base.rps)} / ${fmt(r.base.p99)} | ${fmt(r.sample.rps / r.base.rps, 2)} | ${fmt(r.sample.p99 / r.base.p99, 2)} |`,
    );
  }
  if (apiRows.length > 0) {
    log("\n| /api/v1/metrics, one client | p50 ms | p95 ms |\n|---|---:|---:|");
    for (const r of apiRows) log(`| ${r.period}, ${r.scope} | ${fmt(r.one.p50, 1)} | ${fmt(r.one.p95, 1)} |`);
    log("\n| /api/v1/metrics, 10 clients, custom ranges | req/s | p50 ms | p95 ms |\n|---|---:|---:|---:|");
    for (const r of apiTen) log(`| ${r.scope} | ${fmt(r.ten.rps)} | ${fmt(r.ten.p50, 1)} | ${fmt(r.ten.p95, 1)} |`);
  }
  log(`\nPortal server RSS: peak ${mb(peakRss)} sampled every 200 ms (kernel high-water mark ${mb(hwm)}).`);

  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  const slowPages = pages.filter((r) => r.sample.rps < 0.5 * r.base.rps || r.sample.p99 > 2 * r.base.p99);
  const errors = rows.filter((r) => r.sample.unexpected > 0);
  log("\nTargets:");
  log(
    `- every page ≥ 0.5× the minimal app's req/s with p99 ≤ 2× its p99: ${verdict(slowPages.length === 0)}` +
      (slowPages.length ? ` (not: ${slowPages.map((r) => r.name).join("; ")})` : ""),
  );
  if (flow) {
    const rate = (flow.sample.flows ?? 0) / flow.sample.seconds;
    log(
      `- online filing ≥ 50 dossiers/s with p99 < 500 ms per request: ${verdict(rate >= 50 && flow.sample.p99 < 500)} (${fmt(rate, 1)} dossiers/s, p99 ${fmt(flow.sample.p99)} ms)`,
    );
  }
  if (apiRows.length > 0) {
    const worst = Math.max(...apiRows.map((r) => r.one.p95));
    const slowest = Math.min(...apiTen.map((r) => r.ten.rps));
    log(`- /api/v1/metrics p95 < 50 ms for every period and scope: ${verdict(worst < 50)} (worst ${fmt(worst, 1)} ms)`);
    log(`- /api/v1/metrics ≥ 100 req/s at 10 clients: ${verdict(slowest >= 100)} (slowest ${fmt(slowest)} req/s)`);
  }
  log(`- server RSS < 300 MB throughout: ${verdict(Math.max(peakRss, hwm) < 300e6)} (${mb(Math.max(peakRss, hwm))})`);
  log(
    `- no NUL byte in any page: ${verdict(withNul.length === 0)}${withNul.length ? ` (NUL in: ${withNul.join("; ")})` : ""}`,
  );
  if (withNul.length > 0) process.exitCode = 1;
  if (errors.length > 0) {
    log(`\nUnexpected statuses in: ${errors.map((r) => `${r.name} (${r.sample.unexpected})`).join("; ")}`);
    process.exitCode = 1;
  }
} finally {
  if (rssTimer) clearInterval(rssTimer);
  if (portal) await stopProcess(portal);
  if (minimal) await stopProcess(minimal);
  await db.stop();
}
