import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { endUserSession } from "../server/auth.server.ts";
import { readForm } from "../server/form.server.ts";

/** Sign-out is a POST only (a GET never changes state); the session row is deleted for good. */
export async function action({ request }: ActionFunctionArgs) {
  await readForm(request);
  const cookie = await endUserSession(request);
  return redirect("/?signedOut=1", { headers: { "Set-Cookie": cookie } });
}

export async function loader() {
  return redirect("/");
}
