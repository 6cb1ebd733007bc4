import { useTranslation } from "react-i18next";
import type { ListColumn } from "../../lib/types";
import { moveColumn, toggleColumn, type ColumnSetting } from "./columns";
import { COLUMN_LABEL } from "./OpportunityTable";
import { Popover } from "./Popover";

/** Show, hide and reorder the list's columns. */
export function ColumnChooser({ columns, onChange }: { columns: ColumnSetting[]; onChange: (next: ColumnSetting[]) => void }) {
  const { t } = useTranslation("pipeline");
  const label = (c: ListColumn) => t(COLUMN_LABEL[c] as "columns.title");
  return (
    <Popover label={t("columnsChooser.button")} testId="column-chooser" panelClassName="pl-columns">
      <p className="pl-columns__title">{t("columnsChooser.title")}</p>
      <ul className="pl-columns__list">
        {columns.map((c, i) => (
          <li key={c.column} className="pl-columns__item" data-column={c.column}>
            <label className="check">
              <input type="checkbox" checked={c.visible} onChange={() => onChange(toggleColumn(columns, c.column))} />
              <span>{label(c.column)}</span>
            </label>
            <span className="pl-columns__moves">
              <button type="button" className="icon-btn icon-btn--small" disabled={i === 0} aria-label={t("columnsChooser.earlier", { name: label(c.column) })} onClick={() => onChange(moveColumn(columns, c.column, -1))}>
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                className="icon-btn icon-btn--small"
                disabled={i === columns.length - 1}
                aria-label={t("columnsChooser.later", { name: label(c.column) })}
                onClick={() => onChange(moveColumn(columns, c.column, 1))}
              >
                <span aria-hidden="true">↓</span>
              </button>
            </span>
          </li>
        ))}
      </ul>
    </Popover>
  );
}
