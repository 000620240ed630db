/**
 * `seedYear`: one generated period into one database — refuse or replace what a previous run left,
 * upsert the catalogue, load the calendar once, generate and COPY the dossiers, report the metrics.
 */

import { sql } from "kysely";
import { getCalendar } from "../../../app/server/calendar/calendar-service.server.ts";
import { createDb } from "../../../app/server/db.server.ts";
import { applyReorganisation } from "../../../app/server/units/reorganisation.server.ts";
import { REFORM_2025 } from "../units-2025.ts";
import { generateYear, type Period } from "./generate.ts";
import {
  copyDossiers,
  countGenerated,
  deleteGenerated,
  type EventsMode,
  existingSequences,
  type LoadSummary,
  type RollupMode,
  upsertCatalogue,
} from "./load.ts";
import { type YearReport, yearReport } from "./report.ts";
import { dossiersFor, SCALES, type Scale } from "./scales.ts";

/** When a generated database applies the 2025 reform: 08:00 on its effective day in Vietnam. */
const REFORM_AT = new Date(`${REFORM_2025.effectiveOn}T08:00:00+07:00`);

export class YearAlreadySeededError extends Error {
  override name = "YearAlreadySeededError";
  constructor(
    readonly period: Period,
    readonly existing: number,
  ) {
    super(
      `${existing.toLocaleString("en-US")} generated dossiers already exist for ${period.from}..${period.to}; ` +
        "run again with --replace to delete them first",
    );
  }
}

export type SeedYearOptions = {
  scale: string;
  seed: string | number;
  replace?: boolean;
  /** Override the scale's number of dossiers. */
  dossiers?: number;
  events?: EventsMode;
  batchSize?: number;
  rollup?: RollupMode;
  connections?: number;
  /** The simulation's "now" (defaults to the real time): nothing happens after it. */
  now?: Date;
  report?: boolean;
  log?: (line: string) => void;
};

export type SeedYearResult = {
  scale: Scale;
  period: Period;
  replaced: number;
  loaded: LoadSummary;
  seconds: number;
  report: YearReport | null;
};

export async function seedYear(url: string, opts: SeedYearOptions): Promise<SeedYearResult> {
  const scale = SCALES[opts.scale];
  if (!scale) throw new Error(`unknown scale "${opts.scale}"; known: ${Object.keys(SCALES).join(", ")}`);
  const log = opts.log ?? (() => {});
  const now = opts.now ?? new Date();
  const period = scale.period(now);
  const db = createDb(url, 2);
  try {
    const existing = await countGenerated(db, period);
    let replaced = 0;
    if (existing > 0) {
      if (!opts.replace) throw new YearAlreadySeededError(period, existing);
      log(`Deleting ${existing.toLocaleString("en-US")} generated dossiers of ${period.from}..${period.to} …`);
      replaced = await deleteGenerated(db, period);
    }
    const catalogue = scale.catalogue();
    await upsertCatalogue(db, catalogue, scale.overwriteCatalogue);
    log(
      `Catalogue ${catalogue.name}: ${catalogue.agencies.length} agencies, ${catalogue.procedures.length} procedures (upserted).`,
    );
    if (catalogue.history) {
      // The reform as an event, through the real code, on its day (ADR 017); once per database (a demo database
      // has it applied already). The catalogue has put everything at the new units, so it moves what a previous
      // load left open at the old ones, if anything.
      const reform = await applyReorganisation(db, REFORM_2025.code, { userId: null, role: "system" }, REFORM_AT);
      if (reform.applied) log(`Reorganisation ${REFORM_2025.code} applied as of ${REFORM_2025.effectiveOn}.`);
    }
    const calendar = await getCalendar(db);
    const sequences = await existingSequences(db, period);
    const dossiers = opts.dossiers ?? dossiersFor(scale, period);
    const events = opts.events ?? scale.events;
    log(
      `Generating ${dossiers.toLocaleString("en-US")} dossiers for ${period.from}..${period.to} (seed ${opts.seed}) …`,
    );
    const started = performance.now();
    let lastLog = started;
    const generated = generateYear({
      catalogue,
      calendar,
      period,
      dossiers,
      seed: opts.seed,
      now,
      spread: scale.spread,
      events: events !== "none",
      sequences,
    });
    const loaded = await copyDossiers(url, generated, {
      scale: scale.name,
      refPrefix: `G${period.from.replaceAll("-", "").slice(2)}${period.to.replaceAll("-", "").slice(2)}-`,
      batchSize: opts.batchSize ?? scale.batchSize,
      rollup: opts.rollup ?? scale.rollup,
      events,
      connections: opts.connections ?? scale.connections,
      onProgress: (written) => {
        const t = performance.now();
        if (t - lastLog < 2_000 && written < dossiers) return;
        lastLog = t;
        const rate = Math.round(written / ((t - started) / 1000));
        log(`  ${written.toLocaleString("en-US")} dossiers written (${rate.toLocaleString("en-US")}/s)`);
      },
    });
    // Planner statistics for everything the load changed (the rollups and the catalogue too): until
    // autovacuum gets to them, the dashboard's and the API's queries are planned as if the tables were empty.
    for (const table of ["dossiers", "payments", "stats_rollup", "agencies", "procedures", "fields"])
      await sql`analyze ${sql.table(table)}`.execute(db);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage();
    log(
      `Wrote ${loaded.dossiers.toLocaleString("en-US")} dossiers, ${loaded.payments.toLocaleString("en-US")} payments` +
        `${loaded.events ? `, ${loaded.events.toLocaleString("en-US")} events` : ""} in ${seconds.toFixed(1)} s ` +
        `(${Math.round(loaded.dossiers / seconds).toLocaleString("en-US")} dossiers/s` +
        `${loaded.rollupSeconds !== undefined ? `; rollup rebuilt in ${loaded.rollupSeconds.toFixed(1)} s` : ""}; ` +
        `generator process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s).`,
    );
    const report = opts.report === false ? null : await yearReport(db, period, now);
    return { scale, period, replaced, loaded, seconds, report };
  } finally {
    await db.destroy();
  }
}
