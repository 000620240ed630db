/** A citizen or officer driving the portal over HTTP, as a browser without JavaScript would (tests/ops). */

export const DEMO_PASSWORD = "DemoPortal2026";
/** Birth registration: online, free, two required documents. */
export const BIRTH_PROCEDURE = "1.001193";

export type Visitor = { cookie: string; csrf: string };

export function mergeCookies(cookie: string, res: Response): string {
  const jar = new Map(
    cookie
      .split(/;\s*/)
      .filter(Boolean)
      .map((c) => [c.split("=")[0] ?? "", c] as const),
  );
  for (const set of res.headers.getSetCookie()) {
    const pair = set.split(";")[0] ?? "";
    jar.set(pair.split("=")[0] ?? "", pair);
  }
  return [...jar.values()].join("; ");
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error("no CSRF token in the page");
  return m[1];
}

/**
 * Signs in: the login form is fetched from `formBase` and posted to `postBase` (two different instances in
 * the cluster test), then the session's form token is read from `afterBase`.
 */
export async function signIn(
  identifier: string,
  formBase: string,
  postBase = formBase,
  afterBase = postBase,
): Promise<Visitor> {
  const login = await fetch(`${formBase}/auth/login`);
  let cookie = mergeCookies("", login);
  const body = new URLSearchParams({
    csrf: csrfOf(await login.text()),
    identifier,
    password: DEMO_PASSWORD,
    redirectTo: "",
  });
  const res = await fetch(`${postBase}/auth/login`, {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body,
    redirect: "manual",
  });
  if (res.status !== 302) throw new Error(`signing in as ${identifier} failed: ${res.status}`);
  cookie = mergeCookies(cookie, res);
  const page = await fetch(`${afterBase}/`, { headers: { cookie } });
  return { cookie, csrf: csrfOf(await page.text()) };
}

/** A small PDF, different for each filing (files are stored by content: the same bytes are stored once). */
const pdf = (tag: string) =>
  new Blob([`%PDF-1.4\n% ops attachment ${tag} ${Math.random()}\n${"0".repeat(4_000)}\n%%EOF\n`], {
    type: "application/pdf",
  });

function form(fields: Record<string, string>, files: Array<[string, string]> = []): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  for (const [name, filename] of files) f.set(name, pdf(filename), filename);
  return f;
}

export type Filing =
  | { outcome: "acknowledged"; id: string; code: string }
  | { outcome: "failed"; status: number; step: string; id?: string };

/**
 * Files a birth registration: draft, documents, submit. "acknowledged" means the portal answered the submit
 * with its "submitted" redirect — the promise the citizen was given, which must then hold.
 */
export async function fileBirthRegistration(base: string, v: Visitor, childName: string): Promise<Filing> {
  const answers = {
    csrf: v.csrf,
    childFullName: childName,
    childBirthDate: "2025-01-15",
    childSex: "female",
    placeOfBirth: "Bệnh viện Bãi Cháy, Hạ Long",
    // How the agency reaches the citizen and how the result is received (asked since issue 15).
    "contact-phone": "0912345678",
    "contact-address": "Số 12 phố Lê Thánh Tông, phường Hồng Gai, Hạ Long",
    "contact-delivery": "online",
  };
  const headers = { cookie: v.cookie };
  let res = await fetch(`${base}/dossiers/new/${BIRTH_PROCEDURE}`, {
    method: "POST",
    headers,
    body: form({ ...answers, intent: "save" }),
    redirect: "manual",
  });
  const id = /\/dossiers\/([0-9a-f-]{36})\/edit/.exec(res.headers.get("location") ?? "")?.[1];
  if (res.status !== 302 || !id) return { outcome: "failed", status: res.status, step: "draft" };
  res = await fetch(`${base}/dossiers/${id}/edit`, {
    method: "POST",
    headers,
    body: form({ ...answers, intent: "continue" }, [
      ["document-0", "to-khai.pdf"],
      ["document-1", "giay-chung-sinh.pdf"],
    ]),
    redirect: "manual",
  });
  if (res.status !== 302) return { outcome: "failed", status: res.status, step: "documents", id };
  res = await fetch(`${base}/dossiers/${id}/check`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf: v.csrf }),
    redirect: "manual",
  });
  if (res.status !== 302 || !(res.headers.get("location") ?? "").includes("submitted=1"))
    return { outcome: "failed", status: res.status, step: "submit", id };
  return { outcome: "acknowledged", id, code: "" };
}
