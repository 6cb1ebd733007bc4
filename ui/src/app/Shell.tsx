import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconChart, IconSettings, IconTarget, IconUsers } from "../components/icons";
import { ComingSoon } from "../features/placeholder/ComingSoon";
import { IdentitiesPage } from "../features/identities/IdentitiesPage";
import { SettingsPage } from "../features/settings/SettingsPage";
import { useAppInfo } from "../features/identities/queries";
import { toLocalDigits } from "../lib/format";
import { LanguageSwitch } from "./LanguageSwitch";
import { SECTIONS, type SectionId } from "./sections";
import { useAppSettings } from "./settings";

const ICONS: Record<SectionId, ReactNode> = {
  identities: <IconUsers />,
  opportunities: <IconTarget />,
  reports: <IconChart />,
  settings: <IconSettings />,
};

export function Shell() {
  const { t } = useTranslation();
  const { language } = useAppSettings();
  const [section, setSection] = useState<SectionId>("identities");
  const appInfo = useAppInfo();

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
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
        <nav className="nav" aria-label={t("nav.label")}>
          <ul>
            {SECTIONS.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className={id === section ? "nav__item is-active" : "nav__item"}
                  aria-current={id === section ? "page" : undefined}
                  onClick={() => setSection(id)}
                  data-testid={`nav-${id}`}
                >
                  <span className="nav__icon" aria-hidden="true">
                    {ICONS[id]}
                  </span>
                  {t(`nav.${id}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar__footer">
          {appInfo.data ? <span className="muted">{t("app.version", { version: toLocalDigits(appInfo.data.version, language) })}</span> : null}
        </div>
      </aside>

      <div className="main">
        <header className="topbar">
          <span className="topbar__section">{t(`nav.${section}`)}</span>
          <span className="topbar__spacer" />
          {appInfo.data ? (
            <span className="topbar__user" title={appInfo.data.currentUser.username}>
              <span className="avatar" aria-hidden="true">
                {appInfo.data.currentUser.displayName.trim().charAt(0)}
              </span>
              {appInfo.data.currentUser.displayName}
            </span>
          ) : null}
          <LanguageSwitch />
        </header>
        <main className="content">
          {section === "identities" ? (
            <IdentitiesPage />
          ) : section === "settings" ? (
            <SettingsPage />
          ) : (
            <ComingSoon section={section} icon={ICONS[section]} />
          )}
        </main>
      </div>
    </div>
  );
}
