import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatVnIso } from "../../domain/calendar/working-calendar.ts";
import { db } from "../../server/db.server.ts";
import { getT } from "../../server/i18n.server.ts";
import { requireFinance } from "../../server/payments/finance-access.server.ts";
import { listMismatches, settlementDateProblem } from "../../server/payments/settlement.server.ts";
import { toCsv } from "../../utils/csv.ts";

const HEADER = [
  "settlement_date",
  "kind",
  "type",
  "txn_ref",
  "transaction_no",
  "amount_gateway",
  "amount_portal",
  "difference",
  "dossier_code",
  "payment_status",
  "agency_code",
  "found_at",
  "resolved_at",
  "resolved_by",
  "resolution_note",
];

/**
 * The settlement mismatches as CSV (for the accounts office's spreadsheet): one day's (`?date=`), or every
 * open one plus the last 30 days'. Same scope as the page; escaped cells; times in ISO 8601 (+07:00).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireFinance(request);
  const now = new Date();
  const asked = new URL(request.url).searchParams.get("date") ?? "";
  const problem = asked ? settlementDateProblem(asked, now) : null;
  if (problem) {
    const t = await getT(request, "finance");
    return new Response(`${t(problem)}\n`, {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
  const rows = await listMismatches(db, user.scope, { date: asked || undefined, now });
  const iso = (d: Date | null) => (d ? formatVnIso(d) : null);
  const body = toCsv([
    HEADER,
    ...rows.map((m) => [
      m.date,
      m.kind,
      m.lineType,
      m.txnRef,
      m.transactionNo,
      m.amountGateway,
      m.amountPortal,
      m.amountGateway !== null && m.amountPortal !== null ? m.amountGateway - m.amountPortal : null,
      m.dossierCode,
      m.paymentStatus,
      m.agencyCode,
      iso(m.foundAt),
      iso(m.resolvedAt),
      m.resolvedByName,
      m.resolutionNote,
    ]),
  ]);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="doi-soat-${asked || "mo"}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
