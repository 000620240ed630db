/**
 * The catalogue of the generated year.
 *
 * - `demoCatalogue()`: the demo province as shipped (db/seed/demo-data.ts), for the demo and test scales.
 * - `quangNinhCatalogue()`: 1,367 procedures for Quảng Ninh 2023, read from the national catalogue shipped
 *   with the project (db/data/tthc-catalogue.json.gz: the fields used here, derived from
 *   national catalogue by scripts/derive-data.ts; provenance in db/data/README.md)
 *   plus the demo's procedures.
 *
 * The national catalogue is post-2025 (two tiers: "Cấp tỉnh", "Cấp xã"), Quảng Ninh 2023 had three. Mapping
 * (documented in docs/seed-year.md):
 * - procedures of the State Bank and the courts are left out (not a province's catalogue);
 * - a procedure offered only at "Cấp tỉnh" (or at ministry and province) is provincial, owned by the
 *   department of its field;
 * - a procedure offered at "Cấp xã" was, before the 2025 reform, a COMMUNE procedure if its field is one
 *   communes handled in 2023 (civil status without foreign element, certification, residence, grassroots
 *   mediation, poverty, merit/policy), a PROVINCIAL one if its field belongs to a vertical agency's
 *   provincial branch (tax, customs, social insurance, treasury, immigration), and otherwise a DISTRICT
 *   procedure (land, construction, household business, cooperatives… moved to communes in 2025);
 * - all commune and district candidates are kept; provincial ones are drawn (fixed seed) to make 1,367.
 * Fees and processing times are read from the free-text channel table where possible; the online kind
 * is not in the data and is drawn per level (PARAMS.catalogue).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import {
  type AgencyLevel,
  type DemoAgency,
  type DemoProcedure,
  agencies as demoAgencies,
  fields as demoFields,
  procedures as demoProcedures,
  type OnlineKind,
  PROVINCE_CODE,
  type TimeUnit,
} from "../demo-data.ts";
import { REFORM_2025, type SuccessorLink, type UnitKind, unitsWithHistory } from "../units-2025.ts";
import { PARAMS } from "./params.ts";
import { Rng, shuffle } from "./random.ts";
import { COMMUNES_PER_DISTRICT, districtGroup, provinceAgencies } from "./structure.ts";

export const QUANG_NINH_PROCEDURES = 1_367;

export type YearField = { code: string; nameVi: string; nameEn: string };
export type YearProcedure = {
  code: string;
  nameVi: string;
  nameEn: string;
  fieldCode: string;
  fieldNameVi: string;
  level: AgencyLevel;
  agencyCode: string;
  amount: number;
  unit: TimeUnit;
  feeVnd: number;
  onlineKind: OnlineKind;
  /** Share of its level's dossiers (Zipf over a boosted random rank; sums to 1 per level). */
  popularity: number;
  /**
   * The level whose demand the procedure draws from (its share and popularity), when it is not the level that
   * handles it: the 2026 scale's former district procedures, handled at commune level since 1 July 2025.
   */
  demandLevel?: AgencyLevel;
  /** Only demo procedures carry their full page content; imported ones get what the shared file has. */
  demo?: DemoProcedure;
  legalBasisVi?: string;
  resultVi?: string;
};
/** A unit with, where known, the dates it existed (ADR 016) and its kind. */
export type YearAgency = DemoAgency & { validFrom?: string | null; validTo?: string | null; kind?: UnitKind | null };
export type YearCatalogue = {
  name: string;
  agencies: YearAgency[];
  fields: YearField[];
  procedures: YearProcedure[];
  /** Relative size of commune-level units (dossiers spread by it); otherwise derived from districtPopulation. */
  unitWeights?: ReadonlyMap<string, number>;
  /** The successor links and the reorganisation that made the units of a post-reform catalogue. */
  history?: { successors: SuccessorLink[] };
};

const here = path.dirname(fileURLToPath(import.meta.url));
/** The national catalogue as shipped in the project (gzip-compressed JSON array). */
export const CATALOGUE_FILE = path.resolve(here, "../../data/tthc-catalogue.json.gz");

function fromDemo(p: DemoProcedure): YearProcedure {
  const field = demoFields.find((f) => f.code === p.fieldCode);
  return {
    code: p.code,
    nameVi: p.nameVi,
    nameEn: p.nameEn,
    fieldCode: p.fieldCode,
    fieldNameVi: field?.nameVi ?? p.fieldCode,
    level: p.level,
    agencyCode: p.agencyCode,
    amount: p.processingTime.amount,
    unit: p.processingTime.unit,
    feeVnd: p.feeVnd,
    onlineKind: p.onlineKind,
    popularity: 0,
    demo: p,
  };
}

