/**
 * Duties: tasks given to a person on top of their role (`users.duties`). One so far: `finance`, the
 * finance view of payments and the daily settlement (ADR 012). An admin has every duty; a clerk has the
 * ones given to them; citizens and managers have none (a manager reads statistics, not the books).
 *
 * A finance clerk sees their own unit and the units under it; one at the province's root sees the whole
 * merchant account, including gateway money that belongs to no known order.
 */
import type { Role } from "./permissions.ts";

export const DUTIES = ["finance"] as const;
export type Duty = (typeof DUTIES)[number];

export type FinanceScope = { all: true } | { all: false; agencyCodes: readonly string[] };

export function hasFinanceDuty(role: Role, duties: readonly string[]): boolean {
  return role === "admin" || (role === "clerk" && duties.includes("finance"));
}

/** Whether a record of `agencyCode` (null: no known unit) is visible in the scope. */
export function inFinanceScope(scope: FinanceScope, agencyCode: string | null): boolean {
  return scope.all || (agencyCode !== null && scope.agencyCodes.includes(agencyCode));
}
