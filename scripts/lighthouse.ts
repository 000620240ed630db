/**
 * `npm run lighthouse`: Lighthouse (mobile, its default simulated throttling) on the citizen pages that
 * matter most — home, search, a procedure, the new-dossier form and My dossiers (signed in as the demo
 * citizen) — for performance, accessibility, best practices and SEO. Prints a table and exits non-zero
 * when accessibility, best practices or SEO is under 100 (LIGHTHOUSE_MIN_PERFORMANCE, default 0, sets a
 * floor for performance too: its score depends on the machine's load).
 *
 * It builds the app (skip with --no-build), starts it in demo mode on port LIGHTHOUSE_PORT (3135) on a
 * fresh embedded PostgreSQL (LIGHTHOUSE_EMBEDDED_PG_PORT, 54365), or on DATABASE_URL when given (demo
 * data is seeded into it when empty), signs the demo citizen in with plain HTTP requests and hands the
 * session cookie to Lighthouse as an extra header (no Puppeteer). Chrome: CHROME_PATH, else Debian's
 * /usr/bin/chromium, with --headless=new --no-sandbox --disable-gpu.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const PORT = Number(process.env.LIGHTHOUSE_PORT ?? 3135);
const ORIGIN = `http://localhost:${PORT}`;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const MIN: Record<(typeof CATEGORIES)[number], number> = {
  performance: Number(process.env.LIGHTHOUSE_MIN_PERFORMANCE ?? 0),
  accessibility: 100,
  "best-practices": 100,
  seo: 100,
};
const DEMO_CITIZEN = { identifier: "022090000001", password: "DemoPortal2026" };

const PAGES: Array<{ name: string; path: string; signedIn?: true }> = [
  { name: "Home", path: "/" },
  { name: "Search", path: "/procedures?q=khai+sinh" },
  { name: "Procedure", path: "/procedures/1.001193" },
  { name: "New dossier", path: "/dossiers/new/1.001193", signedIn: true },
  { name: "My dossiers", path: "/dossiers", signedIn: true },
];

function startServer(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(PORT),
    PORTAL_MODE: "demo",
    SEED_DEMO: "true",
    JOBS: "off",
    GATEWAY_PORT: process.env.LIGHTHOUSE_GATEWAY_PORT ?? "8135",
  };
  if (!process.env.DATABASE_URL) {
    const pgPort = process.env.LIGHTHOUSE_EMBEDDED_PG_PORT ?? "54365";
    const dir = path.join(os.tmpdir(), `portal-lighthouse-pg-${pgPort}`);
    fs.rmSync(dir, { recursive: true, force: true });
    env.EMBEDDED_PG_DIR = dir;
    env.EMBEDDED_PG_PORT = pgPort;
  }
  const child = spawn(process.execPath, ["build/server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d) => process.stderr.write(`[server] ${d}`));
  child.stderr?.on("data", (d) => process.stderr.write(`[server] ${d}`));
  return child;
}

async function waitForHealth(timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${ORIGIN}/api/health`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`the app did not answer on ${ORIGIN}/api/health`);
}

/** Signs the demo citizen in (CSRF cookie and token from the sign-in page); returns the Cookie header. */
async function signIn(): Promise<string> {
  const jar = new Map<string, string>();
  const absorb = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair && eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const page = await fetch(`${ORIGIN}/auth/login`);
  absorb(page);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error("no CSRF token on the sign-in page");
  const res = await fetch(`${ORIGIN}/auth/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie() },
    body: new URLSearchParams({ csrf, identifier: DEMO_CITIZEN.identifier, password: DEMO_CITIZEN.password }),
  });
  absorb(res);
  if (res.status !== 302 && res.status !== 303) throw new Error(`sign-in answered ${res.status}`);
  return cookie();
}

async function main() {
  if (!process.argv.includes("--no-build")) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  const server = startServer();
  let chrome: chromeLauncher.LaunchedChrome | undefined;
  try {
    await waitForHealth();
    const cookie = await signIn();
    const rows: Array<{ name: string; scores: Record<string, number> }> = [];
    for (const p of PAGES) {
      // A fresh browser per page: a cookie Chrome keeps from an earlier page (the CSRF cookie) would
      // replace the Cookie extra header, and the signed-in pages would go to the sign-in page.
      await chrome?.kill();
      chrome = await chromeLauncher.launch({
        chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
        chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
      });
      // One warm-up load (the first request of a page compiles and caches on the server).
      await fetch(`${ORIGIN}${p.path}`, { headers: p.signedIn ? { Cookie: cookie } : {} });
      const result = await lighthouse(`${ORIGIN}${p.path}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: [...CATEGORIES],
        ...(p.signedIn ? { extraHeaders: { Cookie: cookie } } : {}),
      });
      if (!result) throw new Error(`no Lighthouse result for ${p.path}`);
      const lhr = result.lhr;
      if (lhr.finalDisplayedUrl && new URL(lhr.finalDisplayedUrl).pathname.startsWith("/auth/login"))
        throw new Error(`${p.path} went to the sign-in page: the session cookie was not used`);
      const scores: Record<string, number> = {};
      for (const c of CATEGORIES) scores[c] = Math.round((lhr.categories[c]?.score ?? 0) * 100);
      rows.push({ name: p.name, scores });
      const failing = Object.values(lhr.audits).filter(
        (a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary",
      );
      for (const a of failing) console.error(`  ${p.name}: ${a.id} — ${a.title}`);
    }
    const header = `| Page | ${CATEGORIES.join(" | ")} |`;
    console.log(`\n${header}\n|${" --- |".repeat(CATEGORIES.length + 1)}`);
    for (const r of rows) console.log(`| ${r.name} | ${CATEGORIES.map((c) => r.scores[c]).join(" | ")} |`);
    const under = rows.flatMap((r) =>
      CATEGORIES.filter((c) => (r.scores[c] ?? 0) < MIN[c]).map((c) => `${r.name} ${c} ${r.scores[c]} < ${MIN[c]}`),
    );
    if (under.length > 0) {
      console.error(`\nUnder the thresholds:\n  ${under.join("\n  ")}`);
      process.exitCode = 1;
    } else console.log("\nAll pages at or above the thresholds.");
  } finally {
    await chrome?.kill();
    server.kill("SIGTERM");
  }
}

await main();
