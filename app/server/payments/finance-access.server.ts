/**
 * Who may use the finance view (ADR 012): an admin, or a clerk given the `finance` duty. Checked on the
 * server in every finance loader and action, before any data is read.
 */
import { sql } from "kysely";
import { type FinanceScope, hasFinanceDuty, inFinanceScope } from "../../domain/access/duties.ts";
import { requireUser, type SessionUser } from "../auth.server.ts";
import { db } from "../db.server.ts";

export type FinanceUser = SessionUser & { scope: FinanceScope };

/** The user's finance scope, or null when they have no finance duty. */
export async function financeScopeOf(
  user: Pick<SessionUser, "role" | "agencyCode" | "duties">,
): Promise<FinanceScope | null> {
  if (user.role === "admin") return { all: true };
  if (user.role !== "clerk" || !user.agencyCode || !hasFinanceDuty(user.role, user.duties)) return null;
  const { rows } = await sql<{ code: string; root: boolean }>`
    with recursive tree(code) as (
      select code from agencies where code = ${user.agencyCode}
      union all
      select a.code from agencies a join tree t on a.parent_code = t.code
    )
    select t.code, (select parent_code is null from agencies where code = ${user.agencyCode}) as root from tree t`.execute(
    db,
  );
  if (rows.length === 0) return null;
  // A finance officer at the province's root keeps the books of the whole merchant account.
  if (rows[0]?.root) return { all: true };
  return { all: false, agencyCodes: rows.map((r) => r.code) };
}

/** Whether the user has the finance duty (the navigation's link): read with the session, no query. */
export function hasFinanceAccess(user: Pick<SessionUser, "role" | "agencyCode" | "duties"> | null): boolean {
  if (user?.role === "admin") return true;
  return user?.role === "clerk" && Boolean(user.agencyCode) && hasFinanceDuty(user.role, user.duties);
}

export async function requireFinance(request: Request): Promise<FinanceUser> {
  const user = await requireUser(request);
  const scope = await financeScopeOf(user);
  if (!scope) throw new Response("Forbidden", { status: 403 });
  return { ...user, scope };
}

/** The scope as the payment-review functions take it (undefined: everything). */
export function reviewScope(scope: FinanceScope): { agencyCodes: string[] } | undefined {
  return scope.all ? undefined : { agencyCodes: [...scope.agencyCodes] };
}

/** Whether a payment exists and belongs to a unit within the finance officer's scope. */
export async function paymentInFinanceScope(scope: FinanceScope, paymentId: string): Promise<boolean> {
  const payment = await db
    .selectFrom("payments as p")
    .innerJoin("dossiers as d", "d.id", "p.dossier_id")
    .select("d.agency_code")
    .where("p.id", "=", paymentId)
    .executeTakeFirst();
  return Boolean(payment && inFinanceScope(scope, payment.agency_code));
}
