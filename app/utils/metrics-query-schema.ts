/** Period and scope of a statistics request (dashboard and open-data API). */
import { z } from "zod";
import { isRealDate, isReportingDate } from "../domain/calendar/iso-date.ts";

const DateString = z
  .string({ error: "from and to are required dates, YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "dates must be YYYY-MM-DD")
  .refine(isRealDate, "a date does not exist in the calendar")
  .refine(isReportingDate, "dates must be between 2000-01-01 and 2100-12-31");

export const MAX_RANGE_DAYS = 366 * 5;

export const MetricsQuerySchema = z
  .object({
    from: DateString,
    to: DateString,
    agency: z.string().max(32).optional(),
    level: z
      .enum(["province", "district", "commune"], { error: "level must be province, district or commune" })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.from > v.to) ctx.addIssue({ code: "custom", message: "from must not be after to" });
    const days = (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000;
    if (days > MAX_RANGE_DAYS) ctx.addIssue({ code: "custom", message: "the range may cover at most 5 years" });
  });
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;
