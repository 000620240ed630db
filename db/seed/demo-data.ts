/**
 * The demo province: Quảng Ninh's real units (2023, three levels) with a placeholder province code,
 * fields (lĩnh vực) and procedures. Demo data only — real names and national codes are facts.
 *
 * Agency codes follow Decision 20/2020/QĐ-TTg `A1A2A3.B1B2.C1C2.D1D2D3`:
 * - D group: the province. `H99` is a PLACEHOLDER: Quảng Ninh's real code was not confirmed.
 * - C group: a unit directly under the province — departments 01–20, district-level localities 31–43.
 * - B group: a unit under that — communes and wards of a district, numbered from 01.
 * - A group: unused (000). The province's own People's Committee is `000.00.00.H99`.
 */
import { procedures as demoProcedures } from "./demo-procedures.ts";
import type { DemoAgency, DemoField, DemoProcedure } from "./demo-types.ts";

export type {
  AgencyLevel,
  DemoAgency,
  DemoDocument,
  DemoField,
  DemoProcedure,
  FormFieldSpec,
  OnlineKind,
  TimeUnit,
} from "./demo-types.ts";

/** PLACEHOLDER province group: the real Quảng Ninh code was not confirmed (docs/domain.md#catalogue). */
export const PROVINCE_CODE = "H99";
const P = PROVINCE_CODE;
export const PROVINCE_ROOT = `000.00.00.${P}`;

const dept = (n: string, nameVi: string, nameEn: string): DemoAgency => ({
  code: `000.00.${n}.${P}`,
  nameVi,
  nameEn,
  level: "province",
  parentCode: PROVINCE_ROOT,
});
const district = (n: string, nameVi: string, nameEn: string): DemoAgency => ({
  code: `000.00.${n}.${P}`,
  nameVi,
  nameEn,
  level: "district",
  parentCode: PROVINCE_ROOT,
});
const commune = (d: string, n: string, nameVi: string, nameEn: string): DemoAgency => ({
  code: `000.${n}.${d}.${P}`,
  nameVi,
  nameEn,
  level: "commune",
  parentCode: `000.00.${d}.${P}`,
});

