/**
 * VNPay 2.1.0 signing for the attack suite, written again here (not imported from the app) so a bug
 * there cannot hide here. The demo secret is the one server.ts gives the simulator in demo mode.
 */
import crypto from "node:crypto";

export const GATEWAY_SECRET = process.env.GATEWAY_SECRET ?? "demo-secret-change-me";
export const TMN_CODE = process.env.GATEWAY_TMN_CODE ?? "DEMO0001";

export function vnpSign(params: Record<string, string>, secret: string): string {
  const enc = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");
  const data = Object.keys(params)
    .filter((k) => k.startsWith("vnp_") && k !== "vnp_SecureHash" && k !== "vnp_SecureHashType")
    .sort()
    .map((k) => `${enc(k)}=${enc(params[k] ?? "")}`)
    .join("&");
  return crypto.createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

/** The query string the gateway puts on the browser's return to the portal for an order. */
export function signedReturnQuery(orderRef: string): string {
  const params: Record<string, string> = { vnp_ResponseCode: "00", vnp_TmnCode: TMN_CODE, vnp_TxnRef: orderRef };
  return new URLSearchParams({ ...params, vnp_SecureHash: vnpSign(params, GATEWAY_SECRET) }).toString();
}
