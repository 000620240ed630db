/** Language detection (cookie only: the portal is Vietnamese unless the user chose English). */
import { createCookie } from "@remix-run/node";
import { RemixI18Next } from "remix-i18next/server";
import { resources } from "#locales/index.ts";
import i18nConfig, { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from "../i18n.ts";
import { cookieSecure } from "./env.server.ts";

export const languageCookie = createCookie("portal_lng", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  secure: cookieSecure(),
  maxAge: 60 * 60 * 24 * 365,
});

export const i18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    cookie: languageCookie,
    order: ["cookie"],
  },
  i18next: { ...i18nConfig, resources },
});

export async function getLanguage(request: Request): Promise<Language> {
  const lng = await i18next.getLocale(request);
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
}

export async function getT(request: Request, ns = "common") {
  return i18next.getFixedT(request, ns);
}
