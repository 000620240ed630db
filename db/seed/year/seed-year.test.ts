/**
 * The generated year: deterministic for a seed, every dossier consistent with the REAL domain rules
 * (calendar due date, clock outcome, transition table), refuses or replaces a previous run, keeps the
 * rollup equal to a recount, and its metrics come out plausible (ranges, never the targets).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type DeadlineUnit,
  parseCalendarDays,
  WorkingCalendar,
} from "../../../app/domain/calendar/working-calendar.ts";
import type { DossierStatus } from "../../../app/domain/dossier/dossier.ts";
import { outcomeAt } from "../../../app/domain/dossier/dossier-clock.ts";
import { parseDossierCode } from "../../../app/domain/dossier/dossier-code.ts";
import { transitions } from "../../../app/domain/dossier/dossier-workflow.ts";
import { getCalendar } from "../../../app/server/calendar/calendar-service.server.ts";
import { recountMetrics } from "../../../app/server/stats/stats-queries.server.ts";
import { metricsFor } from "../../../app/server/stats/stats-service.server.ts";
import { levelsInPeriod, unitsAsOf } from "../../../app/server/units/units.server.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import {
  DataFileMissingError,
  demoCatalogue,
  demoCatalogueToday,
  existsIn,
  QUANG_NINH_PROCEDURES,
  quangNinhCatalogue,
  quangNinhCatalogue2026,
  readCatalogueFile,
} from "./catalogue.ts";
import { DATA_DIR, missingDataMessage } from "./data-files.ts";
import { type GeneratedDossier, generateYear } from "./generate.ts";
import { pgTimestamp } from "./load.ts";
import { dossiersFor, SCALES, yearShare } from "./scales.ts";
import { seedYear, YearAlreadySeededError } from "./seed-year.ts";

const calendar = new WorkingCalendar(
  parseCalendarDays(JSON.parse(fs.readFileSync(new URL("../vn-calendar.json", import.meta.url), "utf8"))),
);
const NOW = new Date("2026-06-01T00:00:00Z");
const PERIOD = { from: "2024-01-01", to: "2024-12-31" };

function generate(seed: number, dossiers = 2_000): GeneratedDossier[] {
  return [
    ...generateYear({
      catalogue: demoCatalogue(),
      calendar,
      period: PERIOD,
      dossiers,
      seed,
      now: NOW,
      spread: false,
      events: true,
    }),
  ];
}

const fingerprint = (list: GeneratedDossier[]) =>
  list.map((d) =>
    [
      d.id,
      d.code,
      d.procedure.code,
      d.channel,
      d.status,
      d.receivedAt?.getTime(),
      d.endedAt?.getTime(),
      d.outcome,
    ].join("|"),
  );

type Transitions = Record<DossierStatus, Partial<Record<string, DossierStatus>>>;

describe("generated year (pure)", () => {
  const year = generate(11);

  it("is deterministic for a seed and differs between seeds", () => {
    expect(fingerprint(generate(11))).toEqual(fingerprint(year));
    expect(fingerprint(generate(12))).not.toEqual(fingerprint(year));
  });

  it("receives exactly the requested number in a complete period, with unique well-formed codes", () => {
    const received = year.filter((d) => d.receivedAt);
    expect(received).toHaveLength(2_000);
    for (const d of received) {
      expect(d.receivedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse("2024-01-01T00:00:00+07:00"));
      expect(d.receivedAt!.getTime()).toBeLessThan(Date.parse("2025-01-01T00:00:00+07:00"));
    }
    expect(new Set(year.map((d) => d.code)).size).toBe(year.length);
    for (const d of year) expect(parseDossierCode(d.code)?.agencyCode).toBe(d.agencyCode);
  });

  it("takes due dates from the calendar and outcomes from the clock", () => {
    for (const d of year) {
      if (!d.receivedAt) continue;
      const due = calendar.dueDate(d.receivedAt, d.procedure.amount, d.procedure.unit as DeadlineUnit).due;
      expect(d.originalDueAt).toEqual(due);
      // Pauses are added one by one (extendForPause), exactly; the stored total is in whole minutes (each
      // pause rounded), so the office time between the two due dates is that total within half a minute a pause.
      const extra = calendar.officeMinutesBetween(due, d.dueAt!);
      expect(Math.abs(extra - d.pausedMinutes)).toBeLessThanOrEqual(0.5 * d.supplementsAfterReceipt + 0.001);
      if (d.endedAt) {
        const state = {
          receivedAt: d.receivedAt,
          dueAt: d.dueAt,
          pausedAt: null,
          pausedMinutes: d.pausedMinutes,
          supplementsAfterReceipt: d.supplementsAfterReceipt,
        };
        expect(d.outcome).toBe(outcomeAt(state, d.endedAt));
      }
      if (d.supplementsAfterReceipt > 1 && d.outcome) expect(d.outcome).toBe("late");
    }
  });

  it("moves every dossier only along the transition table", () => {
    for (const d of year) {
      const events = d.events ?? [];
      expect(events.length).toBeGreaterThan(0);
      let status: DossierStatus | null = null;
      for (const e of events) {
        expect(e.fromStatus).toBe(status ?? (e.action === "intake" ? null : "draft"));
        if (e.action !== "intake") {
          expect((transitions as Transitions)[e.fromStatus!][e.action]).toBeDefined();
          // answer_supplement before reception goes back to `submitted` (decide), otherwise the table's target.
          if (!(e.action === "answer_supplement" && e.toStatus === "submitted")) {
            expect((transitions as Transitions)[e.fromStatus!][e.action]).toBe(e.toStatus);
          }
        }
        status = e.toStatus;
      }
      expect(status).toBe(d.status);
    }
  });

  it("simulates the behaviours it claims: supplements, payments, both channels, ratings", () => {
    const count = (f: (d: GeneratedDossier) => boolean) => year.filter(f).length;
    expect(count((d) => d.supplementsAfterReceipt > 0)).toBeGreaterThan(0);
    expect(count((d) => d.payment !== null)).toBeGreaterThan(0);
    expect(count((d) => d.channel === "online")).toBeGreaterThan(0);
    expect(count((d) => d.channel === "counter")).toBeGreaterThan(0);
    expect(count((d) => d.rating !== null)).toBeGreaterThan(0);
    expect(count((d) => d.status === "not_received")).toBeGreaterThan(0);
  });
});

describe("COPY timestamps", () => {
  it("formats instants like toISOString, as PostgreSQL literals", () => {
    const start = Date.UTC(1999, 11, 31, 23, 59, 59, 999);
    for (let i = 0; i < 20_000; i++) {
      const ms = start + i * 987_654_321 + (i % 1000);
      const iso = new Date(ms).toISOString();
      expect(pgTimestamp(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}+00`);
    }
  });
});

describe("the demo catalogue as of today (scale demo)", () => {
  it("has no procedure at a unit that ended on 1 July 2025, and no district level", () => {
    const cat = demoCatalogueToday();
    const ended = new Set(cat.agencies.filter((a) => "validTo" in a && a.validTo).map((a) => a.code));
    expect(ended.size).toBe(184);
    expect(cat.procedures.filter((p) => ended.has(p.agencyCode))).toEqual([]);
    expect(cat.procedures.filter((p) => p.level === "district")).toEqual([]);
    expect(cat.procedures).toHaveLength(demoCatalogue().procedures.length);
  });
});

describe("Quảng Ninh 2023 catalogue (db/data/tthc-catalogue.json.gz)", () => {
  it("has 1,367 procedures on three levels and the province's 13 + 177 local units", () => {
    const cat = quangNinhCatalogue();
    expect(cat.procedures).toHaveLength(QUANG_NINH_PROCEDURES);
    expect(new Set(cat.procedures.map((p) => p.code)).size).toBe(QUANG_NINH_PROCEDURES);
    expect(new Set(cat.procedures.map((p) => p.level))).toEqual(new Set(["province", "district", "commune"]));
    expect(cat.agencies.filter((a) => a.level === "district")).toHaveLength(13);
    expect(cat.agencies.filter((a) => a.level === "commune")).toHaveLength(177);
    const agencyCodes = new Set(cat.agencies.map((a) => a.code));
    for (const p of cat.procedures) expect(agencyCodes.has(p.agencyCode)).toBe(true);
    const online = cat.procedures.filter((p) => p.onlineKind !== "none").length / QUANG_NINH_PROCEDURES;
    expect(online).toBeGreaterThan(0.85);
    expect(online).toBeLessThan(0.95);
  });
});

const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");

/**
 * As on a fresh clone with nothing beside it (CI clones into /tmp): every file-system read of a path outside
 * the repository fails as if it did not exist, and is recorded. Restored after each test.
 */
