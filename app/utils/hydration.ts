/**
 * Whether a page loads the client framework: only when one of its routes asks for it with
 * `handle.hydrate = true`. Every page today is plain server-rendered HTML with forms, for citizens and staff
 * alike (docs/decisions/003-citizen-pages-without-client-js.md): none needs client-side state, and leaving
 * the scripts out saves each page ~100 KB of JavaScript and the server the serialisation of every loader's
 * data for the browser (docs/performance.md). Read by the root layout (scripts or not) and by entry.server
 * (which renderer).
 */
export function pageHydrates(handles: readonly unknown[]): boolean {
  return handles.some((h) => (h as { hydrate?: boolean } | undefined)?.hydrate === true);
}
