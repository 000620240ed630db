/**
 * The request id of the request being served, carried through async calls (AsyncLocalStorage). server.ts
 * sets it for every request; jobs enqueued while serving take it into their payload (jobs/queue.server.ts),
 * so a job's log lines name the request that caused them. One store per process: server.ts and the Remix
 * build are separate bundles, so the store lives on globalThis.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import crypto from "node:crypto";

export type RequestContext = { requestId: string };

const holder = globalThis as unknown as { __portalRequestContext?: AsyncLocalStorage<RequestContext> };
holder.__portalRequestContext ??= new AsyncLocalStorage<RequestContext>();
export const requestContext: AsyncLocalStorage<RequestContext> = holder.__portalRequestContext;

export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** An incoming X-Request-Id is honoured when it is a plain token (a proxy's id); otherwise a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && /^[A-Za-z0-9._:-]{1,128}$/.test(value)) return value;
  return crypto.randomUUID();
}
