/** Small catalogue fixtures for db tests: one district agency, one field and one procedure. */
import type { Kysely } from "kysely";
import type { Database } from "../app/server/db.server.ts";

export const TEST_AGENCY = "000.00.31.H99";

export async function insertOneProcedure(db: Kysely<Database>, opts: { feeVnd?: number } = {}): Promise<void> {
  await db
    .insertInto("agencies")
    .values({ code: TEST_AGENCY, name_vi: "Hạ Long", name_en: "Ha Long", level: "district", parent_code: null })
    .execute();
  await db.insertInto("fields").values({ code: "f", name_vi: "F", name_en: "F" }).execute();
  await db
    .insertInto("procedures")
    .values({
      code: "1.1",
      name_vi: "P",
      name_en: "P",
      field_code: "f",
      level: "district",
      agency_code: TEST_AGENCY,
      processing_amount: 5,
      processing_unit: "working_days",
      online_kind: "full",
      fee_vnd: opts.feeVnd ?? 0,
    })
    .execute();
}

/** Two fees paid for the given dossiers at `paidAt`: one online (gateway), one in cash. */
export async function payOneOnlineOneCash(db: Kysely<Database>, dossierIds: string[], paidAt: Date): Promise<void> {
  await db
    .insertInto("payments")
    .values(
      (["gateway", "cash"] as const).map((method, i) => ({
        dossier_id: dossierIds[i] ?? "",
        order_ref: `T${i + 1}`,
        amount_vnd: 100000,
        method,
        status: "paid",
        payer_name: i === 0 ? "A" : "B",
        paid_at: paidAt,
        receipt_no: `BL-T-${i + 1}`,
      })),
    )
    .execute();
}