function hideOutsideRepository(): { touched: string[] } {
  const touched: string[] = [];
  const outside = (p: fs.PathLike | number) =>
    typeof p !== "number" &&
    !path.resolve(String(p)).startsWith(REPO + path.sep) &&
    path.resolve(String(p)).startsWith(path.dirname(REPO));
  const enoent = (p: fs.PathLike) =>
    Object.assign(new Error(`ENOENT: no such file or directory, '${String(p)}'`), { code: "ENOENT" });
  const realExists = fs.existsSync;
  const realRead = fs.readFileSync;
  const realOpen = fs.openSync;
  const realStat = fs.statSync;
  vi.spyOn(fs, "existsSync").mockImplementation((p) => {
    if (!outside(p as fs.PathLike)) return realExists(p);
    touched.push(String(p));
    return false;
  });
  vi.spyOn(fs, "readFileSync").mockImplementation(((p: fs.PathOrFileDescriptor, o?: unknown) => {
    if (typeof p !== "number" && outside(p as fs.PathLike)) {
      touched.push(String(p));
      throw enoent(p as fs.PathLike);
    }
    return realRead(p, o as never);
  }) as typeof fs.readFileSync);
  vi.spyOn(fs, "openSync").mockImplementation(((p: fs.PathLike, ...rest: unknown[]) => {
    if (outside(p)) {
      touched.push(String(p));
      throw enoent(p);
    }
    return realOpen(p, ...(rest as [never]));
  }) as typeof fs.openSync);
  vi.spyOn(fs, "statSync").mockImplementation(((p: fs.PathLike, o?: unknown) => {
    if (outside(p)) {
      touched.push(String(p));
      throw enoent(p);
    }
    return realStat(p, o as never);
  }) as typeof fs.statSync);
  return { touched };
}

