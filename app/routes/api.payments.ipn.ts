import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "../server/db.server.ts";
import { handleIpn } from "../server/payments/payment-service.server.ts";

/** The gateway's server-to-server IPN (GET, VNPay style). The only message that can mark a fee paid. */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const reply = await handleIpn(db, params, new Date());
  return Response.json(reply, { headers: { "Cache-Control": "no-store" } });
}
