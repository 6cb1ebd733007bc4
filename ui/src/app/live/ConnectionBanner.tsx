import { useTranslation } from "react-i18next";
import "./live.css";

/** Shown under the header while the team server cannot be reached. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  return (
    <div className="connection-banner" role="status" data-testid="connection-banner">
      <span className="connection-banner__dot" aria-hidden="true" />
      <p className="connection-banner__text">{t("live.offline")}</p>
    </div>
  );
}