export const agencies: DemoAgency[] = [
  {
    code: PROVINCE_ROOT,
    nameVi: "Ủy ban nhân dân tỉnh Quảng Ninh",
    nameEn: "Quang Ninh Provincial People's Committee",
    level: "province",
    parentCode: null,
  },
  dept("01", "Trung tâm Phục vụ hành chính công tỉnh", "Provincial Public Administration Service Centre"),
  dept("02", "Sở Tư pháp", "Department of Justice"),
  dept("03", "Sở Xây dựng", "Department of Construction"),
  dept("04", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment"),
  dept("05", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment"),
  dept("06", "Sở Giao thông vận tải", "Department of Transport"),
  dept("07", "Sở Y tế", "Department of Health"),
  dept("08", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
  dept("09", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs"),
  dept("10", "Sở Công Thương", "Department of Industry and Trade"),
  dept("11", "Sở Văn hóa và Thể thao", "Department of Culture and Sports"),
  dept("12", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development"),
  district("31", "UBND thành phố Hạ Long", "Ha Long City People's Committee"),
  district("32", "UBND thành phố Móng Cái", "Mong Cai City People's Committee"),
  district("33", "UBND thành phố Cẩm Phả", "Cam Pha City People's Committee"),
  district("34", "UBND thành phố Uông Bí", "Uong Bi City People's Committee"),
  district("35", "UBND thị xã Quảng Yên", "Quang Yen Town People's Committee"),
  district("36", "UBND thị xã Đông Triều", "Dong Trieu Town People's Committee"),
  district("37", "UBND huyện Vân Đồn", "Van Don District People's Committee"),
  district("38", "UBND huyện Cô Tô", "Co To District People's Committee"),
  district("39", "UBND huyện Tiên Yên", "Tien Yen District People's Committee"),
  district("40", "UBND huyện Đầm Hà", "Dam Ha District People's Committee"),
  district("41", "UBND huyện Hải Hà", "Hai Ha District People's Committee"),
  district("42", "UBND huyện Bình Liêu", "Binh Lieu District People's Committee"),
  district("43", "UBND huyện Ba Chẽ", "Ba Che District People's Committee"),
  commune("31", "01", "UBND phường Hồng Gai", "Hong Gai Ward People's Committee"),
  commune("31", "02", "UBND phường Bạch Đằng", "Bach Dang Ward People's Committee"),
  commune("31", "03", "UBND phường Bãi Cháy", "Bai Chay Ward People's Committee"),
  commune("31", "04", "UBND phường Hồng Hải", "Hong Hai Ward People's Committee"),
  commune("31", "05", "UBND phường Cao Xanh", "Cao Xanh Ward People's Committee"),
  commune("31", "06", "UBND phường Hà Khánh", "Ha Khanh Ward People's Committee"),
  commune("32", "01", "UBND phường Ka Long", "Ka Long Ward People's Committee"),
  commune("32", "02", "UBND phường Trần Phú", "Tran Phu Ward People's Committee"),
  commune("32", "03", "UBND phường Trà Cổ", "Tra Co Ward People's Committee"),
  commune("33", "01", "UBND phường Cẩm Trung", "Cam Trung Ward People's Committee"),
  commune("33", "02", "UBND phường Cẩm Thành", "Cam Thanh Ward People's Committee"),
  commune("33", "03", "UBND phường Cửa Ông", "Cua Ong Ward People's Committee"),
  commune("34", "01", "UBND phường Quang Trung", "Quang Trung Ward People's Committee"),
  commune("34", "02", "UBND phường Thanh Sơn", "Thanh Son Ward People's Committee"),
  commune("35", "01", "UBND phường Quảng Yên", "Quang Yen Ward People's Committee"),
  commune("36", "01", "UBND phường Mạo Khê", "Mao Khe Ward People's Committee"),
  commune("37", "01", "UBND xã Hạ Long", "Ha Long Commune People's Committee"),
  commune("38", "01", "UBND thị trấn Cô Tô", "Co To Township People's Committee"),
  commune("39", "01", "UBND thị trấn Tiên Yên", "Tien Yen Township People's Committee"),
  commune("39", "02", "UBND xã Đồng Rui", "Dong Rui Commune People's Committee"),
  commune("40", "01", "UBND thị trấn Đầm Hà", "Dam Ha Township People's Committee"),
  commune("41", "01", "UBND thị trấn Quảng Hà", "Quang Ha Township People's Committee"),
  commune("42", "01", "UBND thị trấn Bình Liêu", "Binh Lieu Township People's Committee"),
  commune("43", "01", "UBND thị trấn Ba Chẽ", "Ba Che Township People's Committee"),
];

export const fields: DemoField[] = [
  { code: "ho-tich", nameVi: "Hộ tịch", nameEn: "Civil status registration" },
  { code: "chung-thuc", nameVi: "Chứng thực", nameEn: "Certification" },
  { code: "ly-lich-tu-phap", nameVi: "Lý lịch tư pháp", nameEn: "Judicial records" },
  { code: "xay-dung", nameVi: "Hoạt động xây dựng", nameEn: "Construction" },
  { code: "dat-dai", nameVi: "Đất đai", nameEn: "Land" },
  { code: "doanh-nghiep", nameVi: "Thành lập và hoạt động doanh nghiệp", nameEn: "Enterprise registration" },
  { code: "ho-kinh-doanh", nameVi: "Thành lập và hoạt động của hộ kinh doanh", nameEn: "Household business" },
  { code: "giao-thong", nameVi: "Đường bộ", nameEn: "Road transport" },
  { code: "giao-duc", nameVi: "Giáo dục và Đào tạo", nameEn: "Education and training" },
  { code: "lao-dong", nameVi: "Việc làm", nameEn: "Employment" },
  { code: "bao-tro-xa-hoi", nameVi: "Bảo trợ xã hội", nameEn: "Social protection" },
  { code: "moi-truong", nameVi: "Môi trường", nameEn: "Environment" },
];

export const procedures: DemoProcedure[] = demoProcedures;
