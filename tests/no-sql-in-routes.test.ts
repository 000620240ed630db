/**
 * Routes parse, guard, call one server function and render (docs/decisions/023-structure-and-dependency-rules.md):
 * no file under app/routes builds SQL. The dependency rules (`npm run lint:deps`) forbid importing kysely there;
 * this test catches query-builder calls on the `db` handle too.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const routes = path.resolve(import.meta.dirname, "../app/routes");
const SQL = /\b(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|with(?:Recursive)?)\s*\(|\bsql\s*`|\.raw\s*\(/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return files(full);
    return /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe("routes", () => {
  it("contain no SQL", () => {
    const offenders = files(routes).flatMap((f) =>
      fs
        .readFileSync(f, "utf8")
        .split("\n")
        .map((line, i) => ({ line, i }))
        .filter(({ line }) => SQL.test(line))
        .map(({ line, i }) => `${path.relative(routes, f)}:${i + 1}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it("are what the check reads", () => {
    expect(files(routes).length).toBeGreaterThan(40);
    expect(SQL.test("await db.selectFrom('dossiers')")).toBe(true);
    expect(SQL.test("sql`select 1`")).toBe(true);
  });
});
