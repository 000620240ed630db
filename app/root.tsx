import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useContext } from "react";
import { useTranslation } from "react-i18next";
import { UNSAFE_DataRouterStateContext } from "react-router";
import { useChangeLanguage } from "remix-i18next/react";
import { CsrfInput } from "./components/csrf-input.tsx";
import { LanguageSwitcher } from "./components/language-switcher.tsx";
import { useNonce } from "./components/nonce.tsx";
import type { Role } from "./domain/access/permissions.ts";
import { DEFAULT_LANGUAGE } from "./i18n.ts";
import { getUser } from "./server/auth.server.ts";
import { csrfTokenFromRequest } from "./server/csrf.server.ts";
import { isDemoMode } from "./server/env.server.ts";
import { getLanguage } from "./server/i18n.server.ts";
import { hasFinanceAccess } from "./server/payments/finance-access.server.ts";
import styles from "./styles/app.css?url";
import { pageHydrates } from "./utils/hydration.ts";
import type { RootLoaderData } from "./utils/root-data.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const handle = { i18n: ["common"] };

export async function loader({ request, context }: LoaderFunctionArgs): Promise<RootLoaderData> {
  const [locale, user] = await Promise.all([getLanguage(request), getUser(request)]);
  return {
    locale,
    csrf: csrfTokenFromRequest(request) ?? "",
    user: user ? { fullName: user.fullName, role: user.role, finance: hasFinanceAccess(user) } : null,
    formFailed: Boolean(context?.formFailed),
    demo: isDemoMode,
  };
}
export type { RootLoaderData };

type TitledData = { title?: string } | undefined;

/**
 * The page title comes from the leaf route's loader (`title`), prefixed with "Lỗi:" / "Error:" when
 * the last form post came back with errors. Meta functions cannot see action data,
 * so the title is rendered here from the router state.
 */
function useDocumentTitle(): string {
  const { t } = useTranslation();
  const matches = useMatches();
  const state = useContext(UNSAFE_DataRouterStateContext);
  const leaf = matches[matches.length - 1];
  const pageTitle = (leaf?.data as TitledData)?.title;
  const actionData = Object.values(state?.actionData ?? {}) as Array<{ errors?: object; formError?: string } | null>;
  const root = useRouteLoaderData<RootLoaderData>("root");
  const hasErrors =
    Boolean(root?.formFailed) ||
    Boolean((leaf?.data as { formFailed?: boolean } | undefined)?.formFailed) ||
    actionData.some((d) => d && ((d.errors && Object.keys(d.errors).length > 0) || d.formError));
  const base = pageTitle ? `${pageTitle} – ${t("common:portal.name")}` : t("common:portal.name");
  return hasErrors ? `${t("common:errors.titlePrefix")} ${base}` : base;
}

/** The page's description for search engines: the page's own (loader data `description`) or the portal's. */
function useDocumentDescription(): string {
  const { t } = useTranslation();
  const matches = useMatches();
  const own = (matches[matches.length - 1]?.data as { description?: unknown } | undefined)?.description;
  return typeof own === "string" && own ? own : t("common:portal.description");
}

