/** The electronic receipt (biên lai điện tử) of a paid fee, for its applicant or the handling agency's staff. */

import { isUuid } from "../../domain/ids/uuid.ts";
import { requireUser } from "../auth.server.ts";
import { db } from "../db.server.ts";

export async function receiptFor(request: Request, paymentId: string | undefined) {
  const user = await requireUser(request);
  const row =
    paymentId && isUuid(paymentId)
      ? await db
          .selectFrom("payments as p")
          .innerJoin("dossiers as d", "d.id", "p.dossier_id")
          .innerJoin("agencies as a", "a.code", "d.agency_code")
          .innerJoin("procedures as pr", "pr.code", "d.procedure_code")
          .select([
            "p.id",
            "p.receipt_no",
            "p.amount_vnd",
            "p.method",
            "p.paid_at",
            "p.payer_name",
            "p.transaction_no",
            "p.status",
            "d.id as dossier_id",
            "d.code",
            "d.applicant_id",
            "d.agency_code",
            "a.name_vi as agency_vi",
            "a.name_en as agency_en",
            "pr.name_vi as procedure_vi",
            "pr.name_en as procedure_en",
          ])
          .where("p.id", "=", paymentId)
          .executeTakeFirst()
      : undefined;
  const allowed =
    row?.receipt_no &&
    ((user.role === "citizen" && row.applicant_id === user.id) ||
      (user.role === "clerk" && user.agencyCode === row.agency_code));
  if (!row || !allowed) throw new Response("Not Found", { status: 404 });
  return { ...row, forStaff: user.role === "clerk" };
}
