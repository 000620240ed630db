/**
 * `npm run db:provision -- <superuser-url> <database> [--owner portal_owner] [--app portal_app] [--reset-passwords]`
 *
 * One-time set-up of a real PostgreSQL server (README "Database roles"), as a superuser: creates the owner
 * and app LOGIN roles when missing (cluster-wide; existing roles are left as they are unless
 * --reset-passwords), the database owned by the owner role, the extensions the migrations need, and
 * prints the two URLs to configure. Passwords come from PORTAL_OWNER_PASSWORD / PORTAL_APP_PASSWORD, or are
 * generated and printed once.
 */
import { parseArgs } from "node:util";
import { generatePassword, provisionDatabase, withConnection } from "../app/server/db-roles.server.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    owner: { type: "string", default: "portal_owner" },
    app: { type: "string", default: "portal_app" },
    "reset-passwords": { type: "boolean", default: false },
  },
});

const [superuserUrl, database] = positionals;
if (!superuserUrl || !database || positionals.length > 2) {
  console.error(
    "Usage: npm run db:provision -- <superuser-url> <database> [--owner portal_owner] [--app portal_app] [--reset-passwords]\n" +
      "  e.g. npm run db:provision -- postgresql://postgres@127.0.0.1:5432/postgres portal",
  );
  process.exit(2);
}

const ownerPassword = process.env.PORTAL_OWNER_PASSWORD || generatePassword();
const appPassword = process.env.PORTAL_APP_PASSWORD || generatePassword();
try {
  const result = await provisionDatabase(superuserUrl, database, {
    owner: { name: values.owner ?? "portal_owner", password: ownerPassword },
    app: { name: values.app ?? "portal_app", password: appPassword },
    resetPasswords: values["reset-passwords"],
  });
  const reset = values["reset-passwords"];
  const kept = (role: string | undefined) => !reset && !result.createdRoles.includes(role ?? "");
  /** A role that already existed keeps its password, which this command does not know. */
  const shown = (url: string, role: string | undefined) =>
    kept(role) ? withConnection(url, { password: "PASSWORD" }) : url;
  console.log(
    `Database ${database}: ${result.createdDatabase ? "created" : "exists"}, owned by ${values.owner}` +
      `${result.transferred ? `; ${result.transferred} objects handed over to ${values.owner}` : ""}.`,
  );
  if (result.createdRoles.length) console.log(`Roles created: ${result.createdRoles.join(", ")}.`);
  const existing = [values.owner, values.app].filter(kept);
  if (existing.length) {
    console.log(
      `Roles that already existed keep their passwords: ${existing.join(", ")} (shown as PASSWORD below; ` +
        "run again with --reset-passwords to set new ones).",
    );
  }
  console.log("\nConfigure the portal with (keep these secret):\n");
  console.log(`DATABASE_URL=${shown(result.appUrl, values.app)}`);
  console.log(`DATABASE_OWNER_URL=${shown(result.ownerUrl, values.owner)}`);
  console.log(
    "\nStart-up migrates as the owner and grants the app role its privileges; `npm run audit:verify` checks history.",
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
