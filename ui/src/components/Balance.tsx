import { useTranslation } from "react-i18next";
import { useAppSettings } from "../app/settings";
import { formatMoney, parseDecimal } from "../lib/format";

export type BalanceSide = "owes" | "owed" | "none";

/** The backend's balance string; a balance that does not exist yet (nothing approved) counts as zero. */
function amountOf(value: string | null | undefined): string {
  const text = (value ?? "").trim();
  return parseDecimal(text) ? text : "0";
}

/** Which side a balance is on: positive = the customer owes, negative = the customer is owed. */
export function balanceSide(value: string | null | undefined): BalanceSide {
  const d = parseDecimal(amountOf(value));
  if (!d || (/^0*$/.test(d.int) && /^0*$/.test(d.frac))) return "none";
  return d.negative ? "owed" : "owes";
}

/** "Owes 1,200,000 IRR" / "Is owed …" / "0 IRR", from the backend's balance string. */
export function Balance({ value, testId }: { value: string | null | undefined; testId?: string }) {
  const { t } = useTranslation();
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const side = balanceSide(value);
  const amount = formatMoney(amountOf(value).replace(/^[-+]/, ""), language, { currency: currencyCode, decimals: currencyDecimals });
  return (
    <span className={`balance balance--${side}`} data-testid={testId} data-side={side}>
      {side === "none" ? amount : t(side === "owes" ? "balance.owes" : "balance.owed", { amount })}
    </span>
  );
}
