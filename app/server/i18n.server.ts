/**
 * Language detection (cookie only: the portal is Vietnamese unless the user chose English) and the server's
 * translators. One i18next instance per language, made and initialised once per process with every
 * namespace (the resources are bundled): creating and initialising instances per request (and per `getT`)
 * was a large share of each page's CPU time (docs/performance.md). The instances are never mutated after
 * start-up (no changeLanguage, no loading), so requests can share them.
 */
import { createCookie } from "@remix-run/node";
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
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

const instances = new Map<Language, I18n>();

/** The shared, fully initialised i18next instance of a language (for rendering and for `getT`). */
export function i18nFor(lng: Language): I18n {
  let instance = instances.get(lng);
  if (!instance) {
    instance = createInstance();
    // Synchronous init: the resources are in memory, nothing is loaded.
    void instance.use(initReactI18next).init({ ...i18nConfig, lng, resources, initImmediate: false });
    memoiseTranslations(instance);
    instances.set(lng, instance);
  }
  return instance;
}

const MAX_MEMOISED = 20_000;

/**
 * Translating is pure once the resources are loaded, but i18next does a lot of work per call (key parsing,
 * fallbacks, plural rules, interpolation): a page of 100 items spent more time in `t` than in React. Calls
 * whose options are plain values (count, interpolation values) are remembered per instance; the memo is
 * emptied when it reaches MAX_MEMOISED entries (interpolated values can be anything a user typed).
 */
function memoiseTranslations(instance: I18n): void {
  const translate = instance.t.bind(instance) as unknown as (
    key: unknown,
    options?: unknown,
    ...rest: unknown[]
  ) => unknown;
  const memo = new Map<string, unknown>();
  const plain = (options: unknown) => {
    if (options === undefined) return true;
    if (typeof options !== "object" || options === null) return false;
    for (const value of Object.values(options)) {
      if (value !== null && typeof value === "object" && !Array.isArray(value)) return false;
      if (typeof value === "function") return false;
    }
    return true;
  };
  const memoised = (key: unknown, options?: unknown, ...rest: unknown[]) => {
    if (typeof key !== "string" || rest.length > 0 || !plain(options)) return translate(key, options, ...rest);
    const cacheKey = options === undefined ? key : `${key}\u0000${JSON.stringify(options)}`;
    if (memo.has(cacheKey)) return memo.get(cacheKey);
    const value = translate(key, options);
    if (typeof value !== "string") return value;
    if (memo.size >= MAX_MEMOISED) memo.clear();
    memo.set(cacheKey, value);
    return value;
  };
  instance.t = memoised as unknown as I18n["t"];
}

const fixedTs = new Map<string, TFunction>();

export async function getT(request: Request, ns = "common"): Promise<TFunction> {
  const lng = await getLanguage(request);
  const key = `${lng}:${ns}`;
  let t = fixedTs.get(key);
  if (!t) {
    t = i18nFor(lng).getFixedT(lng, ns);
    fixedTs.set(key, t);
  }
  return t;
}
