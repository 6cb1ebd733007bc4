import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { CampaignsAdmin } from "../admin/CampaignsAdmin";
import { CustomFieldsAdmin } from "../admin/CustomFieldsAdmin";
import { StagesAdmin } from "../admin/StagesAdmin";
import { SystemListsAdmin } from "../admin/SystemListsAdmin";
import { TeamsAdmin } from "../admin/TeamsAdmin";
import { UsersAdmin } from "../admin/UsersAdmin";
import { BackupSettings } from "./BackupSettings";
import { GeneralSettings } from "./GeneralSettings";
import { useSession } from "../session/queries";
import "../admin/admin.css";

export type SettingsSection = "general" | "lists" | "stages" | "fields" | "campaigns" | "users" | "teams" | "backup";

export const SETTINGS_SECTIONS: readonly SettingsSection[] = ["general", "lists", "stages", "fields", "campaigns", "users", "teams", "backup"];

/** Sections only administrators see (the others show read-only to everyone). */
const ADMIN_ONLY: readonly SettingsSection[] = ["backup"];

const SCREENS: Record<SettingsSection, () => ReactNode> = {
  general: () => <GeneralSettings />,
  lists: () => <SystemListsAdmin />,
  stages: () => <StagesAdmin />,
  fields: () => <CustomFieldsAdmin />,
  campaigns: () => <CampaignsAdmin />,
  users: () => <UsersAdmin />,
  teams: () => <TeamsAdmin />,
  backup: () => <BackupSettings />,
};

const SECTION_KEY = "forsat.settingsSection";

function storedSection(): SettingsSection {
  try {
    const value = window.sessionStorage.getItem(SECTION_KEY);
    return SETTINGS_SECTIONS.find((s) => s === value) ?? "general";
  } catch {
    return "general";
  }
}

function remember(section: SettingsSection): void {
  try {
    window.sessionStorage.setItem(SECTION_KEY, section);
  } catch {
    // Only a convenience: the page opens on General next time.
  }
}

/** Settings: a sub-navigation of sections (General and the administration screens). */
export function SettingsPage() {
  const { t } = useTranslation("settings");
  const { t: ta } = useTranslation("admin");
  const isAdmin = useSession().data?.user?.role === "admin";
  const sections = SETTINGS_SECTIONS.filter((s) => isAdmin || !ADMIN_ONLY.includes(s));
  const [chosen, setSection] = useState<SettingsSection>(storedSection);
  const section = sections.includes(chosen) ? chosen : "general";

  const open = (next: SettingsSection) => {
    setSection(next);
    remember(next);
  };

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("title")}</h1>
          <p className="page__subtitle">{t("subtitle")}</p>
        </div>
      </header>
      <div className="page__body settings-layout">
        <nav className="settings-nav" aria-label={ta("nav.label")}>
          <ul className="settings-nav__list">
            {sections.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className={id === section ? "settings-nav__item is-active" : "settings-nav__item"}
                  aria-current={id === section ? "page" : undefined}
                  onClick={() => open(id)}
                  data-testid={`settings-nav-${id}`}
                >
                  {ta(`nav.${id}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="settings-panel" data-testid={`settings-panel-${section}`}>
          {SCREENS[section]()}
        </div>
      </div>
    </div>
  );
}
