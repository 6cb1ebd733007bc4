import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { EmptyState } from "../../components/States";
import type { SectionId } from "../../app/sections";

/** An honest placeholder for a section that is not built yet (no sample data). */
export function ComingSoon({ section, icon }: { section: SectionId; icon?: ReactNode }) {
  const { t } = useTranslation();
  const name = t(`nav.${section}`);
  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">{name}</h1>
      </header>
      <div className="page__body">
        <EmptyState icon={icon} title={t("state.comingSoonTitle")} body={t("state.comingSoonBody", { section: name })} />
      </div>
    </div>
  );
}
