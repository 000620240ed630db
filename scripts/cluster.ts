/**
 * `npm run cluster`: several app instances (the built server, build/server.js) behind HAProxy, on one
 * PostgreSQL — DATABASE_URL, or the embedded one, started once here and re-used by every instance. In demo
 * mode the gateway simulator also runs once, as its own process; each instance finds it on GATEWAY_PORT and
 * re-uses it (and says so in its log). Everything that must behave as one system already lives in
 * PostgreSQL: sessions, CSRF (bound to the session, signed with the shared CSRF_SECRET), rate limits
 * (ADR 010), the job queue and its crontab (graphile-worker). See docs/operations.md and ADR 022.
 *
 *   npm run cluster -- [--instances 3] [--port 8080] [--app-port 3101]
 *
 * Also used by the operations tests (tests/ops/), which start, kill and restart instances through it.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export type ClusterOptions = {
  instances: number;
  /** The proxy's port: the address citizens use. */
  proxyPort: number;
  /** Instance i listens on appPort + i. */
  appPort: number;
  gatewayPort: number;
  /** The remote signing simulator's port in demo mode (default: the gateway's + 1, 8090 with the defaults). */
  signingPort?: number;
  /** Environment for every instance (defaults to this process's). */
  env?: NodeJS.ProcessEnv;
  /** Where lines of every process go, prefixed with its name. */
  log?: (line: string) => void;
  /** HAProxy's working folder (its configuration). */
  workDir?: string;
};

export type Instance = {
  name: string;
  port: number;
  /** Every line the instance printed, this run and earlier runs. */
  lines: string[];
  process: ChildProcess | undefined;
  /** Starts (or starts again) and resolves when /readyz answers 200 (database up, migrations applied). */
  start(): Promise<void>;
  /** SIGKILL: the process dies at once, mid-request (fault tests). */
  kill(): void;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
};

export type Cluster = {
  url: string;
  instances: Instance[];
  gateway: { url: string; lines: string[]; started: boolean };
  signing: { url: string; lines: string[]; started: boolean };
  proxyLines: string[];
  stop(): Promise<void>;
};

function lineSink(name: string, into: string[], log?: (line: string) => void) {
  let rest = "";
  return (chunk: Buffer) => {
    rest += chunk.toString("utf8");
    const parts = rest.split("\n");
    rest = parts.pop() ?? "";
    for (const line of parts) {
      into.push(line);
      log?.(`[${name}] ${line}`);
    }
  };
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  dead?: () => string | undefined,
) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const why = dead?.();
    if (why) throw new Error(`${what}: ${why}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not ready after ${Math.round(timeoutMs / 1000)} s`);
}

