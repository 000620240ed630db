/**
 * Production start-up check of the database role the app runs as (docs/security.md), run by server.ts
 * before anything is built or migrated: the app role must not be a superuser, able to create roles, the
 * schema's owner or the same role as DATABASE_OWNER_URL. The rules themselves are `appRoleProblems`
 * (db-roles.server.ts), which start-up runs again after the grants.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { appRoleProblems } from "./db-roles.server.ts";

function userOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}

export async function appUrlProblems(appUrl: string, ownerUrl: string | undefined): Promise<string[]> {
  const problems: string[] = [];
  if (!ownerUrl) problems.push("DATABASE_OWNER_URL is not set (migrations run as the owner role, the app as another).");
  else if (userOf(ownerUrl) === userOf(appUrl))
    problems.push("DATABASE_OWNER_URL and DATABASE_URL use the same role; the app needs a role of its own.");
  const appDb = new Kysely<unknown>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: appUrl, max: 1, connectionTimeoutMillis: 10_000 }),
    }),
  });
  try {
    for (const problem of await appRoleProblems(appDb)) problems.push(`DATABASE_URL: ${problem}.`);
  } catch (error) {
    problems.push(`DATABASE_URL: could not connect (${error instanceof Error ? error.message : String(error)}).`);
  } finally {
    await appDb.destroy();
  }
  return problems;
}
