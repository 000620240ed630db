/** The counter/postal intake form (clerk side). Messages are i18n keys. */
import { z } from "zod";
import { NationalIdSchema } from "./auth-validation.ts";
import { IntakeContactSchema } from "./contact.ts";

export const IntakeSchema = z
  .object({
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
  })
  .extend(IntakeContactSchema.shape)
  // Checked even when another field failed, so every problem is reported at once.
  .refine((v) => !(v.deliveryMethod === "post" && !v.postalAddress), {
    path: ["postalAddress"],
    message: "validation:contact.postalRequired",
    when: (payload) => {
      const v = payload.value as { deliveryMethod?: unknown; postalAddress?: unknown };
      return v?.deliveryMethod === "post";
    },
  });
