import { useTranslation } from "react-i18next";
import type { IdentitySummary } from "../../lib/types";
import { useAppSettings } from "../../app/settings";
import { IconBuilding, IconPerson } from "../../components/icons";
import { toLocalDigits } from "../../lib/format";
import { navigate, paths } from "../../app/router";

export function IdentitiesTable({ items, busy }: { items: IdentitySummary[]; busy: boolean }) {
  const { t } = useTranslation("identities");
  const { language } = useAppSettings();
  return (
    <div className={busy ? "table-wrap is-busy" : "table-wrap"}>
      {busy ? <div className="table-wrap__progress" aria-hidden="true" /> : null}
      <table className="table identities-table" data-testid="identities-table" aria-busy={busy || undefined}>
        <caption className="visually-hidden">{t("table.caption")}</caption>
        <thead>
          <tr>
            <th scope="col" className="col-number">{t("columns.customerNumber")}</th>
            <th scope="col" className="col-name">{t("columns.name")}</th>
            <th scope="col">{t("columns.kind")}</th>
            <th scope="col">{t("columns.phone")}</th>
            <th scope="col">{t("columns.email")}</th>
            <th scope="col" className="col-city">{t("columns.city")}</th>
            <th scope="col">{t("columns.roles")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.id}
              data-identity-id={item.id}
              tabIndex={0}
              className="row-link"
              onClick={() => navigate(paths.identity(item.id))}
              onKeyDown={(e) => {
                if (e.key === "Enter") {
                  e.preventDefault();
                  navigate(paths.identity(item.id));
                }
              }}
            >
              <td className="col-number">
                <bdi>{toLocalDigits(item.customerNumber, language)}</bdi>
              </td>
              <td className="col-name">
                <bdi className="cell-name cell-clip" title={item.displayName} data-testid="identity-row-name">
                  {item.displayName}
                </bdi>
              </td>
              <td className="col-kind">
                <span className="kind">
                  {item.kind === "person" ? <IconPerson size={14} /> : <IconBuilding size={14} />}
                  {t(`kind.${item.kind}`)}
                </span>
              </td>
              <td>{item.phone ? <bdi dir="ltr">{toLocalDigits(item.phone, language)}</bdi> : <span className="muted">—</span>}</td>
              <td className="col-email">
                {item.email ? (
                  <bdi dir="ltr" className="cell-clip" title={item.email}>
                    {item.email}
                  </bdi>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="col-city">
                {item.city ? (
                  <bdi className="cell-clip" title={item.city}>
                    {item.city}
                  </bdi>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <span className="badges">
                  {item.isCustomer ? <span className="badge badge--customer">{t("role.customer")}</span> : null}
                  {item.isCompetitor ? <span className="badge badge--competitor">{t("role.competitor")}</span> : null}
                  {item.isSupplier ? <span className="badge badge--supplier">{t("role.supplier")}</span> : null}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
