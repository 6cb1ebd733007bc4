import { useTranslation } from "react-i18next";
import type { Language } from "../lib/types";
import { useAppSettings } from "./settings";

/** One button that switches to the other language; it names that language in its own script. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { language, setLanguage } = useAppSettings();
  const target: Language = language === "fa" ? "en" : "fa";
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      lang={target}
      title={`${t("language.label")}: ${t(`language.${target}`)}`}
      onClick={() => setLanguage(target)}
    >
      <span className="lang-switch__globe" aria-hidden="true">
        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" />
          <path d="M3 12h18M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9S9.5 5.6 12 3z" />
        </svg>
      </span>
      {t(`language.${target}`)}
    </button>
  );
}
