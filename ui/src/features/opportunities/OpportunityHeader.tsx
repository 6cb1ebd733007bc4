import { useTranslation } from "react-i18next";
import { WebviewWindow } from "@tauri-apps/api/webviewWindow";
import type { OpportunityDetail } from "../../lib/types";
import { paths } from "../../app/router";
import { useAppSettings } from "../../app/settings";
import { Button } from "../../components/Button";
import { useToast } from "../../components/Toast";
import { formatDateTime } from "../../lib/format";
import { useFieldLabel } from "./labels";

export type OpportunityHeaderProps = {
  /** The saved opportunity; null for a new one. */
  base: OpportunityDetail | null;
  related: { id: number; name: string };
  /** The error on the related identity ("identityId"), if any. */
  identityError: string | null;
  saving: boolean;
  showNumbers: boolean;
  onSave: () => void;
  onDelete: () => void;
  onShowChanges: () => void;
  onToggleNumbers: () => void;
};

/** The breadcrumb, the title with who created and edited the opportunity, and the toolbar. */
export function OpportunityHeader({ base, related, identityError, saving, showNumbers, onSave, onDelete, onShowChanges, onToggleNumbers }: OpportunityHeaderProps) {
  const { t } = useTranslation("opportunity");
  const { t: tc } = useTranslation("common");
  const { language, calendar } = useAppSettings();
  const toast = useToast();
  const label = useFieldLabel();
  const heading = base ? base.title : t("newTitle");

  const openInNewWindow = () => {
    if (!base) return;
    try {
      const win = new WebviewWindow(`opportunity-${base.id}-${Date.now()}`, {
        url: `index.html${paths.opportunity(base.id)}`,
        title: `${base.title} — ${tc("app.name")}`,
      });
      void win.once("tauri://error", () => toast.show(t("toolbar.newWindowFailed"), "error"));
    } catch {
      toast.show(t("toolbar.newWindowFailed"), "error");
    }
  };

  return (
    <>
      <nav className="breadcrumb" aria-label={t("breadcrumb")}>
        <a href={paths.identity(related.id, "records")}>{related.name}</a>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{heading}</span>
      </nav>
      <header className="record-header">
        <div className="record-header__main">
          <h1 className="page__title" data-testid="opportunity-heading">
            {heading}
          </h1>
          <dl className="facts">
            <div>
              <dt>{label("identityId")}</dt>
              <dd>
                <a href={paths.identity(related.id)} data-testid="related-identity">
                  {related.name}
                </a>
                {identityError ? <p className="field__error">{identityError}</p> : null}
              </dd>
            </div>
            {base ? (
              <>
                <div>
                  <dt>{t("meta.created")}</dt>
                  <dd>{t("meta.atBy", { at: formatDateTime(base.createdAt, calendar, language), by: base.createdBy ?? t("meta.unknown") })}</dd>
                </div>
                <div>
                  <dt>{t("meta.edited")}</dt>
                  <dd>{t("meta.atBy", { at: formatDateTime(base.updatedAt, calendar, language), by: base.updatedBy ?? t("meta.unknown") })}</dd>
                </div>
              </>
            ) : null}
          </dl>
        </div>
        <div className="record-toolbar" role="toolbar" aria-label={t("toolbar.label")}>
          <Button variant="primary" onClick={onSave} busy={saving} shortcut="Ctrl+S" aria-keyshortcuts="Control+S" data-testid="opportunity-save">
            {tc("actions.save")}
          </Button>
          <Button onClick={onDelete} disabled={!base} data-testid="opportunity-delete">
            {tc("actions.delete")}
          </Button>
          <Button onClick={onShowChanges} disabled={!base} data-testid="opportunity-changes">
            {t("toolbar.changes")}
          </Button>
          <Button onClick={openInNewWindow} disabled={!base} data-testid="open-in-new-window">
            {t("toolbar.newWindow")}
          </Button>
          <Button variant="ghost" className="toggle-btn" aria-pressed={showNumbers} onClick={onToggleNumbers} data-testid="toggle-field-numbers">
            <span className="toggle-btn__box" aria-hidden="true" />
            {t("toolbar.fieldNumbers")}
          </Button>
        </div>
      </header>
    </>
  );
}
