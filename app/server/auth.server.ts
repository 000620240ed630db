/**
 * Who is asking, and may they? Every loader and action that is not public calls one of the
 * `require*` guards, which redirect to sign-in or answer 403 before any data is read.
 */
import { redirect } from "@remix-run/node";
import { isRole, type Permission, type Role, roleHasPermission } from "../domain/access/permissions.ts";
import { recordAudit } from "./audit.server.ts";
import { db } from "./db.server.ts";
import { getSession, sessionStorage } from "./session.server.ts";

export type SessionUser = {
  id: string;
  role: Role;
  fullName: string;
  nationalId: string | null;
  username: string | null;
  email: string | null;
  agencyCode: string | null;
  /** Extra duties of a staff account (e.g. `finance`), read with the session. */
  duties: string[];
};

/** The signed-in user: one query, shared for a moment by the page's loaders (session.server.ts). */
export async function getUser(request: Request): Promise<SessionUser | null> {
  const row = await sessionStorage.userOf(request.headers.get("Cookie"));
  if (!row || !isRole(row.role)) return null;
  return {
    id: row.id,
    role: row.role,
    fullName: row.full_name,
    nationalId: row.national_id,
    username: row.username,
    email: row.email,
    agencyCode: row.agency_code,
    duties: row.duties,
  };
}

export { safeRedirectPath } from "../domain/access/safe-redirect.ts";

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    throw redirect(`/auth/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) throw new Response("Forbidden", { status: 403 });
  return user;
}

export async function requirePermission(request: Request, permission: Permission): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roleHasPermission(user.role, permission)) throw new Response("Forbidden", { status: 403 });
  return user;
}

/** A clerk (or other staff with the agency's processing permission) who belongs to an agency; else 403. */
export async function requireAgencyClerk(request: Request): Promise<SessionUser & { agencyCode: string }> {
  const user = await requirePermission(request, "process:dossier:agency");
  if (!user.agencyCode) throw new Response("Forbidden", { status: 403 });
  return { ...user, agencyCode: user.agencyCode };
}

export async function requireAnonymous(request: Request): Promise<void> {
  const user = await getUser(request);
  if (user) throw redirect("/");
}

/**
 * Starts a fresh session for the user (a new id: the old one, if any, is destroyed so a fixated
 * id cannot be reused) and returns the Set-Cookie header.
 */
export async function startUserSession(request: Request, userId: string): Promise<string> {
  const old = await getSession(request);
  if (old.id) await sessionStorage.destroySession(old);
  const session = await sessionStorage.getSession();
  session.set("userId", userId);
  await recordAudit(db, { actorId: userId, action: "sign_in", entity: "user", entityId: userId });
  return sessionStorage.commitSession(session);
}

export async function endUserSession(request: Request): Promise<string> {
  const session = await getSession(request);
  const userId = session.get("userId");
  if (userId) await recordAudit(db, { actorId: userId, action: "sign_out", entity: "user", entityId: userId });
  return sessionStorage.destroySession(session);
}
