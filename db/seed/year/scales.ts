/**
 * The sizes the generator knows. `quangninh-2023` is the reported province-year; `demo` is a lived-in
 * last twelve months for `npm start`'s database on the demo catalogue (its clerks see the dossiers at
 * their desks); `small` is a complete past year on the demo catalogue for tests.
 */
import { toVnDateString } from "../../../app/domain/calendar/working-calendar.ts";
import { demoCatalogue, demoCatalogueToday, quangNinhCatalogue, type YearCatalogue } from "./catalogue.ts";
import type { Period } from "./generate.ts";
import type { EventsMode, RollupMode } from "./load.ts";

export type Scale = {
  name: string;
  period: (now: Date) => Period;
  /** Dossiers received in the period (exactly, when the period is over). */
  dossiers: number;
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
