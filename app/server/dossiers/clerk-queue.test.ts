/** The clerk queue's one search box on both databases: code (or its start), ID number, name without accents. */
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertOneProcedure, TEST_AGENCY } from "../../../tests/fixtures.ts";
import { openTestDb, type TestTarget, testTargets } from "../../../tests/test-database.ts";
import type { Database } from "../db.server.ts";
import { clerkQueue } from "./workflow-service.server.ts";

const OTHER_AGENCY = "000.00.32.H99";
const AT = new Date("2025-03-10T03:00:00Z");

describe.each(testTargets())("clerk queue search on $label PostgreSQL", (target: TestTarget) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  async function dossier(
    code: string | null,
    name: string,
    nationalId: string,
    opts: Partial<{ agency: string; status: string }> = {},
  ) {
    const agency = opts.agency ?? TEST_AGENCY;
    await db
      .insertInto("dossiers")
      .values({
        code,
        procedure_code: "1.1",
        agency_code: agency,
        receiving_agency_code: agency,
        applicant_national_id: nationalId,
        applicant_name: name,
        channel: "online",
        status: opts.status ?? "submitted",
        submitted_at: code ? AT : null,
        created_at: AT,
        updated_at: AT,
      })
      .execute();
  }
  const codesFor = async (q: string) => (await clerkQueue(db, TEST_AGENCY, { q })).map((r) => r.code).sort();

  beforeAll(async () => {
    ({ db, close } = await openTestDb(target));
    await insertOneProcedure(db);
    await db
      .insertInto("agencies")
      .values({ code: OTHER_AGENCY, name_vi: "Móng Cái", name_en: "Mong Cai", level: "district", parent_code: null })
      .execute();
    await dossier("000.00.31.H99-250310-0001", "Nguyễn Văn Ánh", "022090000101");
    await dossier("000.00.31.H99-250310-0002", "Trần Thị Bình", "022190000202");
    await dossier("000.00.31.H99-250311-0003", "Đặng Thị Đào", "022190000303", { status: "received" });
    await dossier("000.00.31.H99-250311-0004", "100% Lê_Văn", "022090000404");
    // Not the clerk's: another unit's dossier with the same name, and a draft.
    await dossier("000.00.32.H99-250310-0001", "Nguyễn Văn Ánh", "022090000505", { agency: OTHER_AGENCY });
    await dossier(null, "Nguyễn Văn Ánh", "022090000101", { status: "draft" });
  });
  afterAll(async () => {
    await close();
  });

  it("finds a dossier by its code or the start of it, in any case", async () => {
    expect(await codesFor("000.00.31.H99-250310-0002")).toEqual(["000.00.31.H99-250310-0002"]);
    expect(await codesFor("000.00.31.h99-250311")).toEqual(["000.00.31.H99-250311-0003", "000.00.31.H99-250311-0004"]);
    // Only the start of a code: a piece from its middle is not a code search.
    expect(await codesFor("250311-0003")).toEqual([]);
  });

  it("finds by the exact ID number only", async () => {
    expect(await codesFor("022190000202")).toEqual(["000.00.31.H99-250310-0002"]);
    expect(await codesFor("0221900002")).toEqual([]);
  });

  it("finds by part of the name without accents or case, including đ", async () => {
    expect(await codesFor("nguyen van anh")).toEqual(["000.00.31.H99-250310-0001"]);
    expect(await codesFor("THI")).toEqual(["000.00.31.H99-250310-0002", "000.00.31.H99-250311-0003"]);
    expect(await codesFor("dang thi dao")).toEqual(["000.00.31.H99-250311-0003"]);
    expect(await codesFor("Bình")).toEqual(["000.00.31.H99-250310-0002"]);
  });

  it("treats % and _ as text, not wildcards", async () => {
    expect(await codesFor("100%")).toEqual(["000.00.31.H99-250311-0004"]);
    expect(await codesFor("%")).toEqual(["000.00.31.H99-250311-0004"]);
    expect(await codesFor("_")).toEqual(["000.00.31.H99-250311-0004"]);
  });

  it("never shows another unit's dossiers or drafts, whatever is searched", async () => {
    expect(await codesFor("")).toHaveLength(4);
    expect(await codesFor("000.00.32")).toEqual([]);
    expect(await codesFor("022090000505")).toEqual([]);
  });
});
