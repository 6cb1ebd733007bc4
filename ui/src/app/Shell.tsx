import { lazy, Suspense, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { IconBox, IconChart, IconSettings, IconTarget, IconUsers } from "../components/icons";
import { IdentitiesPage } from "../features/identities/IdentitiesPage";
import { Bell } from "../features/bell/Bell";
import { IconToday } from "../features/bell/icons";
import { useReminderWatcher } from "../features/bell/useReminderWatcher";
import { EmptyState, Loading } from "../components/States";
import { useSession } from "../features/session/queries";
import { DemoBadge, PasswordNotice, SignOutButton, UserMenu } from "../features/session/SessionHeader";
import { SetPasswordDialog } from "../features/session/SetPasswordDialog";
import { useAppInfo } from "../shared/lookups";
import { toLocalDigits } from "../lib/format";
import { Brand } from "./Brand";
import { UpdateNotice } from "./desktop/UpdateNotice";
import { useDesktopMenu } from "./desktop/useDesktopMenu";
import { useOpenedFiles } from "./desktop/useOpenedFiles";
import { useUpdateNotice } from "./desktop/useUpdateNotice";
import { ConnectionBanner } from "./live/ConnectionBanner";
import { useLiveUpdates } from "./live/useLiveUpdates";
import { LanguageSwitch } from "./LanguageSwitch";
import { navigate, paths, useRoute, type Route } from "./router";
import { SECTIONS, type SectionId } from "./sections";
import { useAppSettings } from "./settings";

// Reports draw with ECharts; loading them on demand keeps it out of the main chunk.
const ReportsPage = lazy(() => import("../features/reports/ReportsPage"));
// Each screen is its own chunk: the first paint loads only the shell and the first screen.
const IdentityPage = lazy(() => import("../features/identities/IdentityPage").then((m) => ({ default: m.IdentityPage })));
const OpportunityPage = lazy(() => import("../features/opportunities/OpportunityPage").then((m) => ({ default: m.OpportunityPage })));
const FinancialPage = lazy(() => import("../features/financial/FinancialPage").then((m) => ({ default: m.FinancialPage })));
const PrintView = lazy(() => import("../features/financial/PrintView").then((m) => ({ default: m.PrintView })));
const ProductsPage = lazy(() => import("../features/products/ProductsPage").then((m) => ({ default: m.ProductsPage })));
const PipelinePage = lazy(() => import("../features/pipeline/PipelinePage").then((m) => ({ default: m.PipelinePage })));
const ImportPage = lazy(() => import("../features/transfer/ImportPage").then((m) => ({ default: m.ImportPage })));
const MyDayPage = lazy(() => import("../features/today/MyDayPage").then((m) => ({ default: m.MyDayPage })));
const SettingsPage = lazy(() => import("../features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));


const ICONS: Record<SectionId, ReactNode> = {
  today: <IconToday />,
  identities: <IconUsers />,
  opportunities: <IconTarget />,
  products: <IconBox />,
  reports: <IconChart />,
  settings: <IconSettings />,
};

export function Shell() {
  const { t } = useTranslation();
  const { t: tt } = useTranslation("transfer");
  const { language } = useAppSettings();
  const route = useRoute();
  const section = sectionOf(route);
  const appInfo = useAppInfo();
  // Shown under SessionGate: the session is loaded and someone is signed in.
  const session = useSession().data;
  const user = session?.user ?? null;
  const [settingPassword, setSettingPassword] = useState(false);
  // Live team updates: what others (and this user elsewhere) commit refreshes the screens on view.
  const live = useLiveUpdates(user?.id ?? null);
  // Reminders ring on time (OS notifications), and the bell stays up to date.
  useReminderWatcher(user?.id ?? null);
  // The desktop program: its native menu, the files it was handed, the quiet update check.
  const isAdmin = user?.role === "admin";
  useDesktopMenu(isAdmin);
  useOpenedFiles(isAdmin);
  const update = useUpdateNotice(user !== null);

  // The print view is a page of its own, without the app's chrome.
  if (route.name === "recordPrint") {
    return (
      <Suspense fallback={<Loading />}>
        <PrintView key={route.id} id={route.id} />
      </Suspense>
    );
  }

  return (
    <div className="shell">
      <aside className="sidebar">
        <Brand />
        <nav className="nav" aria-label={t("nav.label")}>
          <ul>
            {SECTIONS.map((id) => (
              <li key={id}>
                <button
                  type="button"
                  className={id === section ? "nav__item is-active" : "nav__item"}
                  aria-current={id === section ? "page" : undefined}
                  onClick={() => navigate(sectionHash(id))}
                  data-testid={`nav-${id}`}
                >
                  <span className="nav__icon" aria-hidden="true">
                    {ICONS[id]}
                  </span>
                  {t(`nav.${id}`)}
                </button>
                {id === "opportunities" ? (
                  <button
                    type="button"
                    className={route.name === "opportunitiesImport" ? "nav__item nav__item--sub is-active" : "nav__item nav__item--sub"}
                    aria-current={route.name === "opportunitiesImport" ? "page" : undefined}
                    onClick={() => navigate(paths.importOpportunities())}
                    data-testid="nav-opportunities-import"
                  >
                    {tt("nav.import")}
                  </button>
                ) : null}
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
          {session ? <DemoBadge session={session} /> : null}
          {user ? <Bell /> : null}
          {user ? <UserMenu user={user} needsPassword={session?.needsPassword ?? false} onChangePassword={() => setSettingPassword(true)} /> : null}
          {user ? <SignOutButton /> : null}
          <LanguageSwitch />
        </header>
        {live.online ? null : <ConnectionBanner />}
        {session?.needsPassword ? <PasswordNotice onSet={() => setSettingPassword(true)} /> : null}
        {update.available ? <UpdateNotice update={update.available} onDismiss={update.dismiss} /> : null}
        <main className="content">
          <Suspense fallback={<Loading />}>
            <Screen route={route} />
          </Suspense>
        </main>
      </div>
      {settingPassword && user ? <SetPasswordDialog user={user} onClose={() => setSettingPassword(false)} /> : null}
    </div>
  );
}

/** Where a section's navigation item leads. */
function sectionHash(id: SectionId): string {
  if (id === "identities") return paths.identities();
  if (id === "today") return paths.today();
  return paths.section(id);
}

function sectionOf(route: Route): SectionId {
  switch (route.name) {
    case "today":
      return "today";
    case "identities":
    case "identity":
    case "notFound":
    case "record":
    case "recordNew":
    case "recordPrint":
      return "identities";
    case "products":
      return "products";
    case "opportunity":
    case "opportunityNew":
    case "opportunityList":
    case "opportunitiesImport":
      return "opportunities";
    case "section":
      return route.section;
  }
}

function Screen({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route.name) {
    case "today":
      return <MyDayPage />;
    case "identities":
      return <IdentitiesPage />;
    case "identity":
      return <IdentityPage key={route.id} id={route.id} tab={route.tab} />;
    case "opportunityNew":
      return <OpportunityPage key="new" id={null} identityId={route.identityId} tab="specifications" />;
    case "opportunity":
      return <OpportunityPage key={route.id} id={route.id} identityId={null} tab={route.tab} />;
    case "opportunitiesImport":
      return <ImportPage />;
    case "record":
      return <FinancialPage key={route.id} mode="existing" id={route.id} />;
    case "recordNew":
      return <FinancialPage key={`new-${route.kind}-${route.identityId}-${route.opportunityId}-${route.parentId}`} mode="new" kind={route.kind} identityId={route.identityId} opportunityId={route.opportunityId} parentId={route.parentId} />;
    case "recordPrint":
      return null;
    case "products":
      return <ProductsPage />;
    case "opportunityList":
      return <PipelinePage view={route.view} query={route.query} />;
    case "section":
      if (route.section === "reports") return <ReportsPage />;
      return <SettingsPage />;
    case "notFound":
      return (
        <div className="page">
          <EmptyState
            title={t("route.notFoundTitle")}
            body={t("route.notFoundBody")}
            action={
              <a className="btn btn--secondary btn--md" href={paths.identities()}>
                {t("route.backToIdentities")}
              </a>
            }
          />
        </div>
      );
  }
}
