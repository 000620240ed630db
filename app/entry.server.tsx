import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
// The web-streams renderer, not renderToPipeableStream: React 18.3's Node renderer writes NUL bytes into the
// page when a multi-byte character (most Vietnamese letters) straddles its 2 KB buffer (docs/performance.md).
import { renderToReadableStream } from "react-dom/server.browser";
import { I18nextProvider } from "react-i18next";
import { NonceContext } from "./components/nonce.tsx";
import { db } from "./server/db.server.ts";
import { getLanguage, i18nFor } from "./server/i18n.server.ts";
import { postgresRateLimitStore } from "./server/rate-limit.server.ts";
import { pageHydrates } from "./utils/hydration.ts";

export { stopDatabase } from "./server/db.server.ts";
export { auditRefusal } from "./server/refusal-audit.server.ts";
export { startup, stopWorker } from "./server/startup.server.ts";

/** Rate-limit counters in the app's database, shared by every instance (used by server.ts). */
export function rateLimitStore(prefix: string) {
  return postgresRateLimitStore(db, prefix);
}

const ABORT_DELAY = 5_000;

/**
 * Renders the whole document, then sends it as one body. The portal has no deferred data, so the shell is
 * the whole page anyway; one body means one compression pass instead of a stream of small chunks through web
 * streams, Node streams and zlib. Pages without client JavaScript (all but those with `handle.hydrate = true`) are plain HTML:
 * `renderToString`, the cheapest renderer. Hydrated pages need the streaming renderer, which carries Remix's
 * data to the browser (docs/performance.md).
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The per-request nonce of the Content-Security-Policy (server.ts): Remix's inline scripts carry it.
  const nonce = loadContext.cspNonce;
  // One shared, initialised i18next instance per language (app/server/i18n.server.ts).
  const instance = i18nFor(await getLanguage(request));
  const app = (
    <NonceContext.Provider value={nonce}>
      <I18nextProvider i18n={instance}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </I18nextProvider>
    </NonceContext.Provider>
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  const hydrate = pageHydrates(
    remixContext.staticHandlerContext.matches.map((m) => remixContext.routeModules[m.route.id]?.handle),
  );
  if (!hydrate) {
    // Throws when the page cannot be rendered (Remix then answers with its error document).
    return new Response(`<!DOCTYPE html>${renderToString(app)}`, {
      headers: responseHeaders,
      status: responseStatusCode,
    });
  }

  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ABORT_DELAY);
  let status = responseStatusCode;
  let shellRendered = false;
  try {
    // Rejects when the shell cannot be rendered (Remix then answers with its error document).
    const stream = await renderToReadableStream(app, {
      nonce,
      signal: controller.signal,
      onError(error: unknown) {
        status = 500;
        if (shellRendered) console.error(error);
      },
    });
    shellRendered = true;
    await stream.allReady;
    const body = new Uint8Array(await new Response(stream).arrayBuffer());
    responseHeaders.set("Content-Length", String(body.byteLength));
    return new Response(body, { headers: responseHeaders, status });
  } finally {
    clearTimeout(timer);
  }
}

/** Errors are logged on the server only; users get a translated page without details. */
export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
