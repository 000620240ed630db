/**
 * Who may read /metrics: a client on this machine talking to the portal directly (loopback address and no
 * X-Forwarded-For, so a reverse proxy on the same machine does not make every visitor "local"), or anyone
 * presenting `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set. Everyone else gets 404.
 */
import crypto from "node:crypto";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

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
  return caller.forwardedFor === undefined && LOOPBACK.has(caller.remoteAddress ?? "");
}
