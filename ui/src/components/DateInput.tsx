import { useState, type InputHTMLAttributes, type Ref } from "react";
import { useTranslation } from "react-i18next";
import type { Calendar } from "../lib/types";
import { useAppSettings } from "../app/settings";
import { formatDate, parseDateInput } from "../lib/format";

export type DateInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type" | "defaultValue"> & {
  /** ISO date (yyyy-mm-dd) or null. */
  value: string | null;
  /** Receives an ISO date, or null when the box is empty or holds no valid date. */
  onChange: (iso: string | null) => void;
  /** Calendar to type in; defaults to the calendar setting. */
  calendar?: Calendar;
  id: string;
  ref?: Ref<HTMLInputElement>;
};

/**
 * Typed date entry in the calendar of the setting (Jalali by default), with the
 * date in the other calendar shown underneath as a hint.
 */
export function DateInput({ value, onChange, calendar: fixedCalendar, id, className, ref, onBlur, ...rest }: DateInputProps) {
  const { t } = useTranslation();
  const settings = useAppSettings();
  const calendar = fixedCalendar ?? settings.calendar;
  const lang = settings.language;
  const other: Calendar = calendar === "jalali" ? "gregorian" : "jalali";

  const [text, setText] = useState(() => formatDate(value, calendar, lang));
  const [touched, setTouched] = useState(false);
  const [synced, setSynced] = useState(`${calendar}|${lang}|${value ?? ""}`);
  const key = `${calendar}|${lang}|${value ?? ""}`;
  if (synced !== key) {
    setSynced(key);
    const parsed = parseDateInput(text, calendar);
    const current = parsed.ok ? parsed.iso : null;
    if (current !== value || !synced.startsWith(`${calendar}|${lang}|`)) setText(formatDate(value, calendar, lang));
  }

  const parsed = parseDateInput(text, calendar);
  const hintId = `${id}-date-hint`;
  let hint: string | null = null;
  let invalid = false;
  if (parsed.ok) {
    hint = t(other === "jalali" ? "date.hintJalali" : "date.hintGregorian", { date: formatDate(parsed.iso, other, lang) });
  } else if (parsed.error !== "empty" && touched) {
    invalid = true;
    hint = t(parsed.error === "format" ? "date.errorFormat" : "date.errorInvalid");
  }

  const describedBy = [rest["aria-describedby"], hint ? hintId : null].filter(Boolean).join(" ") || undefined;

  return (
    <div className="date-input">
      <input
        {...rest}
        ref={ref}
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        dir="ltr"
        placeholder={t(calendar === "jalali" ? "date.placeholderJalali" : "date.placeholderGregorian")}
        className={["input", "input--date", className ?? ""].filter(Boolean).join(" ")}
        aria-describedby={describedBy}
        aria-invalid={invalid || rest["aria-invalid"] ? true : undefined}
        value={text}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          const result = parseDateInput(next, calendar);
          const iso = result.ok ? result.iso : null;
          setSynced(`${calendar}|${lang}|${iso ?? ""}`);
          onChange(iso);
        }}
        onBlur={(e) => {
          setTouched(true);
          onBlur?.(e);
        }}
      />
      {hint ? (
        <p id={hintId} className={invalid ? "field__error" : "field__help"}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
