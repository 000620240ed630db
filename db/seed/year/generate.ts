/**
 * Arrivals for a period, then one simulated life per dossier (simulate.ts), in order of filing day.
 *
 * How many dossiers arrive is the scale (Quảng Ninh reported 861,990 for 2023). Where they go is drawn:
 * a procedure from Zipf-shaped popularity within each level, a channel by the procedure's online kind and
 * level, a day by season (months, Tết) — counters only on working days, online any day — and an hour of
 * day. Codes are issued per receiving agency and day in order of filing, after the sequences already in
 * the database. Pure: the same inputs and seed give the same dossiers.
 */
import { vnDateTime, type WorkingCalendar } from "../../../app/domain/calendar/working-calendar.ts";
import type { Channel } from "../../../app/domain/dossier/dossier.ts";
import { formatDossierCode } from "../../../app/domain/dossier/dossier-code.ts";
import type { AgencyLevel } from "../demo-data.ts";
import { existsIn, type YearAgency, type YearCatalogue } from "./catalogue.ts";
import { PARAMS, type Params } from "./params.ts";
import { AliasTable, Rng } from "./random.ts";
import {
  drawReceptionFate,
  type ReceptionFate,
  type SimDossier,
  type SimProcedure,
  simulateDossier,
} from "./simulate.ts";

const FATES: ReceptionFate[] = ["receive", "supplementThenReceive", "refuse", "abandon"];

import { districtGroup } from "./structure.ts";

export type Period = { from: string; to: string };

export type GenerateOptions = {
  catalogue: YearCatalogue;
  calendar: WorkingCalendar;
  period: Period;
  /** Dossiers received in the period (when the period is complete), plus the few never received. */
  dossiers: number;
  seed: string | number;
  now: Date;
  /** Spread dossiers of district and commune procedures over all units of that level (else: the owner). */
  spread: boolean;
  events: boolean;
  /** Last code sequence already used per `agencyCode|YYYY-MM-DD`. */
  sequences?: ReadonlyMap<string, number>;
  params?: Params;
};

export type GeneratedDossier = SimDossier & {
  id: string;
  code: string;
  codeDay: string;
  sequence: number;
  applicantNationalId: string;
  applicantName: string;
  fieldCode: string;
};

const DAY_MS = 86_400_000;

