import { useLayoutEffect, useRef, useState, type InputHTMLAttributes, type Ref } from "react";
import { useAppSettings } from "../app/settings";
import { groupDigits, normalizeDigits, numberSymbols, toLocalDigits, type Lang } from "../lib/format";

type Typed = { int: string; frac: string; dot: boolean };

/**
 * Reads what the user typed: any digits (Persian, Arabic or ASCII), grouping
 * separators are dropped, "." / "٫" start the fraction (only when decimals > 0).
 */
export function readTypedAmount(text: string, decimals: number): Typed {
  const s = normalizeDigits(text);
  let int = "";
  let frac = "";
  let dot = false;
  for (const ch of s) {
    if (ch >= "0" && ch <= "9") {
      if (dot) {
        if (frac.length < decimals) frac += ch;
      } else int += ch;
    } else if ((ch === "." || ch === "\u066B") && decimals > 0 && !dot) {
      dot = true;
    }
  }
  int = int.replace(/^0+(?=\d)/, "");
  if (dot && int === "") int = "0";
  return { int, frac, dot };
}

/** The decimal string ("" when empty) of a typed amount. */
export function typedToDecimal(t: Typed): string {
  if (t.int === "" && !t.dot) return "";
  return t.frac ? `${t.int}.${t.frac}` : t.int;
}

/** The text shown in the box for a typed amount: grouped, in the language's digits. */
export function displayTyped(t: Typed, lang: Lang): string {
  const sym = numberSymbols(lang);
  const body = groupDigits(t.int, sym.group) + (t.dot ? sym.decimal + t.frac : "");
  return toLocalDigits(body, lang);
}

function isSignificant(ch: string): boolean {
  return /[0-9\u06F0-\u06F9\u0660-\u0669.\u066B]/.test(ch);
}

function countSignificant(text: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < text.length; i++) if (isSignificant(text[i] as string)) n++;
  return n;
}

function positionAfterSignificant(text: string, count: number): number {
  if (count <= 0) return 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    if (isSignificant(text[i] as string)) n++;
    if (n === count) return i + 1;
  }
  return text.length;
}

export type MoneyInputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange" | "type" | "defaultValue"> & {
  /** Decimal string ("1234.5"), or "" for empty. */
  value: string;
  /** Receives a decimal string ("" when cleared). */
  onChange: (value: string) => void;
  /** Fraction digits allowed; defaults to the currency's decimals from the settings. */
  decimals?: number;
  ref?: Ref<HTMLInputElement>;
};

/** A money box that groups thousands as you type and accepts Persian digits. */
export function MoneyInput({ value, onChange, decimals, className, ref, ...rest }: MoneyInputProps) {
  const { language, currencyDecimals } = useAppSettings();
  const maxDecimals = decimals ?? currencyDecimals;
  const format = (v: string) => displayTyped(readTypedAmount(v, maxDecimals), language);

  const [text, setText] = useState(() => format(value));
  const [synced, setSynced] = useState(`${language}|${value}`);
  // A new value from outside (or a language switch) resets the text.
  if (synced !== `${language}|${value}`) {
    setSynced(`${language}|${value}`);
    if (value !== typedToDecimal(readTypedAmount(text, maxDecimals)) || !synced.startsWith(`${language}|`)) {
      setText(format(value));
    }
  }

  const inner = useRef<HTMLInputElement | null>(null);
  const caret = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caret.current !== null && inner.current && document.activeElement === inner.current) {
      inner.current.setSelectionRange(caret.current, caret.current);
    }
    caret.current = null;
  });

  const setRefs = (el: HTMLInputElement | null) => {
    inner.current = el;
    if (typeof ref === "function") ref(el);
    else if (ref) ref.current = el;
  };

  return (
    <input
      {...rest}
      ref={setRefs}
      type="text"
      inputMode="decimal"
      autoComplete="off"
      dir="ltr"
      className={["input", "input--number", className ?? ""].filter(Boolean).join(" ")}
      value={text}
      onChange={(e) => {
        const raw = e.target.value;
        const significantBefore = countSignificant(raw, e.target.selectionStart ?? raw.length);
        const typed = readTypedAmount(raw, maxDecimals);
        const next = displayTyped(typed, language);
        caret.current = positionAfterSignificant(next, significantBefore);
        setText(next);
        const decimal = typedToDecimal(typed);
        setSynced(`${language}|${decimal}`);
        onChange(decimal);
      }}
    />
  );
}
