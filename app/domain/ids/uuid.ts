/**
 * The one UUID check of the app: 8-4-4-4-12 hexadecimal digits, any version. Ids from URLs and forms
 * are checked with it before they reach SQL, so a malformed one is a 404/400, never a database error.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
