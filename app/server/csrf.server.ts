/**
 * CSRF protection by signed double-submit: a random token lives in an httpOnly cookie signed with
 * the session secret, every state-changing form carries the same token in a hidden field, and
 * actions compare the two. SameSite=Lax alone is not accepted by the security review (STYLE.md).
 */
import crypto from "node:crypto";
import { cookieSecure, sessionSecret } from "./env.server.ts";

export const CSRF_COOKIE = "portal_csrf";
export const CSRF_FIELD = "csrf";

function sign(token: string): string {
  return crypto.createHmac("sha256", sessionSecret()).update(token).digest("base64url");
}

export function newCsrfCookieValue(): string {
  const token = crypto.randomBytes(24).toString("base64url");
  return `${token}.${sign(token)}`;
}

export function csrfSetCookieHeader(value: string): string {
  return `${CSRF_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${cookieSecure() ? "; Secure" : ""}`;
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const [k, ...rest] = part.trim().split("=");
    if (k === name) return rest.join("=");
  }
  return undefined;
}

/** The token to put into forms, or undefined if the cookie is missing or forged. */
export function csrfTokenFromRequest(request: Request): string | undefined {
  const value = readCookie(request.headers.get("Cookie"), CSRF_COOKIE);
  if (!value) return undefined;
  const [token, signature] = value.split(".");
  if (!token || !signature) return undefined;
  const expected = Buffer.from(sign(token));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) return undefined;
  return token;
}

export function isValidCsrf(request: Request, formToken: FormDataEntryValue | null): boolean {
  const token = csrfTokenFromRequest(request);
  if (!token || typeof formToken !== "string") return false;
  const a = Buffer.from(token);
  const b = Buffer.from(formToken);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}
