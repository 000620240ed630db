import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGES } from "../i18n.ts";
import { CsrfInput } from "./csrf-input.tsx";

const NAMES = { vi: "Tiếng Việt", en: "English" } as const;

/** A POST form per language, so switching works without JavaScript and is remembered in a cookie. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <nav className="language-switcher" aria-label={t("common:language.label")}>
      <ul>
        {LANGUAGES.map((lng) =>
          lng === i18n.language ? (
            <li key={lng}>
              <span aria-current="true" lang={lng} className="language-switcher__current">
                {NAMES[lng]}
              </span>
            </li>
          ) : (
            <li key={lng}>
              <Form method="post" action="/resources/language" reloadDocument>
                <CsrfInput />
                <input type="hidden" name="lng" value={lng} />
                <input type="hidden" name="redirectTo" value={here} />
                <button type="submit" className="link-button" lang={lng}>
                  {NAMES[lng]}
                </button>
              </Form>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}
