import type { LoaderFunctionArgs } from "@remix-run/node";
import { resources } from "#locales/index.ts";
import { isLanguage } from "../i18n.ts";

/** Translations for the browser, one namespace at a time, cached (they change only with a deploy). */
export async function loader({ params }: LoaderFunctionArgs) {
  const { lng, ns } = params;
  if (!isLanguage(lng) || !ns || !Object.hasOwn(resources[lng], ns)) {
    return Response.json({ error: "not found" }, { status: 404 });
  }
  return Response.json(resources[lng][ns as keyof (typeof resources)["vi"]], {
    headers: { "Cache-Control": "public, max-age=300, stale-while-revalidate=86400" },
  });
}
