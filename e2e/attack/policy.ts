/**
 * THE authorisation policy: one row per route id of the build's route manifest (build/server/index.js),
 * stating for GET (the route has a loader) and POST (it has an action) what each actor must get.
 * matrix.spec.ts fails for a route without a row, a row for a route that no longer exists, a method the
 * route serves without a policy, and every cell whose answer does not match.
 *
 * Classes:
 *  - allow  2xx, or a 3xx that is not to sign-in; for POST also 400/409/422 (allowed, refused by validation:
 *           the matrix posts a harmless body, an unknown `intent`, with the actor's valid CSRF token).
 *  - hide   like allow, but the page (after one same-origin redirect, e.g. to a canonical query) must not
 *           contain the subject dossier's code (lists, dashboards).
 *  - login  302/303 to /auth/login.
 *  - deny   403 or 404, and the body holds none of the subject's identifying data (dossier code, applicant's
 *           name and ID number — for the owner only the code: their own name is in the page header); for POST
 *           the database does not change.
 *  - none   404 or 405: the route has no such method (or no such page).
 *
 * Actors are relative to the subject (see lib/world.ts for who plays them): anonymous, the citizen who owns
 * the dossier, another citizen, a clerk of the owning unit, a clerk of another unit, a manager whose scope
 * covers the unit, a manager whose scope does not, and the administrator.
 */
import type { Actor } from "./lib/world.ts";

export type Cls = "allow" | "hide" | "login" | "deny" | "none";
export type Cells = Record<Actor, Cls>;

/** What fills a route's params (and which actors it is judged against). */
export type Subject = "none" | "dossier" | "filedDossier" | "returnedDossier" | "payment" | "import";

export type PolicyRow =
  | { layout: true; note: string }
  | {
      layout?: false;
      /**
       * `dossier`: the filed dossiers and the draft; `filedDossier`: filed ones only; `returnedDossier`: the one
       * with a signed result; `payment`: its paid fee; `import`: an import run with an error report.
       */
      subject: Subject;
      /** Query string to add (after `?`); `{orderRef}` is replaced from the subject. */
      query?: string;
      /** Concrete values for params that are not the subject's (e.g. `:code`, `:lng`). */
      params?: Record<string, string>;
      GET?: Cells;
      POST?: Cells;
      /** A POST by an allowed actor signs them out: the matrix signs them in again. */
      signsOut?: true;
      note?: string;
    };

const all = (c: Cls): Cells => ({
  anonymous: c,
  owner: c,
  otherCitizen: c,
  clerkIn: c,
  clerkOut: c,
  managerIn: c,
  managerOut: c,
  admin: c,
});

/** Signed-in citizens only (any citizen; the page shows the visitor's own data). */
const citizens = (other: Cls = "allow"): Cells => ({
  ...all("deny"),
  anonymous: "login",
  owner: "allow",
  otherCitizen: other,
});

/** The subject dossier's owner only. */
const ownerOnly: Cells = { ...all("deny"), anonymous: "login", owner: "allow" };

/** Clerks (any unit): their own unit's queue and forms. */
const clerks = (out: Cls = "allow"): Cells => ({ ...all("deny"), anonymous: "login", clerkIn: "allow", clerkOut: out });

/** The owning unit's clerks only. */
const owningClerk: Cells = { ...all("deny"), anonymous: "login", clerkIn: "allow" };

/** Managers (any scope: they see their own subtree). */
const managers = (out: Cls = "allow"): Cells => ({
  ...all("deny"),
  anonymous: "login",
  managerIn: "allow",
  managerOut: out,
});

const adminOnly: Cells = { ...all("deny"), anonymous: "login", admin: "allow" };

