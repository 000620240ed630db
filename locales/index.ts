/** All translations, for the server (the browser fetches them per namespace). */
import enAuth from "./en/auth.json";
import enCatalogue from "./en/catalogue.json";
import enCommon from "./en/common.json";
import enDocuments from "./en/documents.json";
import enDossier from "./en/dossier.json";
import enFinance from "./en/finance.json";
import enImports from "./en/imports.json";
import enStats from "./en/stats.json";
import enUnits from "./en/units.json";
import enValidation from "./en/validation.json";
import viAuth from "./vi/auth.json";
import viCatalogue from "./vi/catalogue.json";
import viCommon from "./vi/common.json";
import viDocuments from "./vi/documents.json";
import viDossier from "./vi/dossier.json";
import viFinance from "./vi/finance.json";
import viImports from "./vi/imports.json";
import viStats from "./vi/stats.json";
import viUnits from "./vi/units.json";
import viValidation from "./vi/validation.json";

export const resources = {
  vi: {
    common: viCommon,
    auth: viAuth,
    validation: viValidation,
    dossier: viDossier,
    catalogue: viCatalogue,
    stats: viStats,
    imports: viImports,
    finance: viFinance,
    documents: viDocuments,
    units: viUnits,
  },
  en: {
    common: enCommon,
    auth: enAuth,
    validation: enValidation,
    dossier: enDossier,
    catalogue: enCatalogue,
    stats: enStats,
    imports: enImports,
    finance: enFinance,
    documents: enDocuments,
    units: enUnits,
  },
} as const;
