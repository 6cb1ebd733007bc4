// Activities in words: the reminder choices and the due day and time, in the
// language's digits and the calendar of the setting.

import { useTranslation } from "react-i18next";
import { useAppSettings } from "../../app/settings";
import { formatDate, formatNumber, toLocalDigits } from "../../lib/format";
import type { Activity } from "../../lib/types";

/** "At the due time", "15 minutes before", "1 hour before", "1 day before". */
export function useReminderLabel(): (minutes: number) => string {
  const { t } = useTranslation("activities");
  const { language } = useAppSettings();
  return (minutes) => {
    if (minutes === 0) return t("reminder.atTime");
    if (minutes === 60) return t("reminder.hour");
    if (minutes === 1440) return t("reminder.day");
    return t("reminder.minutes", { minutes: formatNumber(minutes, language) });
  };
}

/** The due day (and time) of an activity; "" when it has none. */
export function useDueText(): (activity: Pick<Activity, "dueOn" | "dueTime">) => string {
  const { language, calendar } = useAppSettings();
  return (a) => {
    if (!a.dueOn) return "";
    const day = formatDate(a.dueOn, calendar, language);
    return a.dueTime ? `${day} ${toLocalDigits(a.dueTime, language)}` : day;
  };
}
