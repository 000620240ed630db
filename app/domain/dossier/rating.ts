/**
 * Satisfaction ratings (docs/domain.md#metrics): 1 not satisfied, 2 satisfied, 3 very satisfied. A citizen rates
 * their own dossier once, after it has been resolved or its result returned.
 */
import type { DossierStatus } from "./dossier.ts";

export const RATINGS = [1, 2, 3] as const;
export type Rating = (typeof RATINGS)[number];

export type RatingProblem = "notFinished" | "alreadyRated" | "invalid";

export function parseRating(value: unknown): Rating | null {
  const n = typeof value === "string" && /^[123]$/.test(value) ? Number(value) : Number.NaN;
  return (RATINGS as readonly number[]).includes(n) ? (n as Rating) : null;
}

/** Why this dossier cannot be rated now, or null when it can. */
export function ratingProblem(status: DossierStatus, existing: number | null): RatingProblem | null {
  if (existing != null) return "alreadyRated";
  if (status !== "resolved" && status !== "returned") return "notFinished";
  return null;
}
