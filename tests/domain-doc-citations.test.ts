/**
 * Code cites the domain rules as `docs/domain.md#anchor` (docs/decisions/023-structure-and-dependency-rules.md):
 * every cited anchor exists in docs/domain.md, so a renamed section cannot leave dangling citations.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : files(full);
    return /\.(tsx?|md)$/.test(e.name) ? [full] : [];
  });
}

describe("docs/domain.md citations", () => {
  const anchors = new Set(
    [...fs.readFileSync(path.join(root, "docs/domain.md"), "utf8").matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]),
  );
  const cited = ["app", "db", "scripts", "gateway-sim", "docs"].flatMap((d) =>
    files(path.join(root, d)).flatMap((f) =>
      [...fs.readFileSync(f, "utf8").matchAll(/docs\/domain\.md(#[a-z0-9-]+|\s§\d)/g)].map((m) => ({
        file: path.relative(root, f),
        ref: m[1] ?? "",
      })),
    ),
  );

  it("is cited from the code", () => {
    expect(cited.filter((c) => c.file.startsWith("app/")).length).toBeGreaterThan(10);
  });

  it("has every cited anchor, and no citation by section number", () => {
    const bad = cited.filter((c) => !c.ref.startsWith("#") || !anchors.has(c.ref.slice(1)));
    expect(bad).toEqual([]);
  });
});
