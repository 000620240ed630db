/**
 * HTTP server: Express in front of Remix for what remix-serve lacks — compression, security
 * headers (CSP with a per-request nonce, HSTS in production), the same-origin check, body-size
 * limits, rate limits (counted in PostgreSQL, so every instance shares them), CSRF cookie issuing,
 * no-store caching of dynamic pages, an audit row for refused staff attempts, and static caching.
 * Boot order: configuration check (production refuses demo secrets), database, migrations, demo seed
 * (demo mode only), then listen. Any boot failure exits non-zero with a message.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { rateLimit, type Store } from "express-rate-limit";

const isDev = process.argv.includes("--dev");

// 1. Configuration. Production lists every problem at once and stops; demo needs nothing.
let config: typeof import("./app/server/env.server.ts");
try {
  config = await import("./app/server/env.server.ts");
} catch (error) {
  console.error(`\nThe portal could not start:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const problems = config.productionProblems(process.env);
if (problems.length === 0 && config.portalMode === "production" && process.env.DATABASE_URL) {
  const { appUrlProblems } = await import("./app/server/db-role-check.server.ts");
  problems.push(...(await appUrlProblems(process.env.DATABASE_URL, process.env.DATABASE_OWNER_URL)));
}
if (problems.length > 0) {
  console.error(
    "\nThe portal refuses to start in production mode (PORTAL_MODE / NODE_ENV=production with DATABASE_URL):",
  );
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error("\nSee docs/security.md. For a demonstration, set PORTAL_MODE=demo.\n");
  process.exit(1);
}
const { isDemoMode, portalMode } = config;
const { describeStartupError } = await import("./app/server/startup-errors.server.ts");
/** Stops start-up with one clear sentence (no stack trace). */
function failStart(error: unknown): never {
  console.error(`\nThe portal could not start:\n  ${describeStartupError(error)}\n`);
  process.exit(1);
}
const port = config.env.PORT;
const maxBody = config.env.MAX_BODY_BYTES;
// Dossier CSV imports (/admin/imports) take larger files; the page's action counts the bytes itself.
const importMaxBody = Number(process.env.IMPORT_MAX_BYTES ?? 50 * 1024 * 1024);
const limitFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

type EntryWithStartup = {
  startup: (log?: (m: string) => void) => Promise<void>;
  stopWorker: () => Promise<void>;
  stopDatabase: () => Promise<void>;
  rateLimitStore: (prefix: string) => Store;
  auditRefusal: (refusal: {
    method: string;
    path: string;
    status: number;
    cookie: string | undefined;
  }) => Promise<void>;
};

const vite = isDev ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } })) : undefined;

