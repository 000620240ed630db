/**
 * Migration 2026_11_26_1100_payment_states on a database that has old-style refunds (a second `RF<ref>` row):
 * each is folded into the payment it refunded, and the per-year receipt series continue from the numbers
 * already issued.
 */

import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../app/server/db.server.ts";
import { nextReceiptNo } from "../app/server/payments/payment-ledger.server.ts";
import { down, up } from "../db/migrations/2026_11_26_1100_payment_states.ts";
import { insertOneProcedure, TEST_AGENCY } from "./fixtures.ts";
import { openTestDb } from "./test-database.ts";

describe("payment states migration", () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openTestDb({ label: "embedded", serverUrl: undefined }));
  });
  afterAll(async () => {
    await close?.();
  });

  it("folds RF rows into their payment and continues the receipt numbers", async () => {
    await down(db);
    await insertOneProcedure(db, { feeVnd: 50_000 });
    const dossier = await db
      .insertInto("dossiers")
      .values({
        code: "000.00.31.H99-260101-0001",
        procedure_code: "1.1",
        agency_code: TEST_AGENCY,
        receiving_agency_code: TEST_AGENCY,
        applicant_national_id: "022090000001",
        applicant_name: "A",
        channel: "counter",
        status: "withdrawn",
        fee_vnd: 50_000,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const paidAt = new Date("2026-05-02T03:00:00Z");
    const refundedAt = new Date("2026-05-03T03:00:00Z");
    await sql`insert into payments (dossier_id, order_ref, amount_vnd, method, status, payer_name, paid_at, receipt_no, transaction_no)
              values (${dossier.id}, 'ABC1', 50000, 'gateway', 'paid', 'A', ${paidAt}, 'BL-2026-0000005', '14000001'),
                     (${dossier.id}, 'RFABC1', 50000, 'gateway', 'refunded', 'A', ${refundedAt}, 'HT-2026-0000006', '14000009')`.execute(
      db,
    );
    await up(db);
    const rows = await db
      .selectFrom("payments")
      .select([
        "order_ref",
        "status",
        "receipt_no",
        "refund_receipt_no",
        "refund_transaction_no",
        "refunded_at",
        "refund_reason",
      ])
      .execute();
    expect(rows).toEqual([
      {
        order_ref: "ABC1",
        status: "refunded",
        receipt_no: "BL-2026-0000005",
        refund_receipt_no: "HT-2026-0000006",
        refund_transaction_no: "14000009",
        refunded_at: refundedAt,
        refund_reason: "dossier_closed",
      },
    ]);
    const next = await db.transaction().execute(async (trx) => ({
      bl: await nextReceiptNo(trx, "BL", new Date("2026-06-01T03:00:00Z")),
      ht: await nextReceiptNo(trx, "HT", new Date("2026-06-01T03:00:00Z")),
      newYear: await nextReceiptNo(trx, "BL", new Date("2026-12-31T17:00:00Z")),
    }));
    expect(next).toEqual({ bl: "BL-2026-0000006", ht: "HT-2026-0000007", newYear: "BL-2027-0000001" });
  });
});
