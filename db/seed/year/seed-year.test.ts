/**
 * The generated year: deterministic for a seed, every dossier consistent with the REAL domain rules
 * (calendar due date, clock outcome, transition table), refuses or replaces a previous run, keeps the
 * rollup equal to a recount, and its metrics come out plausible (ranges, never the targets).
 */
import fs from "node:fs";
import { describe, expect, it } from "vitest";
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
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { demoCatalogue, demoCatalogueToday, QUANG_NINH_PROCEDURES, quangNinhCatalogue } from "./catalogue.ts";
import { type GeneratedDossier, generateYear } from "./generate.ts";
import { pgTimestamp } from "./load.ts";
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
});
