/**
 * No import cycle through the dossier workflow, the payments and the job queue (issue 16): services enqueue
 * through app/server/jobs/queue.server.ts, and only app/server/jobs/worker.server.ts wires tasks to their
 * code. Reads the static and dynamic relative imports of every module under app/ and looks for a cycle
 * that touches those three folders.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const WATCHED = ["app/server/payments/", "app/server/jobs/", "app/server/dossiers/"];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s(?:[^"';]*?\sfrom\s)?["']([^"']+)["']/gm),
    ...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g),
  ]
    // Type-only imports vanish at run time and cannot make a cycle.
    .filter((m) => !/^\s*(?:import|export)\s+type\s/.test(m[0]))
    .map((m) => m[1] ?? "");
  return specs.flatMap((spec) => {
    let target: string | undefined;
    if (spec.startsWith(".")) target = path.resolve(path.dirname(file), spec);
    else if (spec.startsWith("#app/")) target = path.join(root, "app", spec.slice(5));
    if (!target) return [];
    for (const candidate of [target, `${target}.ts`, `${target}.tsx`]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return [path.relative(root, candidate)];
    }
    return [];
  });
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe("import graph", () => {
  it("has no cycle through the workflow, payments and jobs", () => {
    const graph = new Map<string, string[]>();
    for (const file of sourceFiles(path.join(root, "app"))) graph.set(path.relative(root, file), importsOf(file));
    const bad = cycles(graph).filter((c) => c.some((f) => WATCHED.some((w) => f.startsWith(w))));
    expect(bad.map((c) => c.join(" → "))).toEqual([]);
  });

  it("sees the imports it checks (the worker imports the payment service)", () => {
    expect(importsOf(path.join(root, "app/server/jobs/worker.server.ts"))).toContain(
      "app/server/payments/payment-service.server.ts",
    );
  });
});
