import { describe, expect, it } from "vitest";
import { renderHook } from "@testing-library/react";
import { initI18n } from "../i18n";
import { useMoney } from "./settings";

describe("money as the settings say", () => {
  it("shows the rial without decimals, also for a computed amount with a fraction", () => {
    initI18n("en");
    const { result } = renderHook(() => useMoney());
    expect(result.current("1344150000.5")).not.toMatch(/\.\d/);
    expect(result.current("451200000")).toMatch(/^451,200,000 /);
    expect(result.current("451200000", { withCurrency: false })).toBe("451,200,000");
  });
});
