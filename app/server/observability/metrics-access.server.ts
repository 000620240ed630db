/**
 * Who may read /metrics: a client on this machine talking to the portal directly (loopback address and no
 * X-Forwarded-For, so a reverse proxy on the same machine does not make every visitor "local"), or anyone
 * presenting `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set. Everyone else gets 404.
 */
import crypto from "node:crypto";

/** 127.0.0.0/8 (also IPv4-mapped) and ::1: addresses only this machine can send from. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  if (address === "::1") return true;
  return /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

export type MetricsCaller = {
  remoteAddress?: string;
  forwardedFor?: string | string[];
  authorization?: string | null;
};

export function mayReadMetrics(caller: MetricsCaller, token = process.env.METRICS_TOKEN): boolean {
  if (token) {
    const given = /^Bearer\s+(.+)$/i.exec(caller.authorization ?? "")?.[1]?.trim() ?? "";
    const a = crypto.createHash("sha256").update(given).digest();
    const b = crypto.createHash("sha256").update(token).digest();
    if (given !== "" && crypto.timingSafeEqual(a, b)) return true;
  }
  return caller.forwardedFor === undefined && isLoopback(caller.remoteAddress);
}
