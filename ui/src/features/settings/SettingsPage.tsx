import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AppSettings, Calendar, Language } from "../../lib/types";
import { settingsQueryKey, useAppSettings } from "../../app/settings";
import { Segmented } from "../../components/Field";
import { commands, unwrap } from "../../lib/api";
import { currencyName, formatDate, formatDecimal, formatNumber } from "../../lib/format";

function todayIso(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function SettingsPage() {
  const { t } = useTranslation("settings");
  const { t: tc } = useTranslation("common");
  const { language, calendar, currencyCode, currencyDecimals, fromBackend, setLanguage, setCalendar } = useAppSettings();
  // Same query as the SettingsProvider's; read here for the tax rate.
  const settings = useQuery<AppSettings>({
    queryKey: settingsQueryKey,
    queryFn: () => unwrap(commands.getSettings()),
    staleTime: Infinity,
    retry: false,
  });

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">{t("title")}</h1>
          <p className="page__subtitle">{t("subtitle")}</p>
        </div>
      </header>
      <div className="page__body">
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
            <p className="field__help">{t("calendarHelp", { today: formatDate(todayIso(), calendar, language) })}</p>
          </div>
          <dl className="settings__facts">
            <div>
              <dt>{t("currency")}</dt>
              <dd>
                {t("currencyValue", {
                  name: currencyName(currencyCode, language),
                  code: currencyCode,
                  decimals: formatNumber(currencyDecimals, language),
                })}
              </dd>
            </div>
            {settings.data ? (
              <div>
                <dt>{t("tax")}</dt>
                <dd>{t("taxValue", { percent: formatDecimal(settings.data.taxPercent, language) })}</dd>
              </div>
            ) : null}
          </dl>
          <p className="field__help">{t("moreLater")}</p>
        </div>
      </div>
    </div>
  );
}
