// App-wide settings (language, calendar, currency).
//
// Language persistence: the language is applied before the first render from
// localStorage (so the layout does not flip), then the backend's settings
// (getSettings) win once they arrive. Switching the language saves it both to
// localStorage and to the backend (updateSettings); when the backend is not
// reachable, localStorage alone remembers it.

import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { AppSettings, Calendar, Language, SettingsPatch } from "../lib/types";
import { appErrorOf, commands, unwrap } from "../lib/api";
import { DEFAULT_LANGUAGE, isLanguage } from "../i18n";
import { isoDateIn, setTimeZone } from "../lib/clock";
import { formatMoney } from "../lib/format";

const LANGUAGE_KEY = "forsat.language";
const CALENDAR_KEY = "forsat.calendar";

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage may be unavailable; the backend setting still applies.
  }
}

/** The language to start with, before the backend has answered. */
export function storedLanguage(): Language {
  const value = readStorage(LANGUAGE_KEY);
  return isLanguage(value) ? value : DEFAULT_LANGUAGE;
}

function storedCalendar(): Calendar {
  const value = readStorage(CALENDAR_KEY);
  return value === "gregorian" ? "gregorian" : "jalali";
}

export type SettingsContextValue = {
  language: Language;
  calendar: Calendar;
  currencyCode: string;
  currencyDecimals: number;
  /** The IANA zone "today" and date-times are taken in (undefined: this computer's). */
  timeZone: string | undefined;
  /** True once the backend's settings were loaded. */
  fromBackend: boolean;
  setLanguage: (lang: Language) => void;
  setCalendar: (calendar: Calendar) => void;
};

const SettingsContext = createContext<SettingsContextValue | null>(null);

export const settingsQueryKey = ["settings"] as const;

/** The settings as the backend holds them (one query, shared by every screen that reads them). */
export function useSettingsQuery({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery<AppSettings>({
    queryKey: settingsQueryKey,
    queryFn: () => unwrap(commands.getSettings()),
    staleTime: Infinity,
    retry: false,
    enabled,
  });
}

/** Saves a patch and puts the answer where every screen reads the settings. */
export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: SettingsPatch) => unwrap(commands.updateSettings(patch)),
    onSuccess: (data: AppSettings) => queryClient.setQueryData(settingsQueryKey, data),
  });
}

export function SettingsProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const language: Language = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  const [localCalendar, setLocalCalendar] = useState<Calendar>(storedCalendar);

  const settings = useSettingsQuery();

  const update = useMutation({
    mutationFn: (patch: SettingsPatch) => unwrap(commands.updateSettings(patch)),
    onSuccess: (data: AppSettings) => queryClient.setQueryData(settingsQueryKey, data),
    onError: (error) => {
      // Nobody is signed in (the sign-in screen): the choice is saved once someone is.
      const appError = appErrorOf(error);
      if (appError?.kind === "forbidden" && appError.reason === "not_signed_in") return;
      console.warn("Settings were kept on this device only:", error);
    },
  });
  const { mutate } = update;

  // Apply the backend's language once per signed-in user (their own choice), unless
  // the user already switched: a switch made before the settings arrived (e.g. on
  // the sign-in screen) wins, and is saved for them. Signing in or out resets the
  // settings query (features/session), which starts this over.
  const userChose = useRef(false);
  const appliedBackend = useRef(false);
  const backendLanguage = settings.data?.language;
  const backendCalendar = settings.data?.calendar;
  useEffect(() => {
    if (!backendLanguage) {
      if (appliedBackend.current) {
        appliedBackend.current = false;
        userChose.current = false;
      }
      return;
    }
    if (appliedBackend.current) return;
    appliedBackend.current = true;
    if (backendCalendar) writeStorage(CALENDAR_KEY, backendCalendar);
    if (userChose.current) {
      if (isLanguage(i18n.language) && backendLanguage !== i18n.language) mutate({ language: i18n.language });
      return;
    }
    writeStorage(LANGUAGE_KEY, backendLanguage);
    if (backendLanguage !== i18n.language) void i18n.changeLanguage(backendLanguage);
  }, [backendLanguage, backendCalendar, i18n, mutate]);

  const setLanguage = useCallback(
    (lang: Language) => {
      userChose.current = true;
      writeStorage(LANGUAGE_KEY, lang);
      void i18n.changeLanguage(lang);
      mutate({ language: lang });
    },
    [i18n, mutate],
  );

  const setCalendar = useCallback(
    (calendar: Calendar) => {
      writeStorage(CALENDAR_KEY, calendar);
      setLocalCalendar(calendar);
      queryClient.setQueryData<AppSettings>(settingsQueryKey, (old) => (old ? { ...old, calendar } : old));
      mutate({ calendar });
    },
    [mutate, queryClient],
  );

  // The one clock of the UI follows the backend's zone (lib/clock.ts).
  const timeZone = settings.data?.timeZone;
  setTimeZone(timeZone);

  const value = useMemo<SettingsContextValue>(
    () => ({
      language,
      calendar: settings.data?.calendar ?? localCalendar,
      currencyCode: settings.data?.currencyCode ?? "IRR",
      currencyDecimals: settings.data?.currencyDecimals ?? 0,
      timeZone,
      fromBackend: settings.isSuccess,
      setLanguage,
      setCalendar,
    }),
    [language, localCalendar, settings.data, settings.isSuccess, timeZone, setLanguage, setCalendar],
  );

  return <SettingsContext value={value}>{children}</SettingsContext>;
}

const FALLBACK: Omit<SettingsContextValue, "language"> = {
  calendar: "jalali",
  currencyCode: "IRR",
  currencyDecimals: 0,
  timeZone: undefined,
  fromBackend: false,
  setLanguage: () => undefined,
  setCalendar: () => undefined,
};

/** Current settings. Outside a SettingsProvider (e.g. in component tests) it gives the defaults. */
export function useAppSettings(): SettingsContextValue {
  const ctx = use(SettingsContext);
  const { i18n } = useTranslation();
  if (ctx) return ctx;
  return { ...FALLBACK, language: isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE };
}

/**
 * Money as the settings say: the configured currency, its decimals (none for the
 * rial) and the language's digits. `withCurrency: false` leaves the currency's name off.
 */
export function useMoney(): (value: string, options?: { withCurrency?: boolean }) => string {
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  return useCallback(
    (value, options) => formatMoney(value, language, { currency: currencyCode, decimals: currencyDecimals, withCurrency: options?.withCurrency }),
    [language, currencyCode, currencyDecimals],
  );
}

/** Today (ISO date) in the configured time zone: every "today" the UI shows or sends. */
export function useToday(): string {
  const { timeZone } = useAppSettings();
  return isoDateIn(new Date(), timeZone);
}
