/**
 * JSON logs (pino): one object per line on standard output, for the process's log collector. LOG_LEVEL
 * (fatal, error, warn, info, debug, trace, silent; default info) sets what is written. No personal data is
 * logged: request lines carry the route pattern, never the URL's query or body (docs/operations-runbook.md).
 */
import { type DestinationStream, type Logger, pino } from "pino";

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export function logLevel(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL ?? "info").toLowerCase();
  return LEVELS.has(level) ? level : "info";
}

export function createLogger(destination?: DestinationStream, level = logLevel()): Logger {
  const options = {
    level,
    base: { service: "portal" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

const holder = globalThis as unknown as { __portalLogger?: Logger };
/** The process's logger (shared by server.ts and the Remix build). */
holder.__portalLogger ??= createLogger();
export const logger: Logger = holder.__portalLogger;
