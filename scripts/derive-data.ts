/**
 * Derives the project's data files in db/data/ from the team's reference data sets (a folder outside this
 * repository; its README gives their provenance). Run by a maintainer when the sources change; the project
 * never reads that folder at run time (db/data/README.md).
 *
 *   npx tsx scripts/derive-data.ts SHARED_DATA_DIR
 *
 * Writes:
 * - db/data/quangninh-2025-units.json: the 54 commune-level units of Quảng Ninh from 1 July 2025, with a
 *   portal code each (placeholder province group, see db/seed/demo-data.ts), an English name, the kind, and
 *   the former wards/communes/townships that formed each one (whole or part); the 13 former district-level
 *   units with the new unit that took their seat.
 * - db/data/tthc-catalogue.json.gz: the national procedure catalogue trimmed to the fields
 *   db/seed/year/catalogue.ts uses (same order, same values; the channel text cut to its first 120
 *   characters, where the fee is read), gzip-compressed.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const given = process.argv[2];
const sharedDir = path.resolve(given ?? "");
if (!given || !fs.existsSync(path.join(sharedDir, "quangninh-2025-units.json"))) {
  console.error(
    "Usage: npx tsx scripts/derive-data.ts SHARED_DATA_DIR (the folder with quangninh-2025-units.json and " +
      "tthc-catalog-dvcqg.json); db/data/ already holds the derived files, so nothing else needs this script.",
  );
  process.exit(2);
}
const outDir = path.join(root, "db/data");
fs.mkdirSync(outDir, { recursive: true });

const ascii = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D");

type SourceUnit = {
  name: string;
  kind: string;
  formedFrom: { name: string; kind: string; formerDistrict: string; whole: boolean }[];
  resolutionClause?: number | string;
};
type Source = {
  effective: string;
  resolution: { number: string; date: string; scheme: string; schemeDate: string };
  province: string;
  formerDistricts: { name: string; kind: string }[];
  units: SourceUnit[];
};

function deriveUnits(): void {
  const src = JSON.parse(fs.readFileSync(path.join(sharedDir, "quangninh-2025-units.json"), "utf8")) as Source;
  const KINDS: Record<string, { kind: string; en: string }> = {
    phường: { kind: "ward", en: "Ward" },
    xã: { kind: "commune", en: "Commune" },
    "đặc khu": { kind: "special_zone", en: "Special Zone" },
  };
  const units = src.units.map((u, i) => {
    const k = KINDS[u.kind];
    if (!k) throw new Error(`unknown kind ${u.kind}`);
    const bare = u.name.replace(/^(Xã|Phường|Đặc khu)\s+/, "");
    return {
      // B group 01–54 under the placeholder C group 50 of the province (docs/decisions/016-units-with-history.md)
      code: `000.${String(i + 1).padStart(2, "0")}.50.H99`,
      name: u.name,
      nameEn: `${ascii(bare)} ${k.en}`,
      kind: k.kind,
      clause: u.resolutionClause ?? null,
      formedFrom: u.formedFrom.map((f) => ({
        name: f.name,
        kind: f.kind,
        formerDistrict: f.formerDistrict,
        whole: f.whole,
      })),
    };
  });
  // The seat of a former district (the portal's rule): the new unit of the same name, else the one that took
  // its township, else the first whose name starts with it.
  const formerDistricts = src.formerDistricts.map((d) => {
    const same = units.find((u) => u.name.replace(/^(Xã|Phường|Đặc khu)\s+/, "") === d.name);
    const town = units.find((u) =>
      u.formedFrom.some((f) => f.kind === "thị trấn" && f.formerDistrict.endsWith(` ${d.name}`) && f.whole),
    );
    // Móng Cái has no unit of its name: the first of "Móng Cái 1–3" in the resolution's order.
    const first = units.find((u) => u.name.replace(/^(Xã|Phường|Đặc khu)\s+/, "").startsWith(`${d.name} `));
    const seat = same ?? town ?? first;
    if (!seat) throw new Error(`no seat for ${d.name}`);
    return { name: d.name, kind: d.kind, seat: seat.code };
  });
  const out = {
    provenance:
      "Derived by scripts/derive-data.ts from shared/data/quangninh-2025-units.json (Resolution 1679/NQ-UBTVQH15; see db/data/README.md). Codes and English names are the portal's own.",
    effective: src.effective,
    resolution: src.resolution,
    province: src.province,
    formerDistricts,
    units,
  };
  fs.writeFileSync(path.join(outDir, "quangninh-2025-units.json"), `${JSON.stringify(out, null, 1)}\n`);
  const old = new Set(units.flatMap((u) => u.formedFrom.map((f) => `${f.name}|${f.formerDistrict}`)));
  console.log(`units: ${units.length} new, ${old.size} former, ${formerDistricts.length} former districts`);
}

type SharedChannel = { channel: string; time_value: string | null; time_unit: string | null; rest_text: string };
type SharedProcedure = {
  ma_thu_tuc: string;
  ten_thu_tuc: string;
  so_quyet_dinh?: string;
  cap_thuc_hien: string;
  linh_vuc: string;
  ministry_folder: string;
  channels_parsed: SharedChannel[];
  ket_qua_xu_ly?: string;
};

function deriveCatalogue(): void {
  const src = JSON.parse(fs.readFileSync(path.join(sharedDir, "tthc-catalog-dvcqg.json"), "utf8")) as SharedProcedure[];
  const trimmed = src.map((p) => ({
    ma_thu_tuc: p.ma_thu_tuc,
    ten_thu_tuc: p.ten_thu_tuc,
    ...(p.so_quyet_dinh ? { so_quyet_dinh: p.so_quyet_dinh } : {}),
    cap_thuc_hien: p.cap_thuc_hien,
    linh_vuc: p.linh_vuc,
    ministry_folder: p.ministry_folder,
    channels_parsed: (p.channels_parsed ?? []).map((c) => ({
      channel: c.channel,
      time_value: c.time_value,
      time_unit: c.time_unit,
      rest_text: (c.rest_text ?? "").slice(0, 120),
    })),
    ...(p.ket_qua_xu_ly ? { ket_qua_xu_ly: p.ket_qua_xu_ly.split("Mã:")[0]!.trim() } : {}),
  }));
  const json = JSON.stringify(trimmed);
  const gz = zlib.gzipSync(json, { level: 9 });
  fs.writeFileSync(path.join(outDir, "tthc-catalogue.json.gz"), gz);
  console.log(`catalogue: ${trimmed.length} procedures, ${json.length} bytes JSON, ${gz.length} bytes gzip`);
}

deriveUnits();
deriveCatalogue();
