import { isDemoMode, publicUrl } from "../server/env.server.ts";
import { signingIdentity } from "../server/results/pki.server.ts";

/**
 * The demo CA's certificate revocation list (DER), named in the demo agency certificate's CRL
 * distribution point. Public, like any CA's CRL. In production the agency's CA publishes its own: 404.
 */
export async function loader() {
  const identity = await signingIdentity({ demoMode: isDemoMode, publicUrl: publicUrl() });
  if (!identity.demo) throw new Response("Not Found", { status: 404 });
  const crl = await identity.crl();
  if (!crl) throw new Response("Not Found", { status: 404 });
  return new Response(new Uint8Array(crl.rawData), {
    headers: { "Content-Type": "application/pkix-crl", "Cache-Control": "public, max-age=60" },
  });
}