/**
 * Popularity within each level: procedures are ranked by (field boost × a random key), so boosted fields
 * (certification, civil status at communes; land at districts…) tend to the top, then weighted by Zipf
 * (weight = boost / rank^exponent). Returns the procedures' rank within their level (0 = most used).
 */
export function assignPopularity(procedures: YearProcedure[], rng: Rng): Map<YearProcedure, number> {
  const v = PARAMS.volume;
  const ranks = new Map<YearProcedure, number>();
  for (const level of ["province", "district", "commune"] as const) {
    const list = procedures.filter((p) => p.level === level);
    const boost = (p: YearProcedure) => (v.fieldBoost[level][p.fieldNameVi] ?? 1) * (v.codeBoost[p.code] ?? 1);
    const keyed = list.map((p) => ({ p, key: boost(p) * rng.next() })).sort((a, b) => b.key - a.key);
    const raw = keyed.map((k, r) => boost(k.p) / (r + 1) ** v.zipfExponent);
    const total = raw.reduce((a, b) => a + b, 0);
    keyed.forEach((k, r) => {
      k.p.popularity = raw[r]! / total;
      ranks.set(k.p, r);
    });
  }
  return ranks;
}

/**
 * The demo catalogue as of today (scale `demo`: the last twelve months, all after the 2025 reform): the
 * procedures of units that ended on 1 July 2025 are at their primary successor, at commune level, as
 * applyReorganisation leaves them in the demo database (ADR 016, 017).
 */
export function demoCatalogueToday(): YearCatalogue {
  const { agencies, successors } = unitsWithHistory();
  const ended = new Set(agencies.filter((a) => a.validTo !== null).map((a) => a.code));
  const primary = new Map(successors.filter((l) => l.primary).map((l) => [l.predecessor, l.successor]));
  const procedures = demoProcedures.map(fromDemo).map((p) => {
    const to = ended.has(p.agencyCode) ? primary.get(p.agencyCode) : undefined;
    return to ? { ...p, agencyCode: to, level: "commune" as const } : p;
  });
  assignPopularity(procedures, new Rng(`${PARAMS.catalogue.seed}:demo`));
  return { name: "demo", agencies, fields: demoFields.map((f) => ({ ...f })), procedures };
}

export function demoCatalogue(): YearCatalogue {
  const procedures = demoProcedures.map(fromDemo);
  assignPopularity(procedures, new Rng(`${PARAMS.catalogue.seed}:demo`));
  return { name: "demo", agencies: demoAgencies, fields: demoFields.map((f) => ({ ...f })), procedures };
}

type SharedChannel = { channel: string; time_value: string | null; time_unit: string | null; rest_text: string };
export type SharedProcedure = {
  ma_thu_tuc: string;
  ten_thu_tuc: string;
  so_quyet_dinh?: string;
  cap_thuc_hien: string;
  linh_vuc: string;
  ministry_folder: string;
  channels_parsed: SharedChannel[];
  ket_qua_xu_ly?: string;
};

const EXCLUDED_MINISTRIES = new Set(["ngan-hang-nha-nuoc", "toa-an-nhan-dan"]);
/** Fields handled by communes in 2023. */
const COMMUNE_FIELDS_2023 = new Set([
  "Hộ tịch",
  "Chứng thực",
  "Hòa giải ở cơ sở",
  "Giảm nghèo",
  "Nuôi con nuôi",
  "Người có công",
  "Bồi thường nhà nước",
  "Đăng ký, quản lý cư trú",
  "Chính sách",
]);
/** Fields of vertical agencies, handled by their provincial branch in 2023 → department group. */
const VERTICAL_FIELDS: Record<string, string> = {
  Thuế: "14",
  "Quản lý thuế, phí, lệ phí và thu khác của ngân sách nhà nước": "14",
  "Hải quan": "15",
  "Thực hiện chính sách BHXH": "16",
  "Chi trả các chế độ BHXH": "16",
  "Thực hiện chính sách BHYT": "16",
  "Thu BHXH, BHYT, BHTN, BH tai nạn lao động, BNN": "16",
  "Cấp sổ BHXH, thẻ BHYT": "16",
  "Kho bạc Nhà nước": "18",
  "Quản lý xuất nhập cảnh": "17",
};
const TRANSPORT_FIELDS = new Set([
  "Đường bộ",
  "Đường sắt",
  "Hàng hải và đường thủy nội địa",
  "Đăng kiểm",
  "Sát hạch, cấp giấy phép lái xe",
]);
const ENVIRONMENT_FIELDS = new Set([
  "Đất đai",
  "Tài chính đất đai",
  "Tài nguyên nước",
  "Địa chất và khoáng sản",
  "Môi trường",
  "Biển và hải đảo",
  "Khí tượng, thủy văn",
  "Biến đổi khí hậu",
  "Đo đạc, bản đồ và thông tin địa lý",
  "Bảo tồn thiên nhiên và Đa dạng sinh học",
]);

