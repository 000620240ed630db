/**
 * Sign-in and registration schemas, shared by the form and the server. Messages are i18n keys in
 * the `validation` namespace, never English text.
 */
import { z } from "zod";
import { checkNationalId, normaliseNationalId } from "../domain/identity/national-id.ts";

import { PASSWORD_MAX, PASSWORD_MIN } from "./password-policy.ts";

export const NationalIdSchema = z
  .string({ error: "validation:nationalId.required" })
  .trim()
  .min(1, "validation:nationalId.required")
  .max(40, "validation:nationalId.format")
  .transform(normaliseNationalId)
  .superRefine((v, ctx) => {
    const problem = checkNationalId(v);
    if (problem === "format") ctx.addIssue({ code: "custom", message: "validation:nationalId.format" });
    if (problem === "province") ctx.addIssue({ code: "custom", message: "validation:nationalId.province" });
  });

export const PasswordSchema = z
  .string({ error: "validation:password.required" })
  .min(1, "validation:password.required")
  .min(PASSWORD_MIN, "validation:password.tooShort")
  .max(PASSWORD_MAX, "validation:password.tooLong")
  .refine((v) => /\p{L}/u.test(v) && /\d/.test(v), "validation:password.weak");

export const RegisterSchema = z
  .object({
    nationalId: NationalIdSchema,
    fullName: z
      .string({ error: "validation:fullName.required" })
      .trim()
      .min(1, "validation:fullName.required")
      .max(120, "validation:fullName.tooLong")
      .refine((v) => !/[<>{}\\]/.test(v) && !/\p{Cc}/u.test(v), "validation:fullName.invalid"),
    email: z
      .string()
      .trim()
      .max(254, "validation:email.invalid")
      .optional()
      .transform((v) => (v ? v : undefined))
      .pipe(z.email("validation:email.invalid").optional()),
    password: PasswordSchema,
    confirmPassword: z
      .string({ error: "validation:confirmPassword.required" })
      .min(1, "validation:confirmPassword.required"),
  })
  .superRefine((v, ctx) => {
    if (v.password && v.confirmPassword && v.password !== v.confirmPassword) {
      ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "validation:confirmPassword.mismatch" });
    }
    if (v.password && v.nationalId && v.password.includes(v.nationalId)) {
      ctx.addIssue({ code: "custom", path: ["password"], message: "validation:password.containsId" });
    }
  });
export type Register = z.infer<typeof RegisterSchema>;

export const LoginSchema = z.object({
  identifier: z
    .string({ error: "validation:identifier.required" })
    .trim()
    .min(1, "validation:identifier.required")
    .max(64, "validation:identifier.required"),
  password: z
    .string({ error: "validation:password.required" })
    .min(1, "validation:password.required")
    .max(PASSWORD_MAX, "validation:password.tooLong"),
  redirectTo: z.string().optional(),
});
export type Login = z.infer<typeof LoginSchema>;
