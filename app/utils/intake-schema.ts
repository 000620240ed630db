/** The counter/postal intake form (clerk side). Messages are i18n keys. */
import { z } from "zod";
import { NationalIdSchema } from "./auth-validation.ts";

export const IntakeSchema = z.object({
  procedureCode: z
    .string({ error: "validation:intake.procedure" })
    .trim()
    .min(1, "validation:intake.procedure")
    .max(32),
  channel: z.enum(["counter", "postal"], { error: "validation:intake.channel" }),
  nationalId: NationalIdSchema,
  fullName: z
    .string({ error: "validation:fullName.required" })
    .trim()
    .min(1, "validation:fullName.required")
    .max(120, "validation:fullName.tooLong"),
  phone: z
    .string()
    .trim()
    .max(20, "validation:intake.phone")
    .regex(/^[0-9 +().-]*$/, "validation:intake.phone")
    .optional()
    .transform((v) => v || undefined),
});
