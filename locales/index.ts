/** All translations, for the server (the browser fetches them per namespace). */
import enAuth from "./en/auth.json";
import enCatalogue from "./en/catalogue.json";
import enCommon from "./en/common.json";
import enDossier from "./en/dossier.json";
import enValidation from "./en/validation.json";
import viAuth from "./vi/auth.json";
import viCatalogue from "./vi/catalogue.json";
import viCommon from "./vi/common.json";
import viDossier from "./vi/dossier.json";
import viValidation from "./vi/validation.json";

export const resources = {
  vi: { common: viCommon, auth: viAuth, validation: viValidation, dossier: viDossier, catalogue: viCatalogue },
  en: { common: enCommon, auth: enAuth, validation: enValidation, dossier: enDossier, catalogue: enCatalogue },
} as const;
