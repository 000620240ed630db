/**
 * Units "as of" a date (ADR 016): an agency exists on Vietnam dates d with valid_from <= d < valid_to (null =
 * open-ended). Its level and name never change; a reorganised unit is a new row linked to the old one in
 * agency_successors. So the unit tree, levels and names of any date are a filter, and a dossier's level is
 * the level of its unit, which is the level of the dossier's time.
 */
import { type Kysely, sql } from "kysely";
import { isRealDate } from "../../domain/calendar/iso-date.ts";
import type { Database } from "../db.server.ts";

export type AgencyLevel = "province" | "district" | "commune";
export const ALL_LEVELS: readonly AgencyLevel[] = ["province", "district", "commune"];

export type UnitAsOf = {
  code: string;
  name_vi: string;
  name_en: string;
  level: AgencyLevel;
  parent_code: string | null;
  kind: string | null;
  valid_from: string | null;
  valid_to: string | null;
};

/** A `YYYY-MM-DD` string naming a day that exists. */
export function isIsoDate(v: unknown): v is string {
  return typeof v === "string" && isRealDate(v);
}

/** The units that exist on `date` (YYYY-MM-DD, Vietnam date). */
export async function unitsAsOf(db: Kysely<Database>, date: string): Promise<UnitAsOf[]> {
  const rows = await db
    .selectFrom("agencies")
    .select(["code", "name_vi", "name_en", "level", "parent_code", "kind", "valid_from", "valid_to"])
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", date)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", date)]))
    .orderBy("code")
    .execute();
  return rows.map((r) => ({
    ...r,
    level: r.level as AgencyLevel,
    valid_from: r.valid_from ? String(r.valid_from).slice(0, 10) : null,
    valid_to: r.valid_to ? String(r.valid_to).slice(0, 10) : null,
  }));
}

/** The day a level of local government ended (its units' latest end), or null while it exists. */
export async function levelEndedOn(db: Kysely<Database>, level: AgencyLevel): Promise<string | null> {
  const rows = await db.selectFrom("agencies").select(["valid_to"]).where("level", "=", level).execute();
  if (rows.length === 0 || rows.some((r) => r.valid_to === null)) return null;
  return (
    rows
      .map((r) => String(r.valid_to).slice(0, 10))
      .sort()
      .at(-1) ?? null
  );
}

/** Every successor link, by predecessor (whole or part of the old unit, from the date of the change). */
export async function successorLinks(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("agency_successors")
    .select(["predecessor_code", "successor_code", "whole", "effective_on"])
    .orderBy("predecessor_code")
    .orderBy("successor_code")
    .execute();
  const byPredecessor = new Map<string, Array<(typeof rows)[number] & { effective_on: string }>>();
  for (const r of rows) {
    const link = { ...r, effective_on: String(r.effective_on).slice(0, 10) };
    byPredecessor.set(r.predecessor_code, [...(byPredecessor.get(r.predecessor_code) ?? []), link]);
  }
  return byPredecessor;
}

/**
 * The levels of local government in a period [from, to] (inclusive Vietnam dates): the levels of the units
 * that existed on some day of it, in the order province, district, commune.
 */
export async function levelsInPeriod(db: Kysely<Database>, from: string, to: string): Promise<AgencyLevel[]> {
  const rows = await db
    .selectFrom("agencies")
    .select("level")
    .distinct()
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", to)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", from)]))
    .execute();
  const present = new Set(rows.map((r) => r.level));
  return ALL_LEVELS.filter((l) => present.has(l));
}

export type ReorganisationInPeriod = {
  code: string;
  effective_on: string;
  name_vi: string;
  name_en: string;
  legal_basis: string;
};

/** Reorganisations that took effect inside the period (after its first day, on or before its last). */
export async function reorganisationsWithin(
  db: Kysely<Database>,
  from: string,
  to: string,
): Promise<ReorganisationInPeriod[]> {
  const rows = await db
    .selectFrom("reorganisations")
    .select(["code", "effective_on", "name_vi", "name_en", "legal_basis"])
    .where("effective_on", ">", sql<string>`${from}::date`)
    .where("effective_on", "<=", sql<string>`${to}::date`)
    .orderBy("effective_on")
    .execute();
  return rows.map((r) => ({ ...r, effective_on: String(r.effective_on).slice(0, 10) }));
}

/** Codes of the units that existed on some day of [from, to]. */
export async function codesExistingIn(db: Kysely<Database>, from: string, to: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("agencies")
    .select("code")
    .where((eb) => eb.or([eb("valid_from", "is", null), eb("valid_from", "<=", to)]))
    .where((eb) => eb.or([eb("valid_to", "is", null), eb("valid_to", ">", from)]))
    .execute();
  return new Set(rows.map((r) => r.code));
}

/** Agency names by code in a language (the whole table is small: a province's few hundred units). */
export async function agencyNames(db: Kysely<Database>, lng: string): Promise<(code: string) => string> {
  const rows = await db.selectFrom("agencies").select(["code", "name_vi", "name_en"]).execute();
  const names = new Map(rows.map((a) => [a.code, lng === "en" ? a.name_en : a.name_vi]));
  return (code) => names.get(code) ?? code;
}