async function loadBuild(): Promise<ServerBuild> {
  if (vite) return (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  // @ts-expect-error -- exists only after `npm run build`
  return (await import("./build/server/index.js")) as ServerBuild;
}

/**
 * A demo simulator shared by every instance (npm run cluster, or a second `npm start`): the first to bind the
 * port runs it, the others find it there (its /_sim/identity) and re-use it; anything else on the port stops
 * start-up. Returns the simulator's URL, and what closes it when this process started it.
 */
async function startOrReuseSimulator(opts: {
  name: string;
  kind: "gateway-sim" | "signing-sim";
  port: number;
  portVariable: string;
  /** Why a running simulator cannot be re-used, if it cannot. */
  mismatch?: (identity: Record<string, unknown>) => string | undefined;
  start: () => Promise<{ url: string; close: () => Promise<void> }>;
}): Promise<{ url: string; started?: { close: () => Promise<void> } }> {
  const reuse = (running: { url: string; identity: Record<string, unknown> }) => {
    const problem = opts.mismatch?.(running.identity);
    if (problem) {
      console.error(`\nThe portal could not start: ${problem}\n`);
      process.exit(1);
    }
    console.log(
      `${opts.name} (demo): re-using the one already running at ${running.url} (pid ${running.identity.pid})`,
    );
    return { url: running.url };
  };
  const running = await runningSimulator(opts.port, opts.kind);
  if (running) return reuse(running);
  try {
    const sim = await opts.start();
    console.log(`${opts.name} (demo) started at ${sim.url}`);
    return { url: sim.url, started: sim };
  } catch (error) {
    // Another instance may have bound the port between the check and now: re-use it if it is the simulator.
    const raced =
      (error as { code?: string }).code === "EADDRINUSE" ? await runningSimulator(opts.port, opts.kind) : undefined;
    if (!raced) {
      console.error(
        `\nThe portal could not start: port ${opts.port} (${opts.portVariable}) is taken by something that is not the ${opts.name.toLowerCase()}.\n`,
      );
      process.exit(1);
    }
    return reuse(raced);
  }
}

/** The simulator of this kind answering on `port`, if one does (its /_sim/identity). */
async function runningSimulator(
  port: number,
  kind: string,
): Promise<{ url: string; identity: Record<string, unknown> } | undefined> {
  const url = `http://127.0.0.1:${port}`;
  try {
    const res = await fetch(`${url}/_sim/identity`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const identity = (await res.json()) as Record<string, unknown>;
    return identity.simulator === kind ? { url, identity } : undefined;
  } catch {
    return undefined;
  }
}

// Demo mode: the local gateway simulator (gateway-sim/) stands in for the payment gateway. The portal
// still talks to it only over HTTP, as it would to a real gateway. Production requires GATEWAY_URL.
let gatewaySim: { close: () => Promise<void> } | undefined;
if (isDemoMode && !process.env.GATEWAY_URL) {
  const { startGatewaySimulator } = await import("./gateway-sim/server.ts");
  const gateway = config.gatewayConfig();
  const gatewayPort = Number(process.env.GATEWAY_PORT ?? 8089);
  const sim = await startOrReuseSimulator({
    name: "Payment gateway simulator",
    kind: "gateway-sim",
    port: gatewayPort,
    portVariable: "GATEWAY_PORT",
    mismatch: (identity) =>
      identity.tmnCode === gateway.tmnCode
        ? undefined
        : `the gateway simulator on port ${gatewayPort} serves merchant ${String(identity.tmnCode)}, not ${gateway.tmnCode}. Stop it or set GATEWAY_PORT.`,
    start: () =>
      startGatewaySimulator({
        port: gatewayPort,
        tmnCode: gateway.tmnCode,
        secret: gateway.secret,
        ipnUrl: `${gateway.publicUrl}/api/payments/ipn`,
      }),
  });
  process.env.GATEWAY_URL = sim.url;
  gatewaySim = sim.started;
}

// Demo mode: the remote signing simulator (signing-sim/, CSC API v2) signs citizens' declarations with
// certificates from the demo CA. Production uses SIGNING_SERVICE_URL or offers no citizen signing (ADR 018).
// Instances share one simulator, so a code sent by one is checked by the same credential store.
let signingSim: { close: () => Promise<void> } | undefined;
if (isDemoMode && !process.env.SIGNING_SERVICE_URL) {
  const { startSigningSimulator } = await import("./signing-sim/server.ts");
  const { default: nodePath } = await import("node:path");
  const signingPort = Number(process.env.SIGNING_SIM_PORT ?? 8090);
  const sim = await startOrReuseSimulator({
    name: "Remote signing simulator",
    kind: "signing-sim",
    port: signingPort,
    portVariable: "SIGNING_SIM_PORT",
    start: () =>
      startSigningSimulator({
        port: signingPort,
        caDir: nodePath.resolve(process.env.KEYS_DIR ?? ".data/keys", "demo-ca"),
        crlUrl: `${config.publicUrl()}/pki/demo-ca.crl`,
        token: process.env.SIGNING_SERVICE_TOKEN ?? config.DEMO_VALUES.SIGNING_SERVICE_TOKEN,
        otpTtlMs: process.env.SIGNING_OTP_TTL_SECONDS ? Number(process.env.SIGNING_OTP_TTL_SECONDS) * 1000 : undefined,
      }),
  });
  process.env.SIGNING_SERVICE_URL = sim.url;
  process.env.SIGNING_SIMULATOR = "1";
  signingSim = sim.started;
}

const initialBuild = await loadBuild();
const entry = initialBuild.entry.module as unknown as EntryWithStartup;
try {
  await entry.startup();
} catch (error) {
  // One sentence with what to do (app/server/startup-errors.server.ts), not a stack trace.
  failStart(error);
}

const app = express();
app.disable("x-powered-by");
// Behind a reverse proxy, TRUST_PROXY (e.g. 1, or the proxy's address) makes rate limits see the client.
if (process.env.TRUST_PROXY)
  app.set(
    "trust proxy",
    /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY,
  );
// Request id, one JSON log line per request and the latency histogram, first, so every answer is counted
// (refusals by the middleware below included).
const { routeMatcher, requestObservability } = await import("./app/server/observability/http.server.ts");
const { logger } = await import("./app/server/observability/logger.server.ts");
const staticPrefixes = ["/assets/", ...fs.readdirSync(isDev ? "public" : "build/client").map((name) => `/${name}`)];
app.use(
  requestObservability({
    logger,
    routeOf: routeMatcher(initialBuild.routes),
    isStatic: (pathname) => staticPrefixes.some((prefix) => pathname === prefix || pathname.startsWith(prefix)),
  }),
);
app.use(compression());

/** A short page for refusals made here, before Remix (both languages: no session or cookie is read). */
function refuse(res: express.Response, status: number, vi: string, en: string, extra = "") {
  res
    .status(status)
    .type("html")
    .setHeader("Cache-Control", "no-store")
    .send(
      `<!doctype html><html lang="vi"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${status}</title><main><h1>${vi}</h1><p lang="en">${en}</p>${extra}<p><a href="/">Trang chủ / Home</a></p></main></html>`,
    );
}

const gatewayOrigin = (() => {
  try {
    return new URL(process.env.GATEWAY_URL ?? "").origin;
  } catch {
    return "";
  }
})();

app.use((_req, res, next) => {
  const nonce = crypto.randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  if (!isDev) {
    // Scripts only from this origin or inline with this response's nonce: no 'unsafe-inline'.
    res.setHeader(
      "Content-Security-Policy",
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'${gatewayOrigin ? ` ${gatewayOrigin}` : ""}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'`,
    );
  }
  if (portalMode === "production") res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// A NUL character can never be valid input (PostgreSQL text cannot hold it): refuse it up front.
app.use((req, res, next) => {
  if (req.originalUrl.toLowerCase().includes("%00") || req.originalUrl.includes(String.fromCharCode(0))) {
    refuse(res, 400, "Yêu cầu không hợp lệ", "The request was not valid.");
    return;
  }
  next();
});

// Same-origin check for every state-changing request: a browser always says where a POST comes from,
// and a page of another site must not post here (CSRF tokens are the second lock).
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ownOrigins = new Set<string>([new URL(config.publicUrl()).origin]);
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (SAFE_METHODS.has(req.method) || origin === undefined) return next();
  if (ownOrigins.has(origin) || origin === `${req.protocol}://${req.get("host")}`) return next();
  refuse(res, 403, "Yêu cầu bị từ chối", "This request came from another site and was refused.");
});

// Oversized bodies are refused before Remix reads them. Node's parser never delivers more than a declared
// Content-Length, so the length is checked here; a body without one (chunked) gets 411, as it cannot be
// checked before it is read.
app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method) && req.headers["transfer-encoding"] === undefined) return next();
  const declared = req.headers["content-length"];
  if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
    refuse(res, 411, "Thiếu độ dài dữ liệu gửi lên", "The request must state its length (Content-Length).");
    req.destroy();
    return;
  }
  const length = Number(declared ?? 0);
  const isImport = req.method === "POST" && /^\/admin\/imports\/?$/.test(req.path);
  if (isImport && length > importMaxBody + 1024 * 1024) {
    const mb = `${Math.round(importMaxBody / 1024 / 1024)} MB`;
    refuse(
      res,
      413,
      "Tệp quá lớn",
      `The file is larger than ${mb}, the limit for web uploads. Import it with <code>npm run import:dossiers -- FILE.csv</code> on the server.`,
      `<p>Tệp lớn hơn ${mb}, giới hạn tải lên qua web. Hãy nhập tệp này bằng lệnh <code>npm run import:dossiers -- FILE.csv</code> trên máy chủ.</p><p><a href="/admin/imports">Nhập hồ sơ / Import dossiers</a></p>`,
    );
    return;
  }
  if (!isImport && length > maxBody) {
    refuse(res, 413, "Dữ liệu gửi lên quá lớn", "What you sent is too large.");
    return;
  }
  next();
});

