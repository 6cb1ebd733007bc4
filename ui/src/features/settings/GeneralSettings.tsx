import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AppSettings, Calendar, Language } from "../../lib/types";
import { settingsQueryKey, useAppSettings, useToday } from "../../app/settings";
import { Button } from "../../components/Button";
import { Field, Segmented } from "../../components/Field";
import { useToast } from "../../components/Toast";
import { commands, unwrap } from "../../lib/api";
import { formatDate } from "../../lib/format";
import { useDescribeAdminError } from "../admin/common";
import { useSwitchUser } from "../admin/queries";
import { CompanySettings, MoneySettings, NumberingSettings, TimeZoneSettings } from "./BusinessSettings";

/** Language and calendar, the money, printout and numbering settings, and acting as another user. */
export function GeneralSettings() {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const { language, calendar, fromBackend, setLanguage, setCalendar } = useAppSettings();
  const today = useToday();
  // Same query as the SettingsProvider's; the cards below edit what it holds.
  const settings = useQuery<AppSettings>({
    queryKey: settingsQueryKey,
    queryFn: () => unwrap(commands.getSettings()),
    staleTime: Infinity,
    retry: false,
  });

  return (
    <>
      <div className="card settings">
        {!fromBackend && !settings.isPending ? (
          <p className="notice" role="note">
            {t("localOnly")}
          </p>
        ) : null}
        <div className="settings__row">
          <Segmented<Language>
            legend={t("language")}
            name="settings-language"
            value={language}
            options={[
              { value: "fa", label: tc("language.fa") },
              { value: "en", label: tc("language.en") },
            ]}
            onChange={setLanguage}
          />
          <p className="field__help">{t("languageHelp")}</p>
        </div>
        <div className="settings__row">
          <Segmented<Calendar>
            legend={t("calendar")}
            name="settings-calendar"
            value={calendar}
            options={[
              { value: "jalali", label: t("jalali") },
              { value: "gregorian", label: t("gregorian") },
            ]}
            onChange={setCalendar}
          />
          <p className="field__help">{t("calendarHelp", { today: formatDate(today, calendar, language) })}</p>
        </div>
      </div>
      {settings.data ? (
        <>
          <MoneySettings settings={settings.data} />
          <TimeZoneSettings settings={settings.data} />
          <CompanySettings settings={settings.data} />
          <NumberingSettings settings={settings.data} />
        </>
      ) : null}
      <ActAsUser />
    </>
  );
}

/** "Act as user": the desktop app has no sign-in yet; an administrator may work as someone else. */
function ActAsUser() {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const describe = useDescribeAdminError();
  const appInfo = useQuery({
    queryKey: ["appInfo"],
    queryFn: () => unwrap(commands.appInfo()),
    staleTime: Infinity,
    retry: false,
  });
  const users = useQuery({
    queryKey: ["users", { includeInactive: false }],
    queryFn: () => unwrap(commands.listUsers(false)),
  });
  const switchUser = useSwitchUser();
  const current = appInfo.data?.currentUser ?? null;
  const [chosen, setChosen] = useState<string>("");
  const selectedId = chosen !== "" ? chosen : current ? String(current.id) : "";
  const selected = users.data?.find((u) => String(u.id) === selectedId) ?? null;
  const isAdmin = current?.role === "admin";
  const [error, setError] = useState<string | null>(null);

  const act = () => {
    if (!selected) return;
    setError(null);
    switchUser.mutate(selected.id, {
      onSuccess: (user) => {
        setChosen("");
        toast.show(t("actAs.switched", { name: user.displayName }));
      },
      onError: (e) => setError(describe(e)),
    });
  };

  return (
    <section className="card settings" aria-labelledby="settings-act-as">
      <div className="settings__row">
        <h2 className="form__section-title" id="settings-act-as">
          {t("actAs.title")}
        </h2>
        <p className="field__help">{t("actAs.note")}</p>
      </div>
      {current ? <p>{t("actAs.current", { name: current.displayName, role: t(`users.roles.${current.role}`) })}</p> : null}
      <div className="admin-act-as">
        <Field label={t("actAs.user")}>
          {(p) => (
            <select {...p} className="input" value={selectedId} disabled={!isAdmin || users.isPending} onChange={(e) => setChosen(e.target.value)} data-testid="settings-act-as-user">
              {users.isPending ? <option value="">{t("common.loadingOptions")}</option> : null}
              {users.data?.map((u) => (
                <option key={u.id} value={u.id}>
                  {t("actAs.option", { name: u.displayName, role: t(`users.roles.${u.role}`) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Button onClick={act} busy={switchUser.isPending} disabled={!isAdmin || !selected || selected.id === current?.id} data-testid="settings-act-as">
          {t("actAs.action")}
        </Button>
      </div>
      {!isAdmin && current ? (
        <p className="admin-note" role="note">
          {t("actAs.adminOnly")}
        </p>
      ) : selected && selected.role !== "admin" && selected.id !== current?.id ? (
        <p className="admin-note admin-note--warning" role="note">
          {t("actAs.noWayBack")}
        </p>
      ) : null}
      {users.isError ? (
        <p className="form-alert" role="alert">
          {describe(users.error)}
        </p>
      ) : null}
      {error ? (
        <p className="form-alert" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
