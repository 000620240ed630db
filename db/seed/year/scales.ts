/**
 * The sizes the generator knows. `quangninh-2023` is the reported province-year; `demo` is a lived-in
 * last twelve months for `npm start`'s database on the demo catalogue (its clerks see the dossiers at
 * their desks); `small` is a complete past year on the demo catalogue for tests.
 */
import { toVnDateString } from "../../../app/domain/calendar/working-calendar.ts";
import {
  demoCatalogue,
  demoCatalogueToday,
  quangNinhCatalogue,
  quangNinhCatalogue2026,
  type YearCatalogue,
} from "./catalogue.ts";
import { daysOf, type Period, seasonFactor } from "./generate.ts";
import type { EventsMode, RollupMode } from "./load.ts";

export type Scale = {
  name: string;
  period: (now: Date) => Period;
  /** Dossiers received in the period (exactly, when the period is over). */
  dossiers: number;
  /**
   * `dossiers` is a whole year's: a period that ends before the year does (the year to date) receives the
   * season-weighted share of it that its days carry (yearShare).
   */
  perYear?: { year: number };
  catalogue: () => YearCatalogue;
  /** Overwrite existing catalogue rows (the generated catalogue) or leave them (the demo one). */
  overwriteCatalogue: boolean;
  /** Spread district and commune dossiers over all units of the level (else: the procedure's owner). */
  spread: boolean;
  /**
   * Which dossiers get their dossier_events rows (timeline, form 05, the late-dossier drill-down): all, only
   * those that ended late (the province-year: the drill-down still shows which step used the time), none.
   */
  events: EventsMode;
  batchSize: number;
  /** How stats_rollup is kept up to date (load.ts). */
  rollup: RollupMode;
  /** Connections writing at once (`triggers` mode). */
  connections: number;
  /** Compare with the figures Quảng Ninh reported for 2023. */
  reported: boolean;
};

const DAY = 86_400_000;

/** The share of a year's filings that falls in the period: its days' season factors over the year's. */
export function yearShare(period: Period, year: number): number {
  const sum = (days: string[]) => days.reduce((a, d) => a + seasonFactor(d), 0);
  return sum(daysOf(period)) / sum(daysOf({ from: `${year}-01-01`, to: `${year}-12-31` }));
}

/** Dossiers received in the scale's period: a fixed number, or the year-to-date share of a year's volume. */
export function dossiersFor(scale: Scale, period: Period): number {
  return scale.perYear ? Math.round(scale.dossiers * yearShare(period, scale.perYear.year)) : scale.dossiers;
}

export class PeriodNotStartedError extends Error {
  override name = "PeriodNotStartedError";
}

export const SCALES: Record<string, Scale> = {
  "quangninh-2023": {
    name: "quangninh-2023",
    period: () => ({ from: "2023-01-01", to: "2023-12-31" }),
    dossiers: 861_990,
    catalogue: () => quangNinhCatalogue(),
    overwriteCatalogue: true,
    spread: true,
    events: "late",
    batchSize: 20_000,
    rollup: "triggers",
    connections: 2,
    reported: true,
  },
  /**
   * Quảng Ninh after the reform (docs/seed-year.md): 2026 from 1 January to today (the whole year once it is
   * over), on the two-tier structure; the annual volume is 2023's reported 861,990 (no 2026 figure is
   * published; the reform changed who handles a dossier, not how many people file), pro-rated by season.
   */
  "quangninh-2026": {
    name: "quangninh-2026",
    period: (now) => {
      const today = toVnDateString(now);
      if (today < "2026-01-01")
        throw new PeriodNotStartedError(
          `the 2026 scale starts on 2026-01-01 and today is ${today}; pass --now with a date in 2026 or later`,
        );
      return { from: "2026-01-01", to: today < "2026-12-31" ? today : "2026-12-31" };
    },
    dossiers: 861_990,
    perYear: { year: 2026 },
    catalogue: () => quangNinhCatalogue2026(),
    overwriteCatalogue: true,
    spread: true,
    events: "late",
    batchSize: 20_000,
    rollup: "triggers",
    connections: 2,
    reported: false,
  },
  demo: {
    name: "demo",
    period: (now) => ({ from: toVnDateString(new Date(now.getTime() - 364 * DAY)), to: toVnDateString(now) }),
    dossiers: 5_000,
    catalogue: demoCatalogueToday,
    overwriteCatalogue: false,
    spread: false,
    events: "all",
    batchSize: 5_000,
    rollup: "triggers",
    connections: 1,
    reported: false,
  },
  small: {
    name: "small",
    period: () => ({ from: "2024-01-01", to: "2024-12-31" }),
    dossiers: 3_000,
    catalogue: demoCatalogue,
    overwriteCatalogue: false,
    spread: false,
    events: "all",
    batchSize: 1_000,
    rollup: "triggers",
    connections: 1,
    reported: false,
  },
};
