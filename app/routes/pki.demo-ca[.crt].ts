import { isDemoMode, publicUrl } from "../server/env.server.ts";
import { signingIdentity } from "../server/results/pki.server.ts";

/** The demo CA's root certificate (PEM), to trust in a PDF reader or pdfsig. Demo mode only. */
export async function loader() {
  const identity = await signingIdentity({ demoMode: isDemoMode, publicUrl: publicUrl() });
  if (!identity.demo) throw new Response("Not Found", { status: 404 });
  return new Response(identity.trustAnchor.toString("pem"), {
    headers: {
      "Content-Type": "application/x-pem-file",
      "Content-Disposition": 'attachment; filename="demo-root-ca.pem"',
      "Cache-Control": "public, max-age=3600",
    },
  });
}