function Navigation({ role, finance }: { role: Role | null; finance: boolean }) {
  const { t } = useTranslation();
  const items: Array<{ to: string; label: string }> = [
    { to: "/", label: t("common:nav.home") },
    { to: "/procedures", label: t("common:nav.procedures") },
  ];
  if (role === "citizen") {
    items.push(
      { to: "/dossiers", label: t("common:nav.myDossiers") },
      { to: "/account", label: t("common:nav.account") },
    );
  }
  if (role === null || role === "citizen") items.push({ to: "/lookup", label: t("common:nav.lookup") });
  if (role === "clerk") items.push({ to: "/clerk", label: t("common:nav.clerk") });
  if (role === "manager") items.push({ to: "/manager", label: t("common:nav.manager") });
  if (role === "admin") items.push({ to: "/admin", label: t("common:nav.admin") });
  if (finance) items.push({ to: "/finance", label: t("common:nav.finance") });
  return (
    <nav className="site-nav" aria-label={t("common:nav.label")}>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Account({ user }: { user: RootLoaderData["user"] }) {
  const { t } = useTranslation();
  return (
    <div className="site-header__account">
      {user ? (
        <>
          <span className="site-header__user">
            {user.fullName} <span className="tag">{t(`common:roles.${user.role}`)}</span>
          </span>
          <Form method="post" action="/auth/logout">
            <CsrfInput />
            <button type="submit" className="link-button">
              {t("common:nav.signOut")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <Link to="/auth/login">{t("common:nav.signIn")}</Link>
          <Link to="/auth/register">{t("common:nav.register")}</Link>
        </>
      )}
    </div>
  );
}

/**
 * The header: on a wide screen the navigation bar; on a phone one compact line with a "Menu" that opens
 * without JavaScript (<details>). Only one of the two is displayed at a time (CSS), so the page has one
 * navigation landmark.
 */
function Header({ user }: { user: RootLoaderData["user"] }) {
  const { t } = useTranslation();
  const role = user?.role ?? null;
  const finance = user?.finance ?? false;
  return (
    <header className="site-header">
      <div className="container site-header__top">
        <Link to="/" className="site-header__name">
          <span className="site-header__emblem" aria-hidden="true">
            ★
          </span>
          {t("common:portal.name")}
          <span className="site-header__province">{t("common:portal.province")}</span>
        </Link>
        <LanguageSwitcher />
        <details className="site-menu">
          <summary className="site-menu__toggle">{t("common:nav.menu")}</summary>
          <div className="site-menu__panel">
            <Navigation role={role} finance={finance} />
            <Account user={user} />
          </div>
        </details>
      </div>
      <div className="container site-header__bar">
        <Navigation role={role} finance={finance} />
        <Account user={user} />
      </div>
    </header>
  );
}

function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="site-footer">
      <div className="container">
        <ul className="site-footer__links">
          <li>
            <Link to="/accessibility">{t("common:footer.accessibility")}</Link>
          </li>
          <li>
            <Link to="/verify">{t("common:footer.verify")}</Link>
          </li>
          <li>
            <a href="/openapi.json">{t("common:footer.openData")}</a>
          </li>
        </ul>
        <p>{t("common:footer.owner")}</p>
      </div>
    </footer>
  );
}

/** Scripts only on a page that asks for them (app/utils/hydration.ts). */
function useHydrate(): boolean {
  return pageHydrates(useMatches().map((m) => m.handle));
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<RootLoaderData>("root");
  const hydrate = useHydrate();
  const { t, i18n } = useTranslation();
  const locale = data?.locale ?? i18n.language ?? DEFAULT_LANGUAGE;
  const title = useDocumentTitle();
  const description = useDocumentDescription();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main-content" className="skip-link">
          {t("common:skipLink")}
        </a>
        {data?.demo ? (
          <p className="demo-banner" role="note">
            {t("common:demoBanner")}
          </p>
        ) : null}
        <Header user={data?.user ?? null} />
        <main id="main-content" className="container main" tabIndex={-1}>
          {children}
        </main>
        <Footer />
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  const data = useRouteLoaderData<RootLoaderData>("root");
  useChangeLanguage(data?.locale ?? DEFAULT_LANGUAGE);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const kind =
    status === 404
      ? "notFound"
      : status === 403
        ? "forbidden"
        : status === 413
          ? "tooLarge"
          : status < 500
            ? "badRequest"
            : "server";
  return (
    <div className="error-page">
      <h1>{t(`common:errorPage.${kind}.title`)}</h1>
      <p>{t(`common:errorPage.${kind}.body`)}</p>
      <p>
        <Link to="/">{t("common:errorPage.home")}</Link>
      </p>
    </div>
  );
}
