import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { requireRole } from "../server/auth.server.ts";

export const handle = { hydrate: false };

/** Layout for citizen pages: a citizen session is required (each child loader checks again). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ["citizen"]);
  return null;
}

export default function CitizenLayout() {
  return <Outlet />;
}
