/** Vietnamese and English must have the same files, keys and {{variables}}. */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAMESPACES } from "../app/i18n.ts";

const root = path.resolve(import.meta.dirname, "../locales");

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Plural suffixes differ by language (Vietnamese has one form); compare the base key. */
function base(key: string): string {
  return key.replace(/_(zero|one|two|few|many|other)$/, "");
}

function variables(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? "").sort();
}

function load(lng: string, file: string): Map<string, string> {
  return flatten(JSON.parse(fs.readFileSync(path.join(root, lng, file), "utf8")) as Tree);
}

describe("locales", () => {
  const files = fs
    .readdirSync(path.join(root, "vi"))
    .filter((f) => f.endsWith(".json"))
    .sort();

  it("have the same files in vi and en", () => {
    expect(
      fs
        .readdirSync(path.join(root, "en"))
        .filter((f) => f.endsWith(".json"))
        .sort(),
    ).toEqual(files);
  });

  it("register every file as a namespace", () => {
    expect(files.map((f) => f.replace(/\.json$/, "")).sort()).toEqual([...NAMESPACES].sort());
  });

  for (const file of files) {
    it(`${file}: same keys and variables in vi and en`, () => {
      const vi = load("vi", file);
      const en = load("en", file);
      const viKeys = [...new Set([...vi.keys()].map(base))].sort();
      const enKeys = [...new Set([...en.keys()].map(base))].sort();
      expect(enKeys).toEqual(viKeys);
      for (const [key, text] of vi) {
        const counterpart = en.get(key) ?? en.get(`${base(key)}_other`) ?? en.get(base(key));
        expect(counterpart, key).toBeDefined();
        expect(variables(counterpart ?? ""), key).toEqual(variables(text));
      }
      for (const [key, text] of [...vi, ...en]) expect(text.trim(), key).not.toBe("");
    });
  }

  it("has a message for every validation key used in the code", () => {
    const vi = new Map<string, string>();
    for (const file of files) {
      for (const [k, v] of load("vi", file)) vi.set(`${file.replace(/\.json$/, "")}:${k}`, v);
    }
    const used = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
          for (const m of fs.readFileSync(full, "utf8").matchAll(/"((?:validation|dossier):[\w.]+)"/g))
            used.add(m[1] ?? "");
        }
      }
    };
    walk(path.resolve(import.meta.dirname, "../app"));
    const missing = [...used].filter((k) => !vi.has(k) && !vi.has(`${k}_other`));
    expect(missing).toEqual([]);
  });
});

describe("Decision 766 indicators", () => {
  it("have a translated name for every indicator id", async () => {
    const { DECISION_766_INDICATORS } = await import("../app/domain/stats/metrics.ts");
    for (const lng of ["vi", "en"]) {
      const auth = load(lng, "auth.json");
      for (const ind of DECISION_766_INDICATORS) {
        expect(auth.has(`manager.indicators.i${ind.id.replace(".", "_")}`), `${lng} ${ind.id}`).toBe(true);
      }
    }
  });
});
