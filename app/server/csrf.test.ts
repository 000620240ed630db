import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { csrfTokenFromRequest, isValidCsrf, newCsrfCookieValue } from "./csrf.server.ts";

function request(cookies: Record<string, string>): Request {
  const cookie = Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join("; ");
  return new Request("http://portal.test/x", { headers: { Cookie: cookie } });
}

describe("CSRF tokens", () => {
  it("accepts the token shown with the same cookie and session", () => {
    const cookie = newCsrfCookieValue();
    const page = request({ portal_csrf: cookie, portal_session: "s1.sig" });
    const token = csrfTokenFromRequest(page);
    expect(token).toBeTruthy();
    expect(isValidCsrf(request({ portal_csrf: cookie, portal_session: "s1.sig" }), token ?? null)).toBe(true);
  });

  it("refuses a token from another visitor's cookie", () => {
    const mine = newCsrfCookieValue();
    const theirs = newCsrfCookieValue();
    const token = csrfTokenFromRequest(request({ portal_csrf: theirs }));
    expect(isValidCsrf(request({ portal_csrf: mine }), token ?? null)).toBe(false);
  });

  it("binds the token to the session: a signed-out token is refused once signed in, and across sessions", () => {
    const cookie = newCsrfCookieValue();
    const anonymous = csrfTokenFromRequest(request({ portal_csrf: cookie }));
    expect(isValidCsrf(request({ portal_csrf: cookie, portal_session: "victim.sig" }), anonymous ?? null)).toBe(false);
    const other = csrfTokenFromRequest(request({ portal_csrf: cookie, portal_session: "attacker.sig" }));
    expect(isValidCsrf(request({ portal_csrf: cookie, portal_session: "victim.sig" }), other ?? null)).toBe(false);
  });

  it("ignores a cookie signed with any other secret (a forged cookie and token pair)", () => {
    const token = crypto.randomBytes(24).toString("base64url");
    for (const secret of ["demo-only-session-secret-change-me", "guess"]) {
      const sig = crypto.createHmac("sha256", secret).update(token).digest("base64url");
      const forged = request({ portal_csrf: `${token}.${sig}` });
      expect(csrfTokenFromRequest(forged)).toBeUndefined();
      expect(isValidCsrf(forged, token)).toBe(false);
    }
  });

  it("refuses a missing, empty or odd token without throwing", () => {
    const cookie = newCsrfCookieValue();
    for (const given of [null, "", "é".repeat(43), "x".repeat(10_000)])
      expect(isValidCsrf(request({ portal_csrf: cookie }), given)).toBe(false);
    expect(isValidCsrf(request({}), "anything")).toBe(false);
    expect(isValidCsrf(request({ portal_csrf: `${cookie}.extra` }), "anything")).toBe(false);
  });
});
