/**
 * Reading and validating posted forms. Every action goes through `readForm`, which enforces the
 * CSRF token; `validateForm` turns zod issues into per-field i18n keys and keeps what the user
 * typed (minus secrets) so the page can be shown again.
 */
import { type AppLoadContext, data } from "@remix-run/node";
import type { z } from "zod";
import { CSRF_FIELD, isValidCsrf } from "./csrf.server.ts";

export type FieldErrors = Record<string, string>;

export type FormFailure = { ok: false; errors: FieldErrors; values: Record<string, string>; formError?: string };

const SECRET_FIELDS = new Set(["password", "confirmPassword", CSRF_FIELD]);

export async function readForm(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw data({ ok: false, errors: {}, values: {}, formError: "validation:form.unreadable" } satisfies FormFailure, {
      status: 400,
    });
  }
  // PostgreSQL text cannot hold NUL characters; no real answer contains one, so they are dropped here once.
  const cleaned = new FormData();
  for (const [key, value] of formData.entries())
    cleaned.append(key, typeof value === "string" ? value.replaceAll(String.fromCharCode(0), "") : value);
  formData = cleaned;
  if (!isValidCsrf(request, formData.get(CSRF_FIELD))) {
    throw data({ ok: false, errors: {}, values: {}, formError: "validation:form.csrf" } satisfies FormFailure, {
      status: 403,
    });
  }
  return formData;
}

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !SECRET_FIELDS.has(key)) values[key] = value.slice(0, 2000);
  }
  return values;
}

export function validateForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
): { ok: true; value: z.infer<S> } | FormFailure {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    // zod's own messages (e.g. for a wrong type) are not keys: fall back to a generic one.
    errors[field] ??= issue.message.includes(":") ? issue.message : "validation:field.invalid";
  }
  return { ok: false, errors, values: formValues(formData) };
}

/** A failure for the whole form (shown in the error summary only). */
export function formFailure(formData: FormData, formError: string): FormFailure {
  return { ok: false, errors: {}, values: formValues(formData), formError };
}

/** A failure found after validation, for one field (e.g. "already registered"). */
export function fieldFailure(formData: FormData, field: string, key: string): FormFailure {
  return { ok: false, errors: { [field]: key }, values: formValues(formData) };
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Set when this request's action answered with form errors; the root uses it for the "Lỗi:" title. */
    formFailed?: boolean;
    /** This request's Content-Security-Policy nonce (set by server.ts). */
    cspNonce?: string;
    /** This request's id (X-Request-Id, set by server.ts; also in its log line). */
    requestId?: string;
    /** The TCP peer's address and any X-Forwarded-For header (server.ts): /metrics admits loopback callers. */
    remoteAddress?: string;
    forwardedFor?: string | string[];
  }
}

/** Answers a form post with its problems (400 by default) and marks the request so the page title says so. */
export function failure(context: AppLoadContext, body: FormFailure, status = 400) {
  context.formFailed = true;
  return data(body, { status });
}
