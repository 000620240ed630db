/**
 * The dependency rules (.dependency-cruiser.cjs, docs/decisions/023-structure-and-dependency-rules.md) hold for
 * the project — `npm run lint:deps` checks the same in `npm test` — and they do catch what they forbid: a small
 * fixture with a cycle, a domain module importing the server, a route importing another route folder and a
 * runtime module importing a migration breaks each rule.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const config = createRequire(import.meta.url)(path.join(root, ".dependency-cruiser.cjs")) as IConfiguration;

type Cruised = {
  summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> };
  modules: Array<{ source: string; dependencies: Array<{ resolved: string }> }>;
};

/**
 * A module in a route folder that imports a module of another route folder. dependency-cruiser's rule puts the
 * folder name into a regular expression unescaped, so folders named with `$`, `[` or `]` are checked here.
 */
function crossRouteImports(result: Cruised): string[] {
  const folder = (f: string) => /^app\/routes\/([^/]+)\//.exec(f)?.[1];
  return result.modules.flatMap((m) => {
    const from = folder(m.source);
    if (!from) return [];
    return m.dependencies
      .filter((d) => d.resolved.startsWith("app/routes/") && folder(d.resolved) !== from)
      .map((d) => `${m.source} → ${d.resolved}`);
  });
}

async function cruised(baseDir: string, targets: string[], tsConfig?: object): Promise<Cruised> {
  const result = await cruise(
    targets,
    { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir, tsConfig: undefined },
    undefined,
    tsConfig ? { tsConfig } : undefined,
  );
  return (typeof result.output === "string" ? JSON.parse(result.output) : result.output) as Cruised;
}

const fixture = fs.mkdtempSync(path.join(os.tmpdir(), "depcruise-"));
afterAll(() => fs.rmSync(fixture, { recursive: true, force: true }));

function write(file: string, text: string) {
  fs.mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
  fs.writeFileSync(path.join(fixture, file), text);
}

describe("dependency rules", () => {
  it("catch a cycle, an impure domain, a cross-route import and a migration import", async () => {
    write("app/domain/rule.ts", 'import { q } from "../server/q.server.ts";\nexport const r = () => q;\n');
    write("app/server/q.server.ts", 'import { r } from "../domain/rule.ts";\nexport const q = () => r;\n');
    write("app/routes/a/route.tsx", 'import { x } from "../b/x.tsx";\nexport default x;\n');
    write("app/routes/b/x.tsx", "export const x = 1;\n");
    write("app/routes/c.$id/route.tsx", 'import { y } from "../d.$id/y.tsx";\nexport default y;\n');
    write("app/routes/d.$id/y.tsx", "export const y = 1;\n");
    write(
      "app/server/m.server.ts",
      'import { up } from "../../db/migrations/2026_01_01_0000_m.ts";\nexport const m = up;\n',
    );
    write("db/migrations/2026_01_01_0000_m.ts", "export const up = 1;\n");
    const result = await cruised(fixture, ["app", "db"]);
    expect(crossRouteImports(result)).toEqual(
      expect.arrayContaining([
        "app/routes/a/route.tsx → app/routes/b/x.tsx",
        "app/routes/c.$id/route.tsx → app/routes/d.$id/y.tsx",
      ]),
    );
    const found = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(found).toEqual(
      expect.arrayContaining([
        "no-circular: app/domain/rule.ts → app/server/q.server.ts",
        "domain-depends-on-nothing: app/domain/rule.ts → app/server/q.server.ts",
        "no-route-to-other-route-folder: app/routes/a/route.tsx → app/routes/b/x.tsx",
        "no-migration-import: app/server/m.server.ts → db/migrations/2026_01_01_0000_m.ts",
      ]),
    );
  });

  it("hold for the project", { timeout: 60_000 }, async () => {
    const tsConfig = JSON.parse(fs.readFileSync(path.join(root, "tsconfig.json"), "utf8"));
    const result = await cruised(root, ["app", "db", "scripts", "server.ts", "gateway-sim", "bench"], tsConfig);
    expect(result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(crossRouteImports(result)).toEqual([]);
    // The check sees the route folders' own imports.
    const page = result.modules.find((m) => m.source === "app/routes/_citizen.dossiers.$id._index/route.tsx");
    expect(page?.dependencies.map((d) => d.resolved)).toContain("app/routes/_citizen.dossiers.$id._index/sections.tsx");
  });
});
