import { useTranslation } from "react-i18next";
import { Button } from "../../components/Button";
import { toLocalDigits } from "../../lib/format";
import type { AvailableUpdate } from "../../lib/types";
import { paths } from "../router";
import { useAppSettings } from "../settings";
import "./desktop.css";

/** "Forsat Y is available", with the way to Settings › About; it stays until dismissed. */
export function UpdateNotice({ update, onDismiss }: { update: AvailableUpdate; onDismiss: () => void }) {
  const { t } = useTranslation();
  const { language } = useAppSettings();
  return (
    <div className="update-notice" role="status" data-testid="update-notice">
      <p className="update-notice__text">{t("desktop.updateAvailable", { version: toLocalDigits(update.version, language) })}</p>
      <a className="btn btn--primary btn--sm" href={paths.settings("about")} onClick={onDismiss} data-testid="update-notice-open">
        {t("desktop.updateOpen")}
      </a>
      <Button size="sm" variant="ghost" onClick={onDismiss} data-testid="update-notice-dismiss">
        {t("desktop.updateDismiss")}
      </Button>
    </div>
  );
}
