/**
 * The 2025 two-tier reform of the demo province as data (ADR 016): the 2023 structure of db/seed/demo-data.ts
 * ends on 30 June 2025 (district- and commune-level units), Quảng Ninh's 54 commune-level units of
 * Resolution 1679/NQ-UBTVQH15 begin on 1 July 2025, and successor links say which new unit took over which
 * old one (whole or part). Read from db/data/quangninh-2025-units.json (derived by scripts/derive-data.ts;
 * provenance in db/data/README.md), never from outside the repository.
 *
 * The demo lists only a sample of the 2023 communes; the other former wards, communes and townships named by
 * the resolution are added here as historical units (B group from 60 under their former district) so that
 * every new unit has its predecessors and an applicant's address can be matched to them.
 */
import unitsData from "../data/quangninh-2025-units.json";
import { agencies as agencies2023, type DemoAgency, PROVINCE_CODE, PROVINCE_ROOT } from "./demo-data.ts";

export const REFORM_2025 = {
  code: "qn-2025-07-01",
  effectiveOn: unitsData.effective,
  nameVi: "Sắp xếp đơn vị hành chính cấp xã, chính quyền địa phương hai cấp",
  nameEn: "Reorganisation of commune-level units, two-tier local government",
  legalBasis: `Nghị quyết ${unitsData.resolution.number} ngày 16/6/2025`,
} as const;

export type UnitKind = "ward" | "commune" | "township" | "special_zone";
export type HistoricAgency = DemoAgency & { validFrom: string | null; validTo: string | null; kind: UnitKind | null };
export type SuccessorLink = { predecessor: string; successor: string; whole: boolean; primary: boolean };

const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");
const KIND_OF: Record<string, UnitKind> = {
  phường: "ward",
  xã: "commune",
  "thị trấn": "township",
  "đặc khu": "special_zone",
};
const EN_OF: Record<UnitKind, string> = {
  ward: "Ward",
  commune: "Commune",
  township: "Township",
  special_zone: "Special Zone",
};
/** "phường Hồng Gai" → ["phường", "Hồng Gai"]. */
function splitName(name: string): [string, string] {
  const m = /^(phường|xã|thị trấn|đặc khu)\s+(.+)$/i.exec(name.trim());
  if (!m) throw new Error(`unit name without a kind: ${name}`);
  return [m[1]!.toLowerCase(), m[2]!];
}
/** The short name of a former district-level unit ("UBND thị xã Đông Triều" → "Đông Triều"). */
const districtShort = (nameVi: string) => nameVi.replace(/^UBND (thành phố|thị xã|huyện) /, "");

/** The demo province's units with their validity, the successor links, and the new units' codes. */
export function unitsWithHistory(): { agencies: HistoricAgency[]; successors: SuccessorLink[] } {
  const end = REFORM_2025.effectiveOn;
  const out: HistoricAgency[] = agencies2023.map((a) => ({
    ...a,
    validFrom: null,
    validTo: a.level === "province" ? null : end,
    kind: a.level === "commune" ? (KIND_OF[splitName(a.nameVi.replace(/^UBND /, ""))[0]] ?? null) : null,
  }));
  const districts = agencies2023.filter((a) => a.level === "district");
  const districtByShort = new Map(districts.map((d) => [districtShort(d.nameVi), d]));
  // Former commune-level units: the demo's own where the name matches, otherwise added.
  const former = new Map<string, HistoricAgency>();
  const nextB = new Map<string, number>();
  const formerCode = (name: string, formerDistrict: string): HistoricAgency => {
    const key = `${name}|${formerDistrict}`;
    const known = former.get(key);
    if (known) return known;
    const dShort = formerDistrict.replace(/^(thành phố|thị xã|huyện) /, "");
    const district = districtByShort.get(dShort);
    if (!district) throw new Error(`unknown former district ${formerDistrict}`);
    const [kindVi, bare] = splitName(name);
    const demo = out.find((a) => a.parentCode === district.code && a.nameVi === `UBND ${kindVi} ${bare}`);
    let unit = demo;
    if (!unit) {
      const group = district.code.split(".")[2]!;
      const b = nextB.get(group) ?? 60;
      nextB.set(group, b + 1);
      const kind = KIND_OF[kindVi]!;
      unit = {
        code: `000.${b}.${group}.${PROVINCE_CODE}`,
        nameVi: `UBND ${kindVi} ${bare}`,
        nameEn: `${ascii(bare)} ${EN_OF[kind]} People's Committee`,
        level: "commune",
        parentCode: district.code,
        validFrom: null,
        validTo: end,
        kind,
      };
      out.push(unit);
    }
    former.set(key, unit);
    return unit;
  };
  const successors = new Map<string, SuccessorLink>();
  const link = (l: SuccessorLink) => {
    const key = `${l.predecessor}|${l.successor}`;
    if (!successors.has(key)) successors.set(key, l);
  };
  for (const u of unitsData.units) {
    const kind = u.kind as UnitKind;
    const [kindVi, bare] = splitName(u.name);
    out.push({
      code: u.code,
      nameVi: `UBND ${kindVi} ${bare}`,
      nameEn: `${u.nameEn} People's Committee`,
      level: "commune",
      parentCode: PROVINCE_ROOT,
      validFrom: end,
      validTo: null,
      kind,
    });
    for (const f of u.formedFrom) {
      const old = formerCode(f.name, f.formerDistrict);
      // A split unit's procedures and staff go to the first new unit the resolution names for it.
      const firstOfSplit = unitsData.units.find((x) =>
        x.formedFrom.some((y) => y.name === f.name && y.formerDistrict === f.formerDistrict),
      );
      link({
        predecessor: old.code,
        successor: u.code,
        whole: f.whole,
        primary: f.whole || firstOfSplit?.code === u.code,
      });
      const district = districtByShort.get(f.formerDistrict.replace(/^(thành phố|thị xã|huyện) /, ""))!;
      const seat = unitsData.formerDistricts.find((d) => d.name === districtShort(district.nameVi))?.seat;
      link({ predecessor: district.code, successor: u.code, whole: false, primary: seat === u.code });
    }
  }
  return { agencies: out, successors: [...successors.values()] };
}
