import { useRouteLoaderData } from "@remix-run/react";
import type { RootLoaderData } from "../utils/root-data.ts";

/** Hidden CSRF token; every state-changing form renders one. */
export function CsrfInput() {
  const data = useRouteLoaderData<RootLoaderData>("root");
  return <input type="hidden" name="csrf" value={data?.csrf ?? ""} />;
}
