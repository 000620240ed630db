/** i18next settings shared by server and browser. Vietnamese is the source and default language. */
export const LANGUAGES = ["vi", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "vi";
export const NAMESPACES = [
  "common",
  "auth",
  "validation",
  "dossier",
  "catalogue",
  "stats",
  "imports",
  "finance",
  "documents",
  "units",
] as const;

export function isLanguage(v: unknown): v is Language {
  return typeof v === "string" && (LANGUAGES as readonly string[]).includes(v);
}

export default {
  supportedLngs: [...LANGUAGES],
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  ns: [...NAMESPACES],
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
};
