import type { LoaderFunctionArgs } from "@remix-run/node";
import { formatVnIso } from "../domain/calendar/working-calendar.ts";
import { getCalendar } from "../server/calendar/calendar-service.server.ts";
import { db } from "../server/db.server.ts";
import { DueQuerySchema } from "../utils/calendar-api-schema.ts";

/**
 * The same due-date calculation the clerks use, for partner systems (postal service, other portals).
 * GET /api/v1/calendar/due?received=2025-03-10T10:00:00+07:00&amount=3&unit=working_days
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = DueQuerySchema.safeParse(params);
  if (!parsed.success) {
    return Response.json(
      { error: "bad_request", messages: parsed.error.issues.map((i) => i.message) },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  }
  const calendar = await getCalendar(db);
  try {
    const { receivedEffective, due } = calendar.dueDate(parsed.data.received, parsed.data.amount, parsed.data.unit);
    return Response.json(
      { receivedEffective: formatVnIso(receivedEffective), due: formatVnIso(due) },
      { headers: { "Cache-Control": "public, max-age=300" } },
    );
  } catch (error) {
    if (error instanceof RangeError) {
      return Response.json({ error: "bad_request", messages: [error.message] }, { status: 400 });
    }
    throw error;
  }
}
