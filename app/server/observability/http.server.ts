/**
 * Per-request observability for server.ts: the request id (X-Request-Id honoured or generated, returned
 * on the response, held in AsyncLocalStorage for the request's work and the jobs it enqueues), one JSON log
 * line per request (id, method, route, status, duration) and the latency histogram.
 *
 * The route is the PATTERN, never the URL: the id of the deepest Remix route the path matches
 * (`routes/dossiers.$code`), `static` for built assets and public files, `unmatched` otherwise.
 */
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { matchRoutes, type RouteObject } from "react-router";
import { metrics } from "./metrics.server.ts";
import { requestContext, requestIdFrom } from "./request-context.server.ts";

type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };

/** A function from a path to its route pattern, built from the Remix build's route manifest. */
export function routeMatcher(routes: Record<string, ManifestRoute | undefined>): (pathname: string) => string {
  const byParent = new Map<string | undefined, ManifestRoute[]>();
  for (const route of Object.values(routes)) {
    if (!route) continue;
    const list = byParent.get(route.parentId) ?? [];
    list.push(route);
    byParent.set(route.parentId, list);
  }
  const tree = (parentId: string | undefined): RouteObject[] =>
    (byParent.get(parentId) ?? []).map((r) =>
      r.index
        ? { id: r.id, path: r.path, index: true, caseSensitive: r.caseSensitive }
        : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) },
    );
  const root = tree(undefined);
  return (pathname) => {
    const matches = matchRoutes(root, pathname);
    return matches?.[matches.length - 1]?.route.id ?? "unmatched";
  };
}

export function requestObservability(opts: {
  logger: Logger;
  routeOf: (pathname: string) => string;
  isStatic?: (pathname: string) => boolean;
}) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = opts.isStatic?.(req.path) ? "static" : opts.routeOf(req.path);
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      opts.logger[status >= 500 ? "error" : "info"](
        { requestId, method: req.method, route, status, durationMs: Math.round(seconds * 10_000) / 10 },
        "request",
      );
    });
    requestContext.run({ requestId }, () => next());
  };
}
