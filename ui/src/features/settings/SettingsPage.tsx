import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { navigate, paths, useRouteQuery, type SettingsSectionId } from "../../app/router";
import { CampaignsAdmin } from "../admin/CampaignsAdmin";
import { CustomFieldsAdmin } from "../admin/CustomFieldsAdmin";
import { StagesAdmin } from "../admin/StagesAdmin";
import { SystemListsAdmin } from "../admin/SystemListsAdmin";
import { TeamsAdmin } from "../admin/TeamsAdmin";
import { UsersAdmin } from "../admin/UsersAdmin";
import { AboutSettings } from "./AboutSettings";
import { BackupSettings } from "./BackupSettings";
import { GeneralSettings } from "./GeneralSettings";
import { useSession } from "../session/queries";
import "../admin/admin.css";

export type SettingsSection = SettingsSectionId;

export const SETTINGS_SECTIONS: readonly SettingsSection[] = ["general", "lists", "stages", "fields", "campaigns", "users", "teams", "backup", "about"];

/** Sections only administrators see (the others show read-only to everyone). */
const ADMIN_ONLY: readonly SettingsSection[] = ["backup"];

/** What a section's screen is told by the address (#/settings?section=about&check=1). */
type ScreenProps = { check: boolean };

const SCREENS: Record<SettingsSection, (props: ScreenProps) => ReactNode> = {
  general: () => <GeneralSettings />,
  lists: () => <SystemListsAdmin />,
  stages: () => <StagesAdmin />,
  fields: () => <CustomFieldsAdmin />,
  campaigns: () => <CampaignsAdmin />,
  users: () => <UsersAdmin />,
  teams: () => <TeamsAdmin />,
  backup: () => <BackupSettings />,
  about: ({ check }) => <AboutSettings checkRequested={check} onCheckTaken={() => navigate(paths.settings("about"), { replace: true })} />,
};

const SECTION_KEY = "forsat.settingsSection";

const sectionOf = (value: string | null): SettingsSection | null => SETTINGS_SECTIONS.find((s) => s === value) ?? null;

function storedSection(): SettingsSection {
  try {
    return sectionOf(window.sessionStorage.getItem(SECTION_KEY)) ?? "general";
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

/**
 * Settings: a sub-navigation of sections (General, the administration screens, About).
 * The address may name the section (`paths.settings("about")`: the menu and other
 * screens link there); plain #/settings opens the one shown last in this window.
 */
export function SettingsPage() {
  const { t } = useTranslation("settings");
  const { t: ta } = useTranslation("admin");
  const isAdmin = useSession().data?.user?.role === "admin";
  const sections = SETTINGS_SECTIONS.filter((s) => isAdmin || !ADMIN_ONLY.includes(s));
  const query = useRouteQuery();
  const asked = sectionOf(query.get("section"));
  const [chosen, setSection] = useState<SettingsSection>(() => asked ?? storedSection());
  // A section named by the address (again, while the page is open) is the one shown.
  const [lastAsked, setLastAsked] = useState(asked);
  if (asked !== lastAsked) {
    setLastAsked(asked);
    if (asked) setSection(asked);
  }
  const section = sections.includes(chosen) ? chosen : "general";
  useEffect(() => {
    if (asked) remember(asked);
  }, [asked]);

  const open = (next: SettingsSection) => {
    setSection(next);
    remember(next);
    // The address says which section it asked for: it no longer does.
    if (asked !== null) navigate(paths.settings(), { replace: true });
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
          {SCREENS[section]({ check: section === "about" && query.get("check") === "1" })}
        </div>
      </div>
    </div>
  );
}