/** The C group of the provincial department that owns a provincial procedure. */
function departmentGroup(p: SharedProcedure): string {
  const vertical = VERTICAL_FIELDS[p.linh_vuc];
  if (vertical) return vertical;
  switch (p.ministry_folder) {
    case "bo-cong-an":
      return "17";
    case "bo-tu-phap":
      return "02";
    case "bo-xay-dung":
      return TRANSPORT_FIELDS.has(p.linh_vuc) ? "06" : "03";
    case "bo-nong-nghiep-mt":
      return ENVIRONMENT_FIELDS.has(p.linh_vuc) ? "05" : "12";
    case "bo-tai-chinh":
      return /đầu tư|doanh nghiệp|hợp tác xã|đấu thầu|hỗ trợ/i.test(p.linh_vuc) ? "04" : "13";
    default:
      return "01";
  }
}

/** Level in Quảng Ninh 2023 (three tiers) of a procedure listed in the post-2025 catalogue, or null. */
export function level2023(p: Pick<SharedProcedure, "cap_thuc_hien" | "linh_vuc" | "ten_thu_tuc">): AgencyLevel | null {
  const atProvince = p.cap_thuc_hien.includes("Cấp tỉnh");
  const atCommune = p.cap_thuc_hien.includes("Cấp xã");
  if (atCommune) {
    if (VERTICAL_FIELDS[p.linh_vuc]) return "province";
    if (COMMUNE_FIELDS_2023.has(p.linh_vuc) && !/nước ngoài/i.test(p.ten_thu_tuc)) return "commune";
    return "district";
  }
  return atProvince ? "province" : null;
}

function parseAmount(text: string): number | null {
  const m = /^([\d][\d.,]*)\s*(Việt Nam Đồng|VNĐ|VND|đồng|Đồng)/.exec(text.trim());
  if (!m?.[1]) return null;
  const v = Number(m[1].replace(/[.,]/g, ""));
  return Number.isSafeInteger(v) && v >= 1_000 && v <= 50_000_000 ? v : null;
}

/** Fee in VND from the free text, 0 for "Miễn phí", null when it cannot be read. */
export function parseFee(channels: readonly SharedChannel[]): number | null {
  const c = channels.find((x) => x.channel === "Trực tiếp") ?? channels[0];
  if (!c) return null;
  const text = c.rest_text.trim();
  const amount = parseAmount(text);
  if (amount !== null) return amount;
  if (text.startsWith("Miễn phí")) return 0;
  return null;
}

/** Processing time from the channel table (best effort; see the module comment). */
export function parseTime(channels: readonly SharedChannel[]): { amount: number; unit: TimeUnit } | null {
  const ordered = [...channels].sort((a, b) => Number(b.time_unit !== null) - Number(a.time_unit !== null));
  for (const c of ordered) {
    const value = Number((c.time_value ?? "").replace(",", "."));
    if (!Number.isFinite(value) || value <= 0) continue;
    switch (c.time_unit) {
      case "Ngày làm việc":
        if (value <= 120) return { amount: Math.ceil(value), unit: "working_days" };
        break;
      case "Ngày":
        if (value <= 180) return { amount: Math.ceil(value), unit: "calendar_days" };
        break;
      case "Giờ":
        if (value <= 72) return { amount: Math.ceil(value), unit: "working_hours" };
        break;
      case "Tháng":
        if (value <= 6) return { amount: Math.ceil(value * 30), unit: "calendar_days" };
        break;
      case null:
        // The crawl lost the unit for some rows; most limits are in working days.
        if (value <= 60) return { amount: Math.ceil(value), unit: "working_days" };
        break;
    }
  }
  return null;
}