export const POLICY: Record<string, PolicyRow> = {
  root: { layout: true, note: "the document shell; its loader runs on every page" },
  "routes/_citizen": { layout: true, note: "pathless citizen layout; requires a citizen, each child checks again" },

  // Public pages.
  "routes/_index": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/accessibility": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/procedures._index": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/procedures.$code": { subject: "none", params: { code: "3.000333" }, GET: all("allow"), POST: all("none") },
  "routes/verify": {
    subject: "none",
    GET: all("allow"),
    POST: all("allow"),
    note: "anyone may upload a result PDF to check its signature (issue 14)",
  },
  "routes/pki.demo-ca[.crl]": {
    subject: "none",
    GET: all("allow"),
    POST: all("none"),
    note: "the demo CA's CRL is public",
  },
  "routes/pki.demo-ca[.crt]": {
    subject: "none",
    GET: all("allow"),
    POST: all("none"),
    note: "the demo root is public",
  },
  "routes/lookup": {
    subject: "none",
    GET: all("allow"),
    // Finding: the look-up must be a POST (the ID number must not travel in the URL), with CSRF.
    POST: all("allow"),
  },
  "routes/$": { subject: "none", params: { "*": "khong-co-trang-nay" }, GET: all("none"), POST: all("none") },

  // Sign-in, registration, sign-out, language: signed-in visitors are sent home (a 3xx, "allow").
  "routes/auth.login": { subject: "none", GET: all("allow"), POST: all("allow") },
  "routes/auth.register": { subject: "none", GET: all("allow"), POST: all("allow") },
  "routes/auth.logout": { subject: "none", GET: all("allow"), POST: all("allow"), signsOut: true },
  "routes/resources.language": { subject: "none", GET: all("allow"), POST: all("allow") },
  "routes/resources.locales.$lng.$ns": {
    subject: "none",
    params: { lng: "vi", ns: "common" },
    GET: all("allow"),
    POST: all("none"),
  },

  // Machine endpoints.
  "routes/api.health": { subject: "none", GET: all("allow"), POST: all("none") },
  // Operators' signals (docs/operations-runbook.md): no personal data; liveness and readiness are public.
  "routes/healthz": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/readyz": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/metrics": {
    subject: "none",
    note: "answers callers on this machine (the matrix runs there) or with METRICS_TOKEN; others get 404 (security.spec.ts)",
    GET: all("allow"),
    POST: all("none"),
  },
  "routes/api.payments.ipn": {
    subject: "none",
    note: "the gateway's IPN: public, refuses unsigned messages with RspCode 97 (see findings.spec.ts)",
    GET: all("allow"),
    POST: all("none"),
  },
  "routes/api.v1.agencies": { subject: "none", GET: all("allow"), POST: all("none") },
  "routes/api.v1.procedures": { subject: "none", query: "q=ho+tich&page=1", GET: all("allow"), POST: all("none") },
  "routes/api.v1.metrics": {
    subject: "none",
    query: "from=2026-01-01&to=2026-12-31",
    GET: all("allow"),
    POST: all("none"),
  },
  "routes/api.v1.calendar.due": {
    subject: "none",
    query: "received=2026-03-10T10:00:00%2B07:00&amount=3&unit=working_days",
    GET: all("allow"),
    POST: all("none"),
  },

  // Citizens.
  "routes/account": { subject: "none", GET: citizens(), POST: all("none") },
  "routes/_citizen.dossiers._index": { subject: "filedDossier", GET: citizens("hide"), POST: all("none") },
  "routes/_citizen.notifications": { subject: "filedDossier", GET: citizens("hide"), POST: all("none") },
  "routes/_citizen.dossiers.new.$code": {
    subject: "none",
    params: { code: "1.001193" },
    note: "a citizen's POST with a valid token creates an empty draft (an allowed actor's harmless change)",
    GET: citizens(),
    POST: citizens(),
  },
  "routes/_citizen.dossiers.$id._index": { subject: "dossier", GET: ownerOnly, POST: ownerOnly },
  "routes/_citizen.dossiers.$id.edit": { subject: "dossier", GET: ownerOnly, POST: ownerOnly },
  "routes/_citizen.dossiers.$id.check": { subject: "dossier", GET: ownerOnly, POST: ownerOnly },
  "routes/_citizen.dossiers.$id.result": { subject: "returnedDossier", GET: ownerOnly, POST: all("none") },
  "routes/_citizen.dossiers.$id.result[.pdf]": { subject: "returnedDossier", GET: ownerOnly, POST: all("none") },
  "routes/_citizen.dossiers.$id.files.$fileId": { subject: "filedDossier", GET: ownerOnly, POST: all("none") },
  "routes/payments.return": {
    subject: "payment",
    note: "the gateway's signed return: the outcome for anyone holding it, the dossier only for its applicant",
    query: "{signedReturn}",
    GET: { ...all("hide"), owner: "allow" },
    POST: all("none"),
  },
  "routes/payments.$id.receipt": {
    subject: "payment",
    note: "the receipt: its payer and the handling unit's clerks",
    GET: { ...ownerOnly, clerkIn: "allow" },
    POST: all("none"),
  },

  // Clerks.
  "routes/clerk._index": { subject: "filedDossier", GET: clerks("hide"), POST: all("none") },
  "routes/clerk.intake": { subject: "none", GET: clerks(), POST: clerks() },
  "routes/clerk.dossiers.$id": { subject: "filedDossier", GET: owningClerk, POST: owningClerk },
  "routes/clerk.dossiers.$id.files.$fileId": { subject: "filedDossier", GET: owningClerk, POST: all("none") },
  "routes/clerk.dossiers.$id.result[.pdf]": { subject: "returnedDossier", GET: owningClerk, POST: all("none") },
  "routes/clerk.reorganisation": {
    subject: "none",
    note: "the split-choice queue (ADR 017): clerks of the province's service centre only; none of the matrix's clerks is one",
    GET: { ...all("deny"), anonymous: "login" },
    POST: { ...all("deny"), anonymous: "login" },
  },

  // Managers.
  "routes/manager._index": { subject: "none", GET: managers(), POST: all("none") },
  "routes/manager.dossiers._index": {
    subject: "filedDossier",
    query: "metric=received",
    GET: managers("hide"),
    POST: all("none"),
  },
  "routes/manager.dossiers[.csv]": {
    subject: "filedDossier",
    query: "metric=received",
    GET: managers("hide"),
    POST: all("none"),
  },
  "routes/manager.export[.csv]": { subject: "none", GET: managers(), POST: all("none") },
  "routes/manager.targets": { subject: "none", GET: managers(), POST: managers() },
  "routes/manager.dossiers.$id": {
    subject: "filedDossier",
    GET: { ...all("deny"), anonymous: "login", managerIn: "allow" },
    POST: all("none"),
  },

  // Administration.
  "routes/admin._index": { subject: "none", GET: adminOnly, POST: all("none") },
  "routes/admin.calendar": { subject: "none", GET: adminOnly, POST: adminOnly },
  "routes/admin.imports._index": { subject: "none", GET: adminOnly, POST: adminOnly },
  "routes/admin.imports.$id.errors[.csv]": { subject: "import", GET: adminOnly, POST: all("none") },
  "routes/admin.reorganisations": { subject: "none", GET: adminOnly, POST: adminOnly },

  // Finance (ADR 012): an admin, or a clerk given the finance duty (ketoan.tinh); none of the matrix's clerks has it.
  "routes/finance._index": { subject: "none", GET: adminOnly, POST: adminOnly },
  "routes/finance.settlement": { subject: "none", GET: adminOnly, POST: adminOnly },
  "routes/finance.settlement[.csv]": { subject: "none", GET: adminOnly, POST: all("none") },
};
