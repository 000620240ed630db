/**
 * The error report of an import run: one CSV line per problem (row, column, reason, value as given),
 * written as the rows are read, in the language of whoever started the run. Every cell goes through
 * `csvCell`, so a cell like `=cmd|...` from the imported file is shown as text, never run.
 */
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { RowProblem } from "../../domain/imports/dossier-import.ts";
import { csvCell } from "../../utils/csv.ts";
import { i18next } from "../i18n.server.ts";

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** A translator for the `imports` namespace in a fixed language (jobs and the command have no request). */
export async function importsTranslator(locale: string): Promise<Translate> {
  const t = await i18next.getFixedT(locale === "en" ? "en" : "vi", "imports");
  return (key, vars) => t(key, vars ?? {}) as string;
}

export function problemText(t: Translate, p: RowProblem): string {
  return t(`reasons.${p.reason}`, { ...p.data, column: p.column });
}

export class ErrorReport {
  private stream: fs.WriteStream | undefined;
  private lines = 0;

  constructor(
    readonly filePath: string,
    private readonly t: Translate,
  ) {}

  get problemCount(): number {
    return this.lines;
  }

  async add(problems: readonly RowProblem[]): Promise<void> {
    if (problems.length === 0) return;
    if (!this.stream) {
      await fs.promises.mkdir(path.dirname(this.filePath), { recursive: true });
      this.stream = fs.createWriteStream(this.filePath, { flags: "w" });
      const header = [this.t("report.row"), this.t("report.column"), this.t("report.reason"), this.t("report.value")];
      this.stream.write(`\uFEFF${header.map(csvCell).join(",")}\r\n`);
    }
    let text = "";
    for (const p of problems) {
      const cells = [p.row, p.column || this.t("report.wholeRow"), problemText(this.t, p), p.value ?? ""];
      text += `${cells.map(csvCell).join(",")}\r\n`;
      this.lines++;
    }
    if (!this.stream.write(text)) await once(this.stream, "drain");
  }

  /** Closes the file; returns its path, or null when there was nothing to report. */
  async close(): Promise<string | null> {
    if (!this.stream) return null;
    const stream = this.stream;
    this.stream = undefined;
    await new Promise<void>((resolve, reject) => {
      stream.once("error", reject);
      stream.end(resolve);
    });
    return this.filePath;
  }
}
