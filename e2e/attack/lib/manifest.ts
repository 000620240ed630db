/**
 * The route manifest of the production build the e2e server runs (`build/server/index.js`, export `routes`),
 * read in a child process so the build's server modules (database pool, timers) never load into the test
 * worker. Full URL patterns are made by joining the parents' paths.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

export type ManifestRoute = {
  id: string;
  parentId: string | null;
  path: string | null;
  index: boolean;
  hasLoader: boolean;
  hasAction: boolean;
  hasChildren: boolean;
  /** e.g. `/dossiers/:id/files/:fileId` */
  pattern: string;
};

const SCRIPT = `
const b = await import(process.argv[1]);
const out = Object.values(b.routes).map((r) => ({
  id: r.id, parentId: r.parentId ?? null, path: r.path ?? null, index: Boolean(r.index),
  hasLoader: typeof r.module.loader === "function", hasAction: typeof r.module.action === "function",
}));
process.stdout.write(JSON.stringify(out));
process.exit(0);
`;

export function loadManifest(buildFile = path.resolve("build/server/index.js")): ManifestRoute[] {
  if (!fs.existsSync(buildFile)) throw new Error(`${buildFile} is missing: run \`npm run build\` first`);
  const json = execFileSync(process.execPath, ["--input-type=module", "-e", SCRIPT, pathToFileURL(buildFile).href], {
    encoding: "utf8",
    // The build's modules only read configuration at import (demo mode: no production checks apply).
    env: { ...process.env, JOBS: "off", PORTAL_MODE: "demo" },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const raw = JSON.parse(json) as Array<Omit<ManifestRoute, "pattern" | "hasChildren">>;
  const byId = new Map(raw.map((r) => [r.id, r]));
  const patternOf = (id: string): string => {
    const parts: string[] = [];
    for (let r = byId.get(id); r; r = r.parentId ? byId.get(r.parentId) : undefined) {
      if (r.path) parts.unshift(r.path.replace(/^\/+|\/+$/g, ""));
    }
    return `/${parts.filter(Boolean).join("/")}`;
  };
  return raw.map((r) => ({
    ...r,
    hasChildren: raw.some((c) => c.parentId === r.id),
    pattern: patternOf(r.id),
  }));
}

/** Fills `:name` and `*` segments; throws when a param has no value (the policy row must supply it). */
export function fillPattern(pattern: string, params: Record<string, string>): string {
  return pattern.replace(/:(\w+)|\*/g, (m, name: string | undefined) => {
    const key = name ?? "*";
    const v = params[key];
    if (v === undefined) throw new Error(`no value for ${m} in ${pattern}`);
    return key === "*" ? v : encodeURIComponent(v);
  });
}
