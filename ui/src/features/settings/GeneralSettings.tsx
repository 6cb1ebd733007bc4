import { useTranslation } from "react-i18next";
import type { Calendar, Language } from "../../lib/types";
import { useAppSettings, useSettingsQuery, useToday } from "../../app/settings";
import { Segmented } from "../../components/Field";
import { formatDate } from "../../lib/format";
import { CompanySettings, MoneySettings, NumberingSettings, TimeZoneSettings } from "./BusinessSettings";

/** Language and calendar, and the money, time zone, printout and numbering settings. */
export function GeneralSettings() {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const { language, calendar, fromBackend, setLanguage, setCalendar } = useAppSettings();
  const today = useToday();
  // Same query as the SettingsProvider's; the cards below edit what it holds.
  const settings = useSettingsQuery();

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
    </>
  );
}

