import { useTranslation } from "react-i18next";
import { useAppSettings } from "./settings";

/** The app's mark and its name in both scripts (the sidebar, the sign-in screen). */
export function Brand({ className }: { className?: string }) {
  const { t } = useTranslation();
  const { language } = useAppSettings();
  return (
    <div className={["brand", className ?? ""].filter(Boolean).join(" ")}>
      <span className="brand__mark" aria-hidden="true">
        {language === "fa" ? "ف" : "F"}
      </span>
      <span className="brand__names">
        <span className="brand__name">{t("app.name")}</span>
        <span className="brand__other" lang={language === "fa" ? "en" : "fa"}>
          {t("app.otherName")}
        </span>
      </span>
    </div>
  );
}