export function daysOf(period: Period): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${period.from}T00:00:00Z`); t <= Date.parse(`${period.to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** Season factor of a day: month, and the weeks around Tết. */
export function seasonFactor(day: string, params: Params = PARAMS): number {
  const s = params.season;
  let f = s.month[Number(day.slice(5, 7)) - 1] ?? 1;
  const year = Number(day.slice(0, 4));
  for (const y of [year - 1, year, year + 1]) {
    const tet = s.tet[y];
    if (!tet) continue;
    const diff = (Date.parse(`${day}T00:00:00Z`) - Date.parse(`${tet}T00:00:00Z`)) / DAY_MS;
    if (diff < 0 && diff >= -s.beforeTet.days) f *= s.beforeTet.factor;
    if (diff >= 0 && diff <= s.afterTet.days) f *= s.afterTet.factor;
  }
  return f;
}

/** Deterministic UUID (version 7 layout: time-ordered, which keeps the primary-key index compact). */
function uuidFor(ms: number, rng: Rng): string {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  const time = hex(Math.floor(ms), 12);
  const a = rng.uint32();
  const b = rng.uint32();
  const c = rng.uint32();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex(a & 0xfff, 3)}-${hex(0x8000 | ((a >>> 12) & 0x3fff), 4)}-${hex(b, 8)}${hex(c & 0xffff, 4)}`;
}

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const FAMILY_WEIGHTS = [38, 11, 9.5, 7, 5, 4, 4, 2, 2, 1.5, 1.3, 1.3, 1, 0.5];
const MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Công"];
const MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Thị Thu"];
const GIVEN_M = [
  "An",
  "Bình",
  "Cường",
  "Dũng",
  "Hải",
  "Hùng",
  "Khánh",
  "Long",
  "Nam",
  "Phong",
  "Quân",
  "Sơn",
  "Tuấn",
  "Việt",
];
const GIVEN_F = [
  "Anh",
  "Chi",
  "Dung",
  "Hà",
  "Hạnh",
  "Hoa",
  "Hương",
  "Lan",
  "Linh",
  "Mai",
  "Nga",
  "Phương",
  "Thảo",
  "Yến",
];

/** A structurally valid CCCD number (Quảng Ninh prefix 022) and a Vietnamese name. */
function applicant(rng: Rng, familyTable: AliasTable): { nationalId: string; name: string } {
  const female = rng.chance(0.5);
  const born = 1950 + rng.int(56);
  const centuryDigit = (born >= 2000 ? 2 : 0) + (female ? 1 : 0);
  const serial = String(rng.int(1_000_000)).padStart(6, "0");
  const nationalId = `022${centuryDigit}${String(born % 100).padStart(2, "0")}${serial}`;
  const name = `${FAMILY[familyTable.draw(rng)]} ${rng.pick(female ? MIDDLE_F : MIDDLE_M)} ${rng.pick(female ? GIVEN_F : GIVEN_M)}`;
  return { nationalId, name };
}

/** The instant `minutes` after local midnight of `day`. */
const at = (day: string, minutes: number) => vnDateTime(day, minutes);

export function* generateYear(opts: GenerateOptions): Generator<GeneratedDossier> {
  const P = opts.params ?? PARAMS;
  const { calendar, catalogue } = opts;
  const rng = new Rng(`year:${String(opts.seed)}`);
  const procs = catalogue.procedures;

  // Which procedure: the catalogue's popularity within each level, scaled to the level's share.
  // A procedure draws from the demand of its `demandLevel` (2026: former district procedures, now at communes).
  const levels: AgencyLevel[] = ["province", "district", "commune"];
  const demand = (p: (typeof procs)[number]) => p.demandLevel ?? p.level;
  const present = levels.filter((l) => procs.some((p) => demand(p) === l));
  const shareSum = present.reduce((a, l) => a + P.volume.levelShare[l], 0);
  const weights = procs.map((p) => (P.volume.levelShare[demand(p)] / shareSum) * p.popularity);
  const procTable = new AliasTable(weights);
  const simProcs: SimProcedure[] = procs.map((p) => ({
    code: p.code,
    level: p.level,
    amount: p.amount,
    unit: p.unit,
    feeVnd: p.feeVnd,
    onlineKind: p.onlineKind,
  }));

  // Units of each level that existed in the period, weighted by population, for spreading local dossiers.
  const unitTables = new Map<AgencyLevel, { codes: string[]; table: AliasTable }>();
  for (const level of ["district", "commune"] as const) {
    const units = catalogue.agencies.filter((a: YearAgency) => a.level === level && existsIn(a, opts.period));
    if (units.length === 0) continue;
    const perDistrict = new Map<string, number>();
    for (const u of units) perDistrict.set(districtGroup(u.code), (perDistrict.get(districtGroup(u.code)) ?? 0) + 1);
    const w = units.map((u) => {
      const g = districtGroup(u.code);
      const pop = P.volume.districtPopulation[g] ?? 30;
      const size = catalogue.unitWeights?.get(u.code) ?? pop / (perDistrict.get(g) ?? 1);
      return level === "district" ? pop : size * Math.exp(P.volume.communeSizeSigma * rng.normal());
    });
    unitTables.set(level, { codes: units.map((u) => u.code), table: new AliasTable(w) });
  }

  // Days: counters on working days; online any day, less on days off.
  const days = daysOf(opts.period);
  const periodEnd = at(opts.period.to, 1440);
  const complete = periodEnd <= opts.now;
  const lastWorking = [...days].reverse().find((d) => calendar.isWorkingDay(d));
  const receiveBy = complete && lastWorking ? at(lastWorking, calendar.hours.afternoonEnd - 1) : null;
  const arrivalsEnd = receiveBy ?? opts.now;
  const counterDay = days.map((d) =>
    calendar.isWorkingDay(d) && at(d, calendar.hours.morningStart) < arrivalsEnd ? seasonFactor(d, P) : 0,
  );
  const onlineDay = days.map((d) =>
    at(d, 0) < arrivalsEnd ? seasonFactor(d, P) * (calendar.isWorkingDay(d) ? 1 : P.season.dayOffOnlineFactor) : 0,
  );
  const counterTable = new AliasTable(counterDay.some((w) => w > 0) ? counterDay : onlineDay);
  const onlineTable = new AliasTable(onlineDay);
  const onlineHour = new AliasTable(P.season.onlineHour);
  const counterHour = new AliasTable(P.season.counterHour);
  const familyTable = new AliasTable(FAMILY_WEIGHTS);

  // Every arrival's procedure, channel, reception fate and day first (compact arrays), then day by day.
  // Filings refused or abandoned before reception come on top of the `dossiers` that are received.
  const procOf: number[] = [];
  const channelOf: number[] = []; // 0 online, 1 counter, 2 postal
  const fateOf: number[] = [];
  const dayOf: number[] = [];
  const perDay = new Int32Array(days.length);
  for (let received = 0; received < opts.dossiers; ) {
    const p = procTable.draw(rng);
    const proc = simProcs[p]!;
    const pOnline = P.channel.online[proc.onlineKind][proc.level];
    const ch = rng.chance(pOnline) ? 0 : rng.chance(P.channel.postalShareOfOffline) ? 2 : 1;
    const fate = ch === 0 ? FATES.indexOf(drawReceptionFate(rng, P)) : 0;
    const day = (ch === 0 ? onlineTable : counterTable).draw(rng);
    procOf.push(p);
    channelOf.push(ch);
    fateOf.push(fate);
    dayOf.push(day);
    perDay[day]! += 1;
    if (fate < 2) received++;
  }
  const n = procOf.length;
  const start = new Int32Array(days.length + 1);
  for (let k = 0; k < days.length; k++) start[k + 1] = start[k]! + perDay[k]!;
  const order = new Int32Array(n);
  const fill = start.slice(0, days.length);
  for (let i = 0; i < n; i++) order[fill[dayOf[i]!]!++] = i;

  const channels: Channel[] = ["online", "counter", "postal"];
  const sequences = new Map<string, number>();
  const ctx = {
    calendar,
    rng,
    params: P,
    now: opts.now,
    receiveBy,
    recordEvents: opts.events,
  };
  const { morningStart, morningEnd, afternoonStart } = calendar.hours;

  for (let k = 0; k < days.length; k++) {
    const day = days[k]!;
    const midnight = at(day, 0).getTime();
    const today: Array<{ i: number; t: Date; agency: string }> = [];
    for (let j = start[k]!; j < start[k + 1]!; j++) {
      const i = order[j]!;
      const ch = channelOf[i]!;
      let minute: number;
      if (ch === 0) {
        minute = onlineHour.draw(rng) * 60 + rng.next() * 60;
      } else {
        const slot = counterHour.draw(rng); // 0..3 morning hours, 4..7 afternoon hours
        minute = (slot < 4 ? morningStart + slot * 60 : afternoonStart + (slot - 4) * 60) + rng.next() * 60;
        if (slot < 4 && minute >= morningEnd) minute = morningEnd - 1;
      }
      let t = new Date(midnight + Math.round(Math.min(minute, 1439.99) * 60_000));
      if (t >= arrivalsEnd) {
        // The last day of an open or closing period: only up to the cut.
        const from = midnight + (ch === 0 ? 0 : morningStart) * 60_000;
        t = new Date(from + (arrivalsEnd.getTime() - from) * rng.next());
      }
      const proc = procs[procOf[i]!]!;
      const units = proc.level === "province" || !opts.spread ? undefined : unitTables.get(proc.level);
      const agency = units ? units.codes[units.table.draw(rng)]! : proc.agencyCode;
      today.push({ i, t, agency });
    }
    today.sort((a, b) => a.t.getTime() - b.t.getTime() || a.i - b.i);
    for (const a of today) {
      const proc = procs[procOf[a.i]!]!;
      const codeDay = day; // every arrival of the day was placed inside it (Vietnam time)
      const key = `${a.agency}|${codeDay}`;
      const sequence = (sequences.get(key) ?? opts.sequences?.get(key) ?? 0) + 1;
      sequences.set(key, sequence);
      const person = applicant(rng, familyTable);
      const id = uuidFor(a.t.getTime(), rng);
      const sim = simulateDossier(
        ctx,
        simProcs[procOf[a.i]!]!,
        a.agency,
        channels[channelOf[a.i]!]!,
        a.t,
        FATES[fateOf[a.i]!],
      );
      const out = sim as GeneratedDossier;
      out.id = id;
      out.code = formatDossierCode(a.agency, codeDay, sequence);
      out.codeDay = codeDay;
      out.sequence = sequence;
      out.applicantNationalId = person.nationalId;
      out.applicantName = person.name;
      out.fieldCode = proc.fieldCode;
      yield out;
    }
  }
}
