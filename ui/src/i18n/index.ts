// i18next set-up: one JSON catalog per feature namespace and language.
// Persian is the default; the language chosen by the user is restored before the
// first render (see app/language.ts) so the layout never flips after start.

import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import type { Language } from "../lib/types";
import faAdmin from "./fa/admin.json";
import faCommon from "./fa/common.json";
import faIdentities from "./fa/identities.json";
import faIdentity from "./fa/identity.json";
import faOpportunity from "./fa/opportunity.json";
import faSettings from "./fa/settings.json";
import faProducts from "./fa/products.json";
import faFinancial from "./fa/financial.json";
import faReports from "./fa/reports.json";
import faPipeline from "./fa/pipeline.json";
import faTransfer from "./fa/transfer.json";
import faSession from "./fa/session.json";
import faActivities from "./fa/activities.json";
import faFollowup from "./fa/followup.json";
import enAdmin from "./en/admin.json";
import enCommon from "./en/common.json";
import enIdentities from "./en/identities.json";
import enIdentity from "./en/identity.json";
import enOpportunity from "./en/opportunity.json";
import enSettings from "./en/settings.json";
import enProducts from "./en/products.json";
import enFinancial from "./en/financial.json";
import enReports from "./en/reports.json";
import enPipeline from "./en/pipeline.json";
import enTransfer from "./en/transfer.json";
import enSession from "./en/session.json";
import enActivities from "./en/activities.json";
import enFollowup from "./en/followup.json";

export const resources = {
  fa: { common: faCommon, identities: faIdentities, identity: faIdentity, opportunity: faOpportunity, settings: faSettings, admin: faAdmin, products: faProducts, financial: faFinancial, reports: faReports, pipeline: faPipeline, transfer: faTransfer, session: faSession, activities: faActivities, followup: faFollowup },
  en: { common: enCommon, identities: enIdentities, identity: enIdentity, opportunity: enOpportunity, settings: enSettings, admin: enAdmin, products: enProducts, financial: enFinancial, reports: enReports, pipeline: enPipeline, transfer: enTransfer, session: enSession, activities: enActivities, followup: enFollowup },
} as const;

export const LANGUAGES: readonly Language[] = ["fa", "en"];
export const DEFAULT_LANGUAGE: Language = "fa";

export function isLanguage(value: unknown): value is Language {
  return value === "fa" || value === "en";
}

export function directionOf(lang: Language): "rtl" | "ltr" {
  return lang === "fa" ? "rtl" : "ltr";
}

/** Keeps <html lang dir> and the window title in step with the language. */
export function applyDocumentLanguage(lang: Language): void {
  const root = document.documentElement;
  root.lang = lang;
  root.dir = directionOf(lang);
  document.title = lang === "fa" ? "فرصت" : "Forsat";
}

export function initI18n(lang: Language): typeof i18n {
  if (!i18n.isInitialized) {
    void i18n.use(initReactI18next).init({
      resources,
      lng: lang,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: LANGUAGES as Language[],
      ns: ["common", "identities", "identity", "opportunity", "settings", "admin", "products", "financial", "reports", "pipeline", "transfer", "session"],
      defaultNS: "common",
      interpolation: { escapeValue: false },
      returnNull: false,
      initAsync: false,
    });
    i18n.on("languageChanged", (lng) => {
      if (isLanguage(lng)) applyDocumentLanguage(lng);
    });
  } else if (i18n.language !== lang) {
    void i18n.changeLanguage(lang);
  }
  applyDocumentLanguage(lang);
  return i18n;
}

/** The current UI language as the backend's Language type. */
export function currentLanguage(): Language {
  const lng = i18n.resolvedLanguage ?? i18n.language;
  return isLanguage(lng) ? lng : DEFAULT_LANGUAGE;
}

export default i18n;
