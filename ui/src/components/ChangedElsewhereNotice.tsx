import { useTranslation } from "react-i18next";
import { Button } from "./Button";

export type ChangedField = {
  key: string;
  /** The field's label as the form shows it. */
  label: string;
  /** The user changed it too (their value is kept on "Keep mine on top"). */
  alsoMine: boolean;
};

export type ChangedElsewhereNoticeProps = {
  /** Who changed the record (null: someone, not known). */
  who: string | null;
  /** The record's kind in words ("opportunity", "record"), in the current language. */
  entity: string;
  /** The fields whose values differ between the version the form started from and the new one. */
  fields: readonly ChangedField[];
  onTakeTheirs: () => void;
  /** null when the new version was approved meanwhile (read-only: only theirs can be taken). */
  onKeepMine: (() => void) | null;
};

/**
 * In a form with unsaved edits, when someone else saved the same record meanwhile:
 * who, what they changed, and the two ways on. Nothing the user typed is replaced
 * until they choose.
 */
export function ChangedElsewhereNotice({ who, entity, fields, onTakeTheirs, onKeepMine }: ChangedElsewhereNoticeProps) {
  const { t } = useTranslation();
  return (
    <div className="changed-elsewhere" role="status" data-testid="form-changed-elsewhere">
      <div className="changed-elsewhere__body">
        <p className="changed-elsewhere__title">{who !== null ? t("changedElsewhere.byName", { name: who, entity }) : t("changedElsewhere.bySomeone", { entity })}</p>
        {fields.length > 0 ? (
          <>
            <p className="changed-elsewhere__label">{t("changedElsewhere.fieldsLabel")}</p>
            <ul className="changed-elsewhere__fields" data-testid="changed-fields">
              {fields.map((f) => (
                <li key={f.key} data-field={f.key}>
                  <span>{f.label}</span>
                  {f.alsoMine ? <span className="changed-elsewhere__mine"> ({t("changedElsewhere.alsoYours")})</span> : null}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="changed-elsewhere__label">{t("changedElsewhere.noFields")}</p>
        )}
        <p className="changed-elsewhere__help">{onKeepMine ? t("changedElsewhere.explain") : t("changedElsewhere.lockedApproved")}</p>
      </div>
      <div className="changed-elsewhere__actions">
        <Button size="sm" onClick={onTakeTheirs} data-testid="take-theirs">
          {t("changedElsewhere.takeTheirs")}
        </Button>
        {onKeepMine ? (
          <Button size="sm" variant="primary" onClick={onKeepMine} data-testid="keep-mine">
            {t("changedElsewhere.keepMine")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
