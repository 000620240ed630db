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

async function violations(baseDir: string, targets: string[], tsConfig?: object) {
  const result = await cruise(
    targets,
    { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true, baseDir, tsConfig: undefined },
    undefined,
    tsConfig ? { tsConfig } : undefined,
  );
  const output = typeof result.output === "string" ? JSON.parse(result.output) : result.output;
  return (output.summary.violations as Array<{ rule: { name: string }; from: string; to: string }>).map(
    (v) => `${v.rule.name}: ${v.from} → ${v.to}`,
  );
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
    write(
      "app/server/m.server.ts",
      'import { up } from "../../db/migrations/2026_01_01_0000_m.ts";\nexport const m = up;\n',
    );
    write("db/migrations/2026_01_01_0000_m.ts", "export const up = 1;\n");
    const found = await violations(fixture, ["app", "db"]);
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
    expect(await violations(root, ["app", "db", "scripts", "server.ts", "gateway-sim", "bench"], tsConfig)).toEqual([]);
  });
});
