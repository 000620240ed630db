/** Catalogue search on both databases: accents, case, word order, filters, ranking, odd input. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import { parseCatalogueQuery } from "../../utils/catalogue-schema.ts";
import type { Database } from "../db.server.ts";
import { agencySubtree, searchProcedures } from "./catalogue-queries.server.ts";

const q = (s: string) => parseCatalogueQuery(new URLSearchParams(s));

describe.each(testTargets())("catalogue search on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    await db
      .insertInto("agencies")
      .values([
        { code: "000.00.00.H99", name_vi: "UBND tỉnh", name_en: "Province", level: "province", parent_code: null },
        {
          code: "000.00.03.H99",
          name_vi: "Sở Xây dựng",
          name_en: "Construction",
          level: "province",
          parent_code: "000.00.00.H99",
        },
        {
          code: "000.00.31.H99",
          name_vi: "UBND TP Hạ Long",
          name_en: "Ha Long",
          level: "district",
          parent_code: "000.00.00.H99",
        },
      ])
      .execute();
    await db
      .insertInto("fields")
      .values([
        { code: "xay-dung", name_vi: "Xây dựng", name_en: "Construction" },
        { code: "ho-tich", name_vi: "Hộ tịch", name_en: "Civil status" },
      ])
      .execute();
    const base = { processing_amount: 5, processing_unit: "working_days", fee_vnd: 0 };
    await db
      .insertInto("procedures")
      .values([
        {
          ...base,
          code: "1.009994",
          name_vi: "Cấp giấy phép xây dựng nhà ở riêng lẻ",
          name_en: "Building permit for a detached house",
          field_code: "xay-dung",
          level: "district",
          agency_code: "000.00.31.H99",
          online_kind: "full",
        },
        {
          ...base,
          code: "1.009972",
          name_vi: "Cấp giấy phép xây dựng mới đối với công trình cấp I, II",
          name_en: "Building permit for grade I, II works",
          field_code: "xay-dung",
          level: "province",
          agency_code: "000.00.03.H99",
          online_kind: "partial",
        },
        {
          ...base,
          code: "1.001193",
          name_vi: "Thủ tục đăng ký khai sinh",
          name_en: "Birth registration",
          field_code: "ho-tich",
          level: "district",
          agency_code: "000.00.31.H99",
          online_kind: "full",
        },
        {
          ...base,
          code: "2.000986",
          name_vi: "Đăng ký kết hôn 100%_test",
          name_en: "Marriage registration",
          field_code: "ho-tich",
          level: "district",
          agency_code: "000.00.31.H99",
          online_kind: "none",
        },
      ])
      .execute();
  });
  afterAll(async () => {
    await close();
  });

  it("finds Vietnamese names typed without accents and in another case", async () => {
    const r = await searchProcedures(db, q("q=CAP GIAY PHEP XAY DUNG"), "vi");
    expect(r.items.map((i) => i.code).sort()).toEqual(["1.009972", "1.009994"]);
  });

  it("matches words in any order and ranks the closest name first", async () => {
    const r = await searchProcedures(db, q("q=rieng le nha o xay dung"), "vi");
    expect(r.items[0]?.code).toBe("1.009994");
    expect(r.total).toBe(1);
  });

  it("handles đ/Đ and English names", async () => {
    expect((await searchProcedures(db, q("q=dang ky khai sinh"), "vi")).items.map((i) => i.code)).toEqual(["1.001193"]);
    expect((await searchProcedures(db, q("q=birth"), "en")).items.map((i) => i.code)).toEqual(["1.001193"]);
  });

  it("combines search with filters", async () => {
    expect((await searchProcedures(db, q("q=giay phep&level=province"), "vi")).items.map((i) => i.code)).toEqual([
      "1.009972",
    ]);
    expect((await searchProcedures(db, q("online=none"), "vi")).items.map((i) => i.code)).toEqual(["2.000986"]);
    expect((await searchProcedures(db, q("field=ho-tich&agency=000.00.31.H99"), "vi")).total).toBe(2);
  });

  it("treats LIKE wildcards and script tags as plain text", async () => {
    expect((await searchProcedures(db, q("q=%25"), "vi")).items.map((i) => i.code)).toEqual(["2.000986"]);
    expect((await searchProcedures(db, q("q=_"), "vi")).items.map((i) => i.code)).toEqual(["2.000986"]);
    expect((await searchProcedures(db, q("q=<script>alert(1)</script>"), "vi")).total).toBe(0);
  });

  it("paginates and ignores malformed filters", async () => {
    const page = await searchProcedures(db, q("pageSize=2&page=2&level=galaxy"), "vi");
    expect(page.total).toBe(4);
    expect(page.items).toHaveLength(2);
  });
});

describe.each(testTargets())("agency subtree on $label PostgreSQL", (target: TestTarget) => {
  it("returns the root, its children and grandchildren with depth", async () => {
    const { db, close } = await openTestDb(target);
    try {
      await db
        .insertInto("agencies")
        .values([
          { code: "000.00.00.H99", name_vi: "Tỉnh", name_en: "Province", level: "province", parent_code: null },
          {
            code: "000.00.31.H99",
            name_vi: "Hạ Long",
            name_en: "Ha Long",
            level: "district",
            parent_code: "000.00.00.H99",
          },
          {
            code: "000.01.31.H99",
            name_vi: "Hồng Gai",
            name_en: "Hong Gai",
            level: "commune",
            parent_code: "000.00.31.H99",
          },
          {
            code: "000.00.32.H99",
            name_vi: "Móng Cái",
            name_en: "Mong Cai",
            level: "district",
            parent_code: "000.00.00.H99",
          },
        ])
        .execute();
      const tree = await agencySubtree(db, "000.00.31.H99");
      expect(tree.map((a) => [a.code, Number(a.depth)])).toEqual([
        ["000.00.31.H99", 0],
        ["000.01.31.H99", 1],
      ]);
      expect((await agencySubtree(db, "000.00.00.H99")).length).toBe(4);
    } finally {
      await close();
    }
  });
});
