/**
 * HTTP server: Express in front of Remix for what remix-serve lacks — compression, security
 * headers, body-size limit, rate limiting of sign-in, CSRF cookie issuing and static caching.
 * Boot order: database, migrations, demo seed, then listen. Any boot failure exits with a message.
 */
import crypto from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { rateLimit } from "express-rate-limit";

const isDev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
const maxBody = Number(process.env.MAX_BODY_BYTES ?? 12 * 1024 * 1024);
// Dossier CSV imports (/admin/imports) take larger files; the page's action counts the bytes itself.
const importMaxBody = Number(process.env.IMPORT_MAX_BYTES ?? 50 * 1024 * 1024);
const authLimit = Number(process.env.AUTH_RATE_LIMIT ?? 30);
const secure =
  process.env.COOKIE_SECURE === "true" ||
  (process.env.COOKIE_SECURE !== "false" && !isDev && process.env.NODE_ENV === "production");
const secret = process.env.SESSION_SECRET ?? "demo-only-session-secret-change-me";

type EntryWithStartup = {
  startup: (log?: (m: string) => void) => Promise<void>;
  stopWorker: () => Promise<void>;
  stopDatabase: () => Promise<void>;
};

const vite = isDev ? await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } })) : undefined;

async function loadBuild(): Promise<ServerBuild> {
  if (vite) return (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  // @ts-expect-error -- exists only after `npm run build`
  return (await import("./build/server/index.js")) as ServerBuild;
}

// Demo mode: without a configured gateway, start the local gateway simulator (gateway-sim/) and point
// the portal at it. The portal still talks to it only over HTTP, as it would to a real gateway.
let gatewaySim: { close: () => Promise<void> } | undefined;
if (!process.env.GATEWAY_URL) {
  const { startGatewaySimulator } = await import("./gateway-sim/server.ts");
  const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
  const sim = await startGatewaySimulator({
    port: Number(process.env.GATEWAY_PORT ?? 8089),
    tmnCode: process.env.GATEWAY_TMN_CODE ?? "DEMO0001",
    secret: process.env.GATEWAY_SECRET ?? "demo-secret-change-me",
    ipnUrl: `${publicUrl}/api/payments/ipn`,
  });
  process.env.GATEWAY_URL = sim.url;
  gatewaySim = sim;
  console.log(`Payment gateway simulator (demo) at ${sim.url}`);
}

const initialBuild = await loadBuild();
const entry = initialBuild.entry.module as unknown as EntryWithStartup;
try {
  await entry.startup();
} catch (error) {
  console.error("\nThe portal could not start:");
  console.error(`  ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const app = express();
app.disable("x-powered-by");
app.use(compression());

app.use((_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (!isDev) {
    res.setHeader(
      "Content-Security-Policy",
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self' http://localhost:* http://127.0.0.1:*; frame-ancestors 'none'; base-uri 'self'",
    );
  }
  next();
});

// A NUL character can never be valid input (PostgreSQL text cannot hold it): refuse it up front.
app.use((req, res, next) => {
  if (req.originalUrl.toLowerCase().includes("%00") || req.originalUrl.includes(String.fromCharCode(0))) {
    res
      .status(400)
      .type("html")
      .send(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><title>400</title><main><h1>Yêu cầu không hợp lệ</h1><p lang="en">The request was not valid.</p><p><a href="/">Trang chủ / Home</a></p></main></html>`,
      );
    return;
  }
  next();
});

// Oversized bodies are refused before Remix reads them.
app.use((req, res, next) => {
  const length = Number(req.headers["content-length"] ?? 0);
  const isImport = req.method === "POST" && /^\/admin\/imports\/?$/.test(req.path);
  if (isImport && length > importMaxBody + 1024 * 1024) {
    const mb = `${Math.round(importMaxBody / 1024 / 1024)} MB`;
    res
      .status(413)
      .type("html")
      .send(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><title>413</title><main><h1>Tệp quá lớn</h1><p>Tệp lớn hơn ${mb}, giới hạn tải lên qua web. Hãy nhập tệp này bằng lệnh <code>npm run import:dossiers -- FILE.csv</code> trên máy chủ.</p><p lang="en">The file is larger than ${mb}, the limit for web uploads. Import it with <code>npm run import:dossiers -- FILE.csv</code> on the server.</p><p><a href="/admin/imports">Nhập hồ sơ / Import dossiers</a></p></main></html>`,
      );
    return;
  }
  if (!isImport && length > maxBody) {
    res
      .status(413)
      .type("html")
      .send(
        `<!doctype html><html lang="vi"><meta charset="utf-8"><title>413</title><main><h1>Dữ liệu gửi lên quá lớn</h1><p lang="en">What you sent is too large.</p><p><a href="/">Trang chủ / Home</a></p></main></html>`,
      );
    return;
  }
  next();
});

// Every visitor gets a signed CSRF cookie; forms echo its token (see app/server/csrf.server.ts).
app.use((req, res, next) => {
  if (!/(?:^|;\s*)portal_csrf=/.test(req.headers.cookie ?? "")) {
    const token = crypto.randomBytes(24).toString("base64url");
    const value = `${token}.${crypto.createHmac("sha256", secret).update(token).digest("base64url")}`;
    res.append("Set-Cookie", `portal_csrf=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`);
    req.headers.cookie = req.headers.cookie ? `${req.headers.cookie}; portal_csrf=${value}` : `portal_csrf=${value}`;
  }
  next();
});

app.use(
  "/auth",
  rateLimit({
    windowMs: 60_000,
    limit: authLimit,
    skip: (req) => req.method === "GET",
    standardHeaders: "draft-7",
    legacyHeaders: false,
    handler: (_req, res) => {
      res
        .status(429)
        .type("html")
        .send(
          `<!doctype html><html lang="vi"><meta charset="utf-8"><title>429</title><main><h1>Quá nhiều lần thử</h1><p>Hãy đợi một phút rồi thử lại.</p><p lang="en">Too many attempts. Wait a minute and try again.</p><p><a href="/auth/login">Đăng nhập / Sign in</a></p></main></html>`,
        );
    },
  }),
);

// Open-data API: public and cacheable, but rate-limited per IP.
app.use(
  "/api/v1",
  rateLimit({
    windowMs: 60_000,
    limit: Number(process.env.API_RATE_LIMIT ?? 300),
    standardHeaders: "draft-7",
    legacyHeaders: false,
  }),
);

if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

app.all(
  "*",
  createRequestHandler({
    build: vite ? loadBuild : initialBuild,
    mode: isDev ? "development" : "production",
    // One mutable object per request, shared by its action and the loaders that render the answer.
    getLoadContext: () => ({ formFailed: false }),
  }),
);

const server = app.listen(port, () => {
  console.log(`Cổng Dịch vụ công is running at http://localhost:${port}`);
});

async function shutdown() {
  server.close();
  await entry.stopWorker().catch(() => {});
  await gatewaySim?.close().catch(() => {});
  await entry.stopDatabase().catch(() => {});
  await vite?.close();
  process.exit(0);
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