describe("the shipped data (db/data), with nothing outside the repository", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("builds both province catalogues from db/data alone, never looking outside the repository", () => {
    const hidden = hideOutsideRepository();
    expect(fs.existsSync(path.dirname(REPO))).toBe(false); // the hiding works: the folder above exists
    hidden.touched.length = 0;
    expect(quangNinhCatalogue().procedures).toHaveLength(QUANG_NINH_PROCEDURES);
    expect(quangNinhCatalogue2026().procedures).toHaveLength(QUANG_NINH_PROCEDURES);
    expect(hidden.touched).toEqual([]);
  });

  it("says in one line which db/data file is missing: the catalogue reader and the command's pre-flight", () => {
    expect(missingDataMessage(DATA_DIR)).toBeNull();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "seed-year-data-"));
    const message = missingDataMessage(empty)!;
    expect(message).toContain("quangninh-2025-units.json, ");
    expect(message).toContain("tthc-catalogue.json.gz are missing");
    expect(message).not.toContain("\n");
    expect(() => readCatalogueFile(path.join(empty, "tthc-catalogue.json.gz"))).toThrow(DataFileMissingError);
    fs.rmSync(empty, { recursive: true });
  });

  it("the command exits 1 with that one line, no stack trace, when db/data is missing", () => {
    // The command's own entry point in a tree without db/data (its pre-flight runs before anything else loads).
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), "seed-year-tree-"));
    const dir = path.join(tree, "db/seed/year");
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ["index.ts", "data-files.ts"])
      fs.copyFileSync(path.join(REPO, "db/seed/year", f), path.join(dir, f));
    fs.writeFileSync(path.join(tree, "package.json"), JSON.stringify({ type: "module" }));
    const run = spawnSync(
      path.join(REPO, "node_modules/.bin/tsx"),
      [path.join(dir, "index.ts"), "--scale", "quangninh-2026"],
      {
        cwd: tree,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    fs.rmSync(tree, { recursive: true });
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^seed:year: db\/data\/quangninh-2025-units\.json, db\/data\/tthc-catalogue\.json\.gz are missing/,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("Quảng Ninh 2026 (two tiers since 1 July 2025)", () => {
  const NOW26 = new Date("2026-11-26T03:00:00Z");
  const cat = quangNinhCatalogue2026();
  const y2023 = quangNinhCatalogue();
  const period = SCALES["quangninh-2026"]!.period(NOW26);

  it("keeps 2023's procedures on two levels: district work at the commune level, owned by a unit of 2026", () => {
    expect(period).toEqual({ from: "2026-01-01", to: "2026-11-26" });
    expect(new Set(cat.procedures.map((p) => p.level))).toEqual(new Set(["province", "commune"]));
    const units2026 = new Map(cat.agencies.filter((a) => existsIn(a, period)).map((a) => [a.code, a]));
    expect([...units2026.values()].filter((a) => a.level === "commune")).toHaveLength(54);
    expect([...units2026.values()].filter((a) => a.level === "district")).toHaveLength(0);
    for (const p of cat.procedures) expect(units2026.has(p.agencyCode), p.code).toBe(true);
    const byCode = new Map(y2023.procedures.map((p) => [p.code, p]));
    for (const p of cat.procedures) {
      const old = byCode.get(p.code)!;
      expect(p.demandLevel ?? p.level).toBe(old.level);
      expect([p.feeVnd, p.amount, p.unit, p.onlineKind, p.popularity]).toEqual([
        old.feeVnd,
        old.amount,
        old.unit,
        old.onlineKind,
        old.popularity,
      ]);
      if (old.level === "province") expect(p.agencyCode).toBe(old.agencyCode);
    }
    expect(cat.procedures.filter((p) => p.demandLevel === "district").length).toBe(
      y2023.procedures.filter((p) => p.level === "district").length,
    );
    // Every new unit has a size from the old units that formed it.
    for (const a of units2026.values())
      if (a.level === "commune") expect(cat.unitWeights?.get(a.code), a.code).toBeGreaterThan(0);
  });

  it("receives the year-to-date share of a year's volume, by season", () => {
    const share = yearShare(period, 2026);
    expect(share).toBeGreaterThan(0.85);
    expect(share).toBeLessThan(0.92);
    expect(dossiersFor(SCALES["quangninh-2026"]!, period)).toBe(Math.round(861_990 * share));
    expect(dossiersFor(SCALES["quangninh-2026"]!, { from: "2026-01-01", to: "2026-12-31" })).toBe(861_990);
  });

  it("generates at the units of 2026 only, with the district's demand now at communes", () => {
    const year = [
      ...generateYear({
        catalogue: cat,
        calendar,
        period,
        dossiers: 3_000,
        seed: 4,
        now: NOW26,
        spread: true,
        events: false,
      }),
    ];
    const units2026 = new Map(cat.agencies.filter((a) => existsIn(a, period)).map((a) => [a.code, a.level]));
    const levels = year.map((d) => units2026.get(d.agencyCode));
    expect(levels.filter((l) => l === undefined)).toEqual([]);
    const commune = levels.filter((l) => l === "commune").length / year.length;
    // 2023's commune and district demand together; a range, not a target.
    expect(commune).toBeGreaterThan(0.7);
    expect(commune).toBeLessThan(0.9);
    expect(
      new Set(year.filter((d) => units2026.get(d.agencyCode) === "commune").map((d) => d.agencyCode)).size,
    ).toBeGreaterThan(40);
    for (const d of year) expect(d.receivedAt === null || d.receivedAt <= NOW26).toBe(true);
    // A running year: some dossiers are still open today.
    expect(year.some((d) => d.receivedAt && !d.endedAt)).toBe(true);
  });
});

describe.each(testTargets())("seed:year on $label PostgreSQL", (target: TestTarget) => {
  it("loads a small year consistent with the calendar and clock, refuses a second run, replaces identically", async () => {
    const { db, scratch, close } = await openTestDb(target);
    try {
      const first = await seedYear(scratch.ownerUrl, { scale: "small", seed: 5, now: NOW });
      expect(first.loaded.dossiers).toBeGreaterThanOrEqual(3_000);
      const m = first.report!.all;
      expect(m.received).toBe(3_000);
      // Plausible ranges only: the rates come out of the simulation, they are not written anywhere.
      expect(m.onTimeRate).toBeGreaterThan(0.95);
      expect(m.onlineRate).toBeGreaterThan(0.3);
      expect(m.onlineRate).toBeLessThan(0.98);
      expect(m.cashlessRate).toBeGreaterThan(0.9);
      expect(m.fullProcessRate).toBeGreaterThan(0.5);
      expect(m.fullProcessRate).toBeLessThan(1);

      const cal = await getCalendar(db);
      const procs = new Map(
        (await db.selectFrom("procedures").select(["code", "processing_amount", "processing_unit"]).execute()).map(
          (p) => [p.code, p],
        ),
      );
      const rows = await db.selectFrom("dossiers").selectAll().execute();
      for (const r of rows) {
        expect(parseDossierCode(r.code ?? "")).not.toBeNull();
        if (!r.received_at) continue;
        const p = procs.get(r.procedure_code)!;
        const due = cal.dueDate(r.received_at, p.processing_amount, p.processing_unit as DeadlineUnit).due;
        expect(r.original_due_at).toEqual(due);
        if (r.supplements_after_receipt === 0) expect(r.due_at).toEqual(due);
        else expect(r.due_at!.getTime()).toBeGreaterThanOrEqual(due.getTime());
        if (r.ended_at && r.due_at) {
          const state = {
            receivedAt: r.received_at,
            dueAt: r.due_at,
            pausedAt: null,
            pausedMinutes: r.paused_minutes,
            supplementsAfterReceipt: r.supplements_after_receipt,
          };
          expect(r.outcome).toBe(outcomeAt(state, r.ended_at));
        }
      }
      const events = await db.selectFrom("dossier_events").select(["from_status", "action", "to_status"]).execute();
      expect(events.length).toBeGreaterThan(rows.length);
      for (const e of events) {
        if (e.action === "intake") continue;
        expect((transitions as Transitions)[e.from_status as DossierStatus][e.action]).toBeDefined();
      }

      // The rollup the triggers kept equals a recount from the rows.
      const period = first.period;
      const rolled = (await metricsFor(db, period, { agencyCodes: null }, NOW)).counts;
      expect(rolled).toEqual(await recountMetrics(db, period, { agencyCodes: null }, NOW));

      await expect(seedYear(scratch.ownerUrl, { scale: "small", seed: 5, now: NOW })).rejects.toBeInstanceOf(
        YearAlreadySeededError,
      );
      const codes = rows.map((r) => r.code).sort();
      const again = await seedYear(scratch.ownerUrl, {
        scale: "small",
        seed: 5,
        now: NOW,
        replace: true,
        rollup: "rebuild",
        report: false,
      });
      expect(again.replaced).toBe(rows.length);
      const after = await db.selectFrom("dossiers").select("code").execute();
      expect(after.map((r) => r.code).sort()).toEqual(codes);
      expect((await metricsFor(db, period, { agencyCodes: null }, NOW)).counts).toEqual(rolled);
    } finally {
      await close();
    }
  }, 180_000);

  it("loads 2026 on the two-tier structure after 2023 (nothing read outside the repository): province and commune levels only", async () => {
    const { db, scratch, close } = await openTestDb(target);
    const NOW26 = new Date("2026-11-26T03:00:00Z");
    try {
      const hidden = hideOutsideRepository();
      // 2023 first, as docs/seed-year.md says both can share a database.
      const y2023 = await seedYear(scratch.ownerUrl, {
        scale: "quangninh-2023",
        seed: 7,
        now: NOW26,
        dossiers: 1_000,
        batchSize: 1_000,
        connections: 1,
        report: false,
      });
      const result = await seedYear(scratch.ownerUrl, {
        scale: "quangninh-2026",
        seed: 7,
        now: NOW26,
        dossiers: 3_000,
        batchSize: 1_000,
        connections: 1,
      });
      vi.restoreAllMocks();
      expect(hidden.touched).toEqual([]);
      expect(result.period).toEqual({ from: "2026-01-01", to: "2026-11-26" });
      const r = result.report!;
      expect(r.all.received).toBeGreaterThan(2_900); // received up to now; the last hours' filings wait
      expect(r.byLevel.district.received).toBe(0);
      expect(r.byLevel.commune.received).toBeGreaterThan(r.byLevel.province.received);
      expect(r.byLevel.province.received).toBeGreaterThan(0);
      expect(r.byLevel.commune.received + r.byLevel.province.received).toBe(r.all.received);
      expect(r.all.onTimeRate).toBeGreaterThan(0.9);
      expect(r.all.fullProcessRate).toBeGreaterThan(0.5);

      expect(await levelsInPeriod(db, "2026-01-01", "2026-12-31")).toEqual(["province", "commune"]);
      expect(await levelsInPeriod(db, "2023-01-01", "2023-12-31")).toEqual(["province", "district", "commune"]);
      expect((await unitsAsOf(db, "2026-06-01")).filter((u) => u.level === "commune")).toHaveLength(54);
      // 2023 keeps its three levels and its figures: its dossiers stay at the units of their time.
      expect((await unitsAsOf(db, "2023-06-01")).filter((u) => u.level === "district")).toHaveLength(13);
      const district2023 = await metricsFor(db, y2023.period, { agencyCodes: null, level: "district" }, NOW26);
      const commune2023 = await metricsFor(db, y2023.period, { agencyCodes: null, level: "commune" }, NOW26);
      const province2023 = await metricsFor(db, y2023.period, { agencyCodes: null, level: "province" }, NOW26);
      expect(district2023.metrics.received).toBeGreaterThan(0);
      expect(district2023.metrics.received + commune2023.metrics.received + province2023.metrics.received).toBe(1_000);
      const atOldUnits = await db
        .selectFrom("dossiers as d")
        .innerJoin("agencies as a", "a.code", "d.agency_code")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("a.valid_to", "is not", null)
        .where("d.submitted_at", ">=", new Date("2026-01-01T00:00:00+07:00"))
        .executeTakeFirstOrThrow();
      expect(Number(atOldUnits.n)).toBe(0);
      const reform = await db.selectFrom("reorganisations").select(["applied_at"]).executeTakeFirstOrThrow();
      expect(reform.applied_at).toEqual(new Date("2025-07-01T01:00:00Z"));
      const rolled = (await metricsFor(db, result.period, { agencyCodes: null }, NOW26)).counts;
      expect(rolled).toEqual(await recountMetrics(db, result.period, { agencyCodes: null }, NOW26));
    } finally {
      vi.restoreAllMocks();
      await close();
    }
  }, 180_000);
});