export function slugify(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

/** A data file the project ships in db/data/ is missing: said in one line by the command (no stack trace). */
export class DataFileMissingError extends Error {
  override name = "DataFileMissingError";
  constructor(readonly file: string) {
    super(
      `${path.relative(process.cwd(), file) || file} is missing: it ships with the repository ` +
        "(restore it with `git checkout -- db/data`, or re-derive it as db/data/README.md says)",
    );
  }
}

/** Reads the catalogue file: gzip-compressed (`.gz`) or plain JSON. */
export function readCatalogueFile(file: string): SharedProcedure[] {
  if (!fs.existsSync(file)) throw new DataFileMissingError(file);
  const raw = fs.readFileSync(file);
  return JSON.parse((file.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8")) as SharedProcedure[];
}

export function quangNinhCatalogue(file = CATALOGUE_FILE): YearCatalogue {
  const shared = readCatalogueFile(file);
  const rng = new Rng(PARAMS.catalogue.seed);
  const c = PARAMS.catalogue;

  // Fields: the demo's codes where the Vietnamese name matches, otherwise a slug of the name.
  const fields = new Map<string, YearField>(demoFields.map((f) => [f.nameVi, { ...f }]));
  const usedCodes = new Set(demoFields.map((f) => f.code));
  const fieldFor = (nameVi: string): YearField => {
    let f = fields.get(nameVi);
    if (!f) {
      const base = slugify(nameVi) || "linh-vuc";
      let code = base;
      for (let i = 2; usedCodes.has(code); i++) code = `${base}-${i}`;
      usedCodes.add(code);
      f = { code, nameVi, nameEn: nameVi };
      fields.set(nameVi, f);
    }
    return f;
  };

  const procedures: YearProcedure[] = demoProcedures.map(fromDemo);
  const taken = new Set(procedures.map((p) => p.code));
  const byLevel: Record<AgencyLevel, YearProcedure[]> = { province: [], district: [], commune: [] };
  for (const s of shared) {
    if (taken.has(s.ma_thu_tuc) || EXCLUDED_MINISTRIES.has(s.ministry_folder)) continue;
    const level = level2023(s);
    if (!level) continue;
    // Draws happen for every candidate in file order, so the catalogue does not depend on which are kept.
    const feeDraw = rng.next();
    const feePick = rng.pick(c.feeAmounts);
    const parsedFee = parseFee(s.channels_parsed);
    const fee = parsedFee ?? (feeDraw < c.unknownFeeProbability[level] ? feePick : 0);
    const time = parseTime(s.channels_parsed) ?? { amount: c.defaultWorkingDays[level], unit: "working_days" as const };
    const field = fieldFor(s.linh_vuc || "Khác");
    const agencyCode =
      level === "province"
        ? `000.00.${departmentGroup(s)}.${PROVINCE_CODE}`
        : level === "district"
          ? `000.00.31.${PROVINCE_CODE}`
          : `000.01.31.${PROVINCE_CODE}`;
    byLevel[level].push({
      code: s.ma_thu_tuc,
      nameVi: s.ten_thu_tuc,
      nameEn: s.ten_thu_tuc,
      fieldCode: field.code,
      fieldNameVi: field.nameVi,
      level,
      agencyCode,
      amount: time.amount,
      unit: time.unit,
      feeVnd: fee,
      onlineKind: "none", // drawn below, once popularity is known
      popularity: 0,
      legalBasisVi: s.so_quyet_dinh ? `Quyết định công bố ${s.so_quyet_dinh}` : "",
      resultVi: (s.ket_qua_xu_ly ?? "").split("Mã:")[0]!.trim(),
    });
  }
  procedures.push(...byLevel.commune, ...byLevel.district);
  const room = QUANG_NINH_PROCEDURES - procedures.length;
  if (room < 0 || byLevel.province.length < room) {
    throw new Error(`cannot make a catalogue of ${QUANG_NINH_PROCEDURES} from the shared file`);
  }
  procedures.push(...shuffle(rng, byLevel.province).slice(0, room));
  // The online kind is a catalogue input; the most-used services were put online first (Decree 42/2022).
  const ranks = assignPopularity(procedures, rng);
  for (const level of ["province", "district", "commune"] as const) {
    const count = procedures.filter((p) => p.level === level).length;
    for (const p of procedures) {
      if (p.level !== level || p.demo) continue;
      const top = (ranks.get(p) ?? count) < count * c.onlineKind.topShare;
      const w = c.onlineKind[top ? "top" : "rest"][level];
      p.onlineKind = (["full", "partial", "none"] as const)[rng.weighted([w.full, w.partial, w.none])]!;
    }
  }
  const usedFields = new Set(procedures.map((p) => p.fieldCode));
  return {
    name: "quangninh-2023",
    // The local units of 2023 ended with the 2025 reform (ADR 016): a database that also holds the 2026 scale
    // lists them for 2023 only.
    agencies: provinceAgencies().map((a) => ({
      ...a,
      validTo: a.level === "province" ? null : REFORM_2025.effectiveOn,
    })),
    fields: [...fields.values()].filter((f) => usedFields.has(f.code) || demoFields.some((d) => d.code === f.code)),
    procedures,
  };
}

/**
 * Quảng Ninh after the 2025 reform (scale `quangninh-2026`): the same 1,367 procedures as the 2023 catalogue
 * (same fees, limits, online kinds and popularity), on the two-tier structure of 1 July 2025 (ADR 016):
 *
 * - units: the province, its departments and the provincial branches (13–18), the public administration
 *   service centre, and the 54 commune-level units of Resolution 1679/NQ-UBTVQH15; the 2023 units are there
 *   as history (valid until 30 June 2025, with their successor links), so no dossier can be placed at them;
 * - procedures of 2023's commune and district levels are handled at commune level, owned by the primary
 *   successor of their 2023 owner (what applyReorganisation does: "procedures that moved from district to
 *   commune level follow"); provincial ones stay with their department. The catalogue's source is the
 *   post-2025 national list, where these procedures are "Cấp xã": the 2023 scale mapped them down to three
 *   levels, this one takes them back;
 * - demand: a procedure keeps the share and popularity of its 2023 level (`demandLevel`): a land procedure is
 *   filed as often as when districts handled it; how it is handled follows the commune level's parameters;
 * - unit sizes: a new unit weighs what its former wards and communes weighed in the 2023 scale (the former
 *   district's population over its communes; a divided unit's weight shared equally by its successors).
 */
export function quangNinhCatalogue2026(file = CATALOGUE_FILE): YearCatalogue {
  const y2023 = quangNinhCatalogue(file);
  const { agencies: history, successors } = unitsWithHistory();
  const known = new Set(history.map((a) => a.code));
  const agencies: YearAgency[] = [
    ...history,
    ...y2023.agencies
      .filter((a) => a.level === "province" && !known.has(a.code))
      .map((a) => ({ ...a, validFrom: null, validTo: null, kind: null })),
  ];
  const primary = new Map(successors.filter((l) => l.primary).map((l) => [l.predecessor, l.successor]));
  const procedures = y2023.procedures.map((p): YearProcedure => {
    if (p.level === "province") return p;
    const owner = primary.get(p.agencyCode);
    if (!owner) throw new Error(`no successor for ${p.agencyCode} (procedure ${p.code})`);
    return { ...p, demandLevel: p.level, level: "commune", agencyCode: owner };
  });

  // Sizes: the 2023 scale's weight of a commune is its district's population over the district's communes.
  const P = PARAMS.volume;
  const level = new Map(history.map((a) => [a.code, a.level]));
  const succCount = new Map<string, number>();
  for (const l of successors) succCount.set(l.predecessor, (succCount.get(l.predecessor) ?? 0) + 1);
  const unitWeights = new Map<string, number>();
  for (const l of successors) {
    if (level.get(l.predecessor) !== "commune") continue;
    const g = districtGroup(l.predecessor);
    const perCommune = (P.districtPopulation[g] ?? 30) / (COMMUNES_PER_DISTRICT[g] ?? 1);
    const share = l.whole ? 1 : 1 / (succCount.get(l.predecessor) ?? 1);
    unitWeights.set(l.successor, (unitWeights.get(l.successor) ?? 0) + perCommune * share);
  }
  return {
    name: "quangninh-2026",
    agencies,
    fields: y2023.fields,
    procedures,
    unitWeights,
    history: { successors },
  };
}

/** Whether a unit existed at some time in the period (Vietnam dates; `validTo` exclusive). */
export function existsIn(a: YearAgency, period: { from: string; to: string }): boolean {
  return (a.validTo == null || a.validTo > period.from) && (a.validFrom == null || a.validFrom <= period.to);
}
