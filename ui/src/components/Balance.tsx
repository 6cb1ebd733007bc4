import { useTranslation } from "react-i18next";
import { useAppSettings } from "../app/settings";
import { formatMoney, parseDecimal } from "../lib/format";

export type BalanceSide = "owes" | "owed" | "none";

/** Which side a balance is on: positive = the customer owes, negative = the customer is owed. */
export function balanceSide(value: string): BalanceSide {
  const d = parseDecimal(value);
  if (!d || (/^0*$/.test(d.int) && /^0*$/.test(d.frac))) return "none";
  return d.negative ? "owed" : "owes";
}

/** "Owes 1,200,000 IRR" / "Is owed …" / "None", from the backend's balance string. */
export function Balance({ value, testId }: { value: string; testId?: string }) {
  const { t } = useTranslation();
  const { language, currencyCode, currencyDecimals } = useAppSettings();
  const side = balanceSide(value);
  const amount = formatMoney(value.trim().replace(/^[-+]/, ""), language, { currency: currencyCode, decimals: currencyDecimals });
  return (
    <span className={`balance balance--${side}`} data-testid={testId} data-side={side}>
      {side === "none" ? t("balance.none") : t(side === "owes" ? "balance.owes" : "balance.owed", { amount })}
    </span>
  );
}
