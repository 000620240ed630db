/**
 * Where to send someone after signing in or switching language: only a path on this site. Anything
 * that a browser could resolve to another origin (`//evil`, `/\evil`, `/\t/evil`, a scheme), or that
 * cannot go into a Location header (control characters, spaces of any kind), gives the fallback. The
 * result is the path as the URL parser normalises it (non-ASCII percent-encoded), so it is always a
 * valid header value.
 */
const BASE = "http://portal.invalid";
// Control characters (C0, DEL, C1), any Unicode space or line/paragraph separator, and backslashes.
const FORBIDDEN = /[\p{Cc}\p{Zs}\p{Zl}\p{Zp}\\\u200b-\u200f\u2060\ufeff]/u;

export function safeRedirectPath(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || FORBIDDEN.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith("//") ? fallback : path;
}
