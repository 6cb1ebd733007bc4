import { useTranslation } from "react-i18next";
import type { SystemItem } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import type { FieldControlProps } from "../../components/Field";
import { localTitle } from "../../lib/titles";

export type SystemItemSelectProps = FieldControlProps & {
  /** The form field it edits (its data-field). */
  field: "typeId" | "sourceId" | "winReasonId" | "lossReasonId" | "purchaseProcessId";
  items: readonly SystemItem[] | undefined;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  required?: boolean;
};

/** A value of a system list: the active values in their order, and the current one even when inactive. */
export function SystemItemSelect({ field, items, value, onChange, disabled, required, ...control }: SystemItemSelectProps) {
  const { t } = useTranslation("opportunity");
  const { language } = useAppSettings();
  return (
    <select {...control} className="input" data-field={field} value={value} disabled={disabled} aria-required={required || undefined} onChange={(e) => onChange(e.target.value)}>
      <option value="">{required ? t("choose") : t("none")}</option>
      {(items ?? [])
        .filter((i) => i.active || String(i.id) === value)
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map((i) => (
          <option key={i.id} value={i.id}>
            {localTitle(i, language)}
            {i.active ? "" : ` ${t("inactive")}`}
          </option>
        ))}
    </select>
  );
}
