/**
 * The province's units for the generated year, in the demo's agency code scheme (db/seed/demo-data.ts,
 * placeholder province group H99): the demo's units are kept as they are; Quảng Ninh 2023 also had
 * provincial branches of central agencies whose procedures are in the catalogue, and 177 commune-level
 * units, of which the demo names 21. The other 156 get GENERATED names ("Đơn vị cấp xã 07 – Hạ Long"):
 * only their number per district-level locality is meant to be realistic (approximate 2023 counts).
 */
import { type DemoAgency, agencies as demoAgencies, PROVINCE_CODE, PROVINCE_ROOT } from "../demo-data.ts";

/** Commune-level units per district-level locality (C group code), 2023, approximate; 177 in all. */
export const COMMUNES_PER_DISTRICT: Record<string, number> = {
  "31": 33,
  "32": 17,
  "33": 16,
  "34": 11,
  "35": 19,
  "36": 21,
  "37": 12,
  "38": 3,
  "39": 11,
  "40": 9,
  "41": 11,
  "42": 7,
  "43": 7,
};

/** Provincial units not in the demo list that own procedures of the shared catalogue (C group 13–18). */
export const EXTRA_DEPARTMENTS: Array<[string, string, string]> = [
  ["13", "Sở Tài chính", "Department of Finance"],
  ["14", "Cục Thuế tỉnh", "Provincial Tax Department"],
  ["15", "Cục Hải quan tỉnh", "Provincial Customs Department"],
  ["16", "Bảo hiểm xã hội tỉnh", "Provincial Social Insurance"],
  ["17", "Công an tỉnh", "Provincial Police"],
  ["18", "Kho bạc Nhà nước tỉnh", "Provincial State Treasury"],
];

const districtShort = (d: DemoAgency) => ({
  vi: d.nameVi.replace(/^UBND (thành phố|thị xã|huyện) /, ""),
  en: d.nameEn.replace(/ (City|Town|District) People's Committee$/, ""),
});

export function provinceAgencies(): DemoAgency[] {
  const out: DemoAgency[] = demoAgencies.map((a) => ({ ...a }));
  for (const [n, vi, en] of EXTRA_DEPARTMENTS) {
    out.push({
      code: `000.00.${n}.${PROVINCE_CODE}`,
      nameVi: vi,
      nameEn: en,
      level: "province",
      parentCode: PROVINCE_ROOT,
    });
  }
  for (const district of demoAgencies.filter((a) => a.level === "district")) {
    const group = district.code.split(".")[2]!;
    const wanted = COMMUNES_PER_DISTRICT[group] ?? 0;
    const named = demoAgencies.filter((a) => a.parentCode === district.code);
    const short = districtShort(district);
    for (let i = named.length + 1; i <= wanted; i++) {
      const nn = String(i).padStart(2, "0");
      out.push({
        code: `000.${nn}.${group}.${PROVINCE_CODE}`,
        nameVi: `Đơn vị cấp xã ${nn} – ${short.vi}`,
        nameEn: `Commune-level unit ${nn}, ${short.en}`,
        level: "commune",
        parentCode: district.code,
      });
    }
  }
  return out;
}

/** The district-level group (C group) of an agency code `000.BB.CC.H99`. */
export function districtGroup(code: string): string {
  return code.split(".")[2] ?? "";
}
