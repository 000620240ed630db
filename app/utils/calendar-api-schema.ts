/** Query parameters of GET /api/v1/calendar/due (public, for partner systems). */
import { z } from "zod";
import { isRealDate } from "../domain/calendar/iso-date.ts";

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Date.parse rolls 2025-02-30 over to March; the day must exist and the time be a real time of day. */
function isRealDateTime(v: string): boolean {
  const [hh, mm] = v.slice(11, 16).split(":").map(Number) as [number, number];
  return isRealDate(v.slice(0, 10)) && hh < 24 && mm < 60 && !Number.isNaN(Date.parse(v));
}

export const DueQuerySchema = z.object({
  received: z
    .string({ error: "received is required (ISO 8601 with offset, e.g. 2025-03-10T10:00:00+07:00)" })
    .regex(ISO_WITH_OFFSET, "received must be ISO 8601 with an offset, e.g. 2025-03-10T10:00:00+07:00")
    .refine(isRealDateTime, "received is not a real date and time")
    .transform((v) => new Date(v)),
  amount: z
    .string({ error: "amount is required (a whole number from 0 to 10000)" })
    .regex(/^\d{1,5}$/, "amount must be a whole number from 0 to 10000")
    .transform(Number)
    .refine((n) => n <= 10_000, "amount must be a whole number from 0 to 10000"),
  unit: z.enum(["working_days", "working_hours", "calendar_days"], {
    error: "unit must be one of working_days, working_hours, calendar_days",
  }),
});