// Every visitor gets a signed CSRF cookie; forms echo a token bound to it and to the session
// (app/server/csrf.server.ts).
const csrf = await import("./app/server/csrf.server.ts");
app.use((req, _res, next) => {
  if (!/(?:^|;\s*)portal_csrf=/.test(req.headers.cookie ?? "")) {
    const value = csrf.newCsrfCookieValue();
    _res.append("Set-Cookie", csrf.csrfSetCookieHeader(value));
    req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; portal_csrf=${value}` : `portal_csrf=${value}`;
  }
  next();
});

/** A limiter whose counters live in PostgreSQL (shared by all instances). */
function limiter(
  prefix: string,
  limit: number,
  skip: (req: express.Request) => boolean,
  page: [string, string, string],
) {
  return rateLimit({
    windowMs: 60_000,
    limit,
    skip,
    store: entry.rateLimitStore(prefix),
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: (_req, res) => refuse(res, 429, page[0], page[1], page[2]),
  });
}
const wait: [string, string, string] = [
  "Quá nhiều lần thử",
  "Too many attempts. Wait a minute and try again.",
  "<p>Hãy đợi một phút rồi thử lại.</p>",
];
app.use(
  "/auth",
  limiter("auth", limitFrom("AUTH_RATE_LIMIT", 30), (req) => req.method === "GET", wait),
);
// The public look-up and verification pages answer with personal or document data: guessing is throttled.
app.use(
  "/lookup",
  limiter("lookup", limitFrom("LOOKUP_RATE_LIMIT", 10), (req) => req.method !== "POST", wait),
);
app.use(
  "/verify",
  // Look-ups by code and PDF uploads (POST) count; the empty form does not.
  limiter(
    "verify",
    limitFrom("VERIFY_RATE_LIMIT", 30),
    (req) => req.method === "GET" && req.query.code === undefined,
    wait,
  ),
);
// Open-data API: public and cacheable, but rate-limited per IP.
app.use(
  "/api/v1",
  limiter("api", limitFrom("API_RATE_LIMIT", 300), () => false, wait),
);

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // The other public files (favicon, openapi.json): only their own paths reach the file system, so a page
  // request does not cost a stat() on the thread pool first.
  const publicFiles = fs.readdirSync("build/client").filter((name) => name !== "assets");
  const serveFile = express.static("build/client", { maxAge: "1h" });
  app.use((req, res, next) => {
    const isPublicFile = publicFiles.some((name) => req.path === `/${name}` || req.path.startsWith(`/${name}/`));
    if (isPublicFile) serveFile(req, res, next);
    else next();
  });
}

// Dynamic answers are personal (the signed-in user's data, a CSRF token in every form): never stored by
// a browser or proxy unless the route says otherwise (the open-data API sets its own public caching).
app.use((req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
    if (!res.getHeader("Cache-Control")) res.setHeader("Cache-Control", "private, no-store");
    return writeHead.apply(this, args);
  } as typeof writeHead;
  // Refused staff attempts (403/404/409) leave an audit row (app/server/refusal-audit.server.ts).
  res.on("finish", () => {
    if (res.statusCode === 403 || res.statusCode === 404 || res.statusCode === 409) {
      entry
        .auditRefusal({ method: req.method, path: req.path, status: res.statusCode, cookie: req.headers.cookie })
        .catch((error: unknown) => console.error("Could not audit a refusal:", error));
    }
  });
  next();
});

app.all(
  "*",
  createRequestHandler({
    build: vite ? loadBuild : initialBuild,
    mode: isDev ? "development" : "production",
    // One mutable object per request, shared by its action and the loaders that render the answer.
    getLoadContext: (req, res) => ({
      formFailed: false,
      cspNonce: res.locals.cspNonce as string,
      requestId: res.locals.requestId as string,
      remoteAddress: req.socket.remoteAddress,
      forwardedFor: req.headers["x-forwarded-for"],
    }),
  }),
);

const server = app.listen(port, () => {
  console.log(`Cổng Dịch vụ công (${portalMode} mode) is running at http://localhost:${port}`);
});
server.on("error", failStart);

async function shutdown() {
  server.close();
  await entry.stopWorker().catch(() => {});
  await gatewaySim?.close().catch(() => {});
  await signingSim?.close().catch(() => {});
  await entry.stopDatabase().catch(() => {});
  await vite?.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