const answers = (url: string) => async () => (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;

async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The HAProxy configuration: round robin, health checks, a refused connection retried on another instance. */
export function haproxyConfig(proxyPort: number, servers: Array<{ name: string; port: number }>): string {
  return [
    "global",
    "  maxconn 4096",
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 60s",
    "  timeout server 60s",
    "  option forwardfor",
    // A connection refused by a dead instance is tried again on another one. The request never reached the
    // dead instance, so this is safe for POSTs too (retry-on conn-failure only, HAProxy's default).
    "  retries 3",
    "  option redispatch 1",
    "frontend portal",
    `  bind 127.0.0.1:${proxyPort}`,
    "  default_backend apps",
    "backend apps",
    "  balance roundrobin",
    "  option httpchk GET /api/health",
    "  http-check expect status 200",
    "  default-server inter 1s fall 2 rise 1",
    ...servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port} check`),
    "",
  ].join("\n");
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  const env = { ...(opts.env ?? process.env) };
  const log = opts.log;
  const serverJs = path.join(ROOT, "build/server.js");
  if (!fs.existsSync(serverJs)) throw new Error("build/server.js is missing: run `npm run build` first");
  const haproxyBin = spawnSync("sh", ["-c", "command -v haproxy"], { encoding: "utf8" }).stdout.trim();
  if (!haproxyBin) throw new Error("HAProxy is not installed: apt-get install -y haproxy");

  const publicUrl = `http://localhost:${opts.proxyPort}`;
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };

  try {
    // One database for all: the embedded one is started here once (the instances find it and re-use it).
    if (!env.DATABASE_URL) {
      const { startEmbeddedPostgres } = await import("../app/server/embedded-pg.server.ts");
      const dataDir = env.EMBEDDED_PG_DIR ?? path.join(ROOT, ".data/pg");
      const embedded = await startEmbeddedPostgres({
        dataDir,
        port: Number(env.EMBEDDED_PG_PORT ?? 54329),
        database: "postgres",
        onReuse: (m) => log?.(`[cluster] ${m}`),
      });
      if (!embedded.reused) log?.(`[cluster] Embedded PostgreSQL started (data in ${dataDir})`);
      cleanups.push(embedded.stop);
    }

    // Demo mode without a gateway: one simulator process for the whole cluster.
    const demo = env.PORTAL_MODE === "demo" || (!env.DATABASE_URL && env.PORTAL_MODE !== "production");
    const gateway = { url: env.GATEWAY_URL ?? "", lines: [] as string[], started: false };
    if (demo && !env.GATEWAY_URL) {
      const sim = spawn(process.execPath, [path.join(ROOT, "build/gateway-sim.js")], {
        cwd: ROOT,
        env: {
          ...env,
          GATEWAY_PORT: String(opts.gatewayPort),
          GATEWAY_IPN_URL: `${env.PUBLIC_URL ?? publicUrl}/api/payments/ipn`,
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      sim.stdout?.on("data", lineSink("gateway", gateway.lines, log));
      sim.stderr?.on("data", lineSink("gateway", gateway.lines, log));
      cleanups.push(() => stopChild(sim));
      gateway.url = `http://127.0.0.1:${opts.gatewayPort}`;
      gateway.started = true;
      await waitFor("gateway simulator", answers(`${gateway.url}/_sim/identity`), 15_000, () =>
        sim.exitCode !== null ? `exited with ${sim.exitCode}: ${gateway.lines.join(" | ")}` : undefined,
      );
    }

    // Demo mode without a signing service: one remote signing simulator for the whole cluster too, so a one-time
    // code sent through one instance is checked by the same credential store whichever instance answers.
    const signingPort = opts.signingPort ?? opts.gatewayPort + 1;
    const signing = { url: env.SIGNING_SERVICE_URL ?? "", lines: [] as string[], started: false };
    if (demo && !env.SIGNING_SERVICE_URL) {
      const sim = spawn(process.execPath, [path.join(ROOT, "build/signing-sim.js")], {
        cwd: ROOT,
        env: { ...env, SIGNING_SIM_PORT: String(signingPort), PUBLIC_URL: env.PUBLIC_URL ?? publicUrl },
        stdio: ["ignore", "pipe", "pipe"],
      });
      sim.stdout?.on("data", lineSink("signing", signing.lines, log));
      sim.stderr?.on("data", lineSink("signing", signing.lines, log));
      cleanups.push(() => stopChild(sim));
      signing.url = `http://127.0.0.1:${signingPort}`;
      signing.started = true;
      await waitFor("signing simulator", answers(`${signing.url}/_sim/identity`), 15_000, () =>
        sim.exitCode !== null ? `exited with ${sim.exitCode}: ${signing.lines.join(" | ")}` : undefined,
      );
    }

    const instances: Instance[] = [];
    for (let i = 0; i < opts.instances; i++) {
      const name = `app${i + 1}`;
      const port = opts.appPort + i;
      const lines: string[] = [];
      const instance: Instance = {
        name,
        port,
        lines,
        process: undefined,
        async start() {
          const child = spawn(process.execPath, ["--max-old-space-size=160", serverJs], {
            cwd: ROOT,
            env: {
              ...env,
              // As `npm run serve` (a test runner's NODE_ENV=test must not leak into the instances).
              NODE_ENV: "production",
              PORT: String(port),
              // Stays the same when this instance restarts: it then frees the jobs its killed run held.
              INSTANCE_ID: name,
              PUBLIC_URL: env.PUBLIC_URL ?? publicUrl,
              GATEWAY_PORT: String(opts.gatewayPort),
              SIGNING_SIM_PORT: String(signingPort),
              TRUST_PROXY: env.TRUST_PROXY ?? "loopback",
            },
            stdio: ["ignore", "pipe", "pipe"],
          });
          instance.process = child;
          child.stdout?.on("data", lineSink(name, lines, log));
          child.stderr?.on("data", lineSink(name, lines, log));
          await waitFor(`${name} on port ${port}`, answers(`http://127.0.0.1:${port}/readyz`), 180_000, () =>
            child.exitCode !== null ? `exited with ${child.exitCode}: ${lines.slice(-5).join(" | ")}` : undefined,
          );
        },
        kill() {
          instance.process?.kill("SIGKILL");
        },
        stop: () => stopChild(instance.process),
      };
      instances.push(instance);
      cleanups.push(() => instance.stop());
    }
    // The first instance migrates and (in demo mode) seeds alone; the others then start together.
    await instances[0]?.start();
    await Promise.all(instances.slice(1).map((i) => i.start()));

    const workDir = opts.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "portal-cluster-"));
    const cfg = path.join(workDir, "haproxy.cfg");
    fs.writeFileSync(cfg, haproxyConfig(opts.proxyPort, instances));
    const proxyLines: string[] = [];
    const proxy = spawn(haproxyBin, ["-db", "-f", cfg], { stdio: ["ignore", "pipe", "pipe"] });
    proxy.stdout?.on("data", lineSink("haproxy", proxyLines, log));
    proxy.stderr?.on("data", lineSink("haproxy", proxyLines, log));
    cleanups.push(() => stopChild(proxy));
    await waitFor("HAProxy", answers(`http://127.0.0.1:${opts.proxyPort}/readyz`), 15_000, () =>
      proxy.exitCode !== null ? `exited with ${proxy.exitCode}: ${proxyLines.join(" | ")}` : undefined,
    );

    return { url: `http://127.0.0.1:${opts.proxyPort}`, instances, gateway, signing, proxyLines, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name}: expected a positive whole number`);
    process.exit(2);
  }
  return value;
}

const runDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const instances = arg("instances", 2);
  const proxyPort = arg("port", Number(process.env.PORT ?? 8080));
  const appPort = arg("app-port", 3101);
  try {
    const cluster = await startCluster({
      instances,
      proxyPort,
      appPort,
      gatewayPort: Number(process.env.GATEWAY_PORT ?? 8089),
      log: (line) => console.log(line),
    });
    console.log(
      `\nCổng Dịch vụ công: ${instances} instances (ports ${appPort}–${appPort + instances - 1}) behind HAProxy at http://localhost:${proxyPort}. Ctrl+C stops them all.\n`,
    );
    const stop = () => {
      void cluster.stop().then(() => process.exit(0));
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    console.error(`\nThe cluster could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
