import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { DEFAULT_LANGUAGE, isLanguage } from "../i18n.ts";
import { safeRedirectPath } from "../server/auth.server.ts";
import { readForm } from "../server/form.server.ts";
import { languageCookie } from "../server/i18n.server.ts";

/** The language switch: a plain form POST, remembered in a cookie, back to the same page. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const lng = formData.get("lng");
  const to = safeRedirectPath(formData.get("redirectTo"), "/");
  return redirect(to, {
    headers: { "Set-Cookie": await languageCookie.serialize(isLanguage(lng) ? lng : DEFAULT_LANGUAGE) },
  });
}

export async function loader() {
  return redirect("/");
}
