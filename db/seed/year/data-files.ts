/**
 * The data files seed:year reads, all shipped in db/data/ (provenance in db/data/README.md). Checked before
 * anything else is loaded, so a missing file is one line, not a module-loading stack trace. Nothing here (or
 * anywhere in the project) reads the reference folder the files were derived from.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data");
export const DATA_FILES = ["quangninh-2025-units.json", "tthc-catalogue.json.gz"] as const;

/** The one-line message for the files missing from `dir`, or null when all are there. */
export function missingDataMessage(dir: string = DATA_DIR): string | null {
  const missing = DATA_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length === 0) return null;
  const shown = missing.map((f) => path.relative(process.cwd(), path.join(dir, f)) || f).join(", ");
  const [verb, subject] = missing.length === 1 ? ["is", "it ships"] : ["are", "they ship"];
  return (
    `seed:year: ${shown} ${verb} missing; ${subject} with the repository: ` +
    "restore with `git checkout -- db/data` (or re-derive: db/data/README.md)"
  );
}
