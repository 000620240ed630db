import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatVnIso } from "../../domain/calendar/working-calendar.ts";
import { getLanguage, getT } from "../../server/i18n.server.ts";
import { readHeaders, readWith } from "../../server/read-db.server.ts";
import {
  agencyNames,
  drillDownAll,
  drillRowView,
  lateStepsOf,
  readDrillRequest,
} from "../../server/stats/drilldown.server.ts";
import { requireManager } from "../../server/stats/manager-dashboard.server.ts";
import { csvCell } from "../../utils/csv.ts";

const HEADER = [
  "code",
  "procedure_code",
  "procedure",
  "agency_code",
  "agency",
  "channel",
  "status",
  "received_at",
  "due_at",
  "ended_at",
  "outcome",
  "paid_at",
  "payment_method",
  "late_step",
  "late_step_agency",
  "late_step_used_hours",
  "late_step_budget_hours",
];

/**
 * The drill-down list as CSV: every row (not one page), streamed in keyset batches so a province-year
 * export does not sit in memory. Same parameters and checks as /manager/dossiers; escaped cells; times in
 * ISO 8601 with the Vietnam offset.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireManager(request);
  const now = new Date();
  const [t, lng] = await Promise.all([getT(request, "stats"), getLanguage(request)]);
  const { sel, metric, problems } = await readDrillRequest(new URL(request.url), user, now);
  const { page: _ignored, ...blocking } = problems;
  if (!metric || Object.keys(blocking).length > 0) {
    return new Response(
      `${Object.values(blocking)
        .map((k) => t(k))
        .join("\n")}\n`,
      {
        status: blocking.agency ? 403 : 400,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
      },
    );
  }
  // The first read also tells whether the replica answers; a replica failing mid-file ends the download.
  const { read, names } = await readWith(async (choice) => ({
    read: choice,
    names: await agencyNames(choice.db, lng),
  }));
  const db = read.db;
  const iso = (v: string | null) => (v ? formatVnIso(new Date(v)) : null);
  const line = (cells: Array<string | number | null>) => `${cells.map(csvCell).join(",")}\r\n`;
  const encoder = new TextEncoder();
  const batches = drillDownAll(db, { metric, period: sel.period, scope: sel.scope, now });
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`\uFEFF${line(HEADER)}`));
    },
    async pull(controller) {
      try {
        const next = await batches.next();
        if (next.done) {
          controller.close();
          return;
        }
        const late = await lateStepsOf(db, next.value, now);
        let chunk = "";
        for (const row of next.value) {
          const r = drillRowView(row, late.get(row.id), names, lng);
          chunk += line([
            r.code,
            r.procedureCode,
            r.procedure,
            r.agencyCode,
            r.unit,
            r.channel,
            r.status,
            iso(r.receivedAt),
            iso(r.dueAt),
            iso(r.endedAt),
            r.outcome,
            iso(r.paidAt),
            r.paymentMethod,
            r.late?.step ?? null,
            r.late?.unit ?? null,
            r.late?.usedHours ?? null,
            r.late?.budgetHours ?? null,
          ]);
        }
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="ho-so-${metric}-${sel.period.from}-${sel.period.to}.csv"`,
      "Cache-Control": "private, no-store",
      ...readHeaders(read),
    },
  });
}
