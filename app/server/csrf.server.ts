/**
 * CSRF protection by a signed, session-bound double submit:
 * - every visitor gets a random token in an httpOnly cookie, signed with CSRF_SECRET (a forged or
 *   re-signed cookie is ignored);
 * - forms carry HMAC(CSRF_SECRET, cookie token + the session cookie), so a token is good only with the
 *   cookie it came from AND the session it was shown in: a token picked up while signed out, or in
 *   someone else's session, is refused;
 * - actions compare the two in constant time. SameSite=Lax alone is not relied on, and cross-origin
 *   POSTs are refused before Remix by the Origin check in server.ts.
 */
import crypto from "node:crypto";
import { cookieSecure, csrfSecret } from "./env.server.ts";

export const CSRF_COOKIE = "portal_csrf";
export const CSRF_FIELD = "csrf";
const SESSION_COOKIE = "portal_session";

function mac(purpose: string, ...parts: string[]): string {
  return crypto
    .createHmac("sha256", csrfSecret())
    .update([purpose, ...parts].join("\n"))
    .digest("base64url");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function newCsrfCookieValue(): string {
  const token = crypto.randomBytes(24).toString("base64url");
  return `${token}.${mac("cookie", token)}`;
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

/** The cookie's token if the cookie is present and signed by us. */
function cookieToken(request: Request): string | undefined {
  const value = readCookie(request.headers.get("Cookie"), CSRF_COOKIE);
  if (!value) return undefined;
  const [token, signature, extra] = value.split(".");
  if (!token || !signature || extra !== undefined) return undefined;
  return sameText(signature, mac("cookie", token)) ? token : undefined;
}

/** The token to put into forms for this request's cookie and session, or undefined without a valid cookie. */
export function csrfTokenFromRequest(request: Request): string | undefined {
  const token = cookieToken(request);
  if (!token) return undefined;
  return mac("form", token, readCookie(request.headers.get("Cookie"), SESSION_COOKIE) ?? "");
}

export function isValidCsrf(request: Request, formToken: FormDataEntryValue | null): boolean {
  const expected = csrfTokenFromRequest(request);
  if (!expected || typeof formToken !== "string") return false;
  return sameText(expected, formToken);
}
