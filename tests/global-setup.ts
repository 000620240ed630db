/**
 * Starts the embedded PostgreSQL used by db tests once for the whole run (test files then create
 * their own databases in it), and stops it at the end.
 */
import { ensureTestEmbedded } from "./test-database.ts";

export default async function setup() {
  const server = await ensureTestEmbedded();
  return async () => {
    await server.stop();
  };
}
