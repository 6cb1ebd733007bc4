import { beforeEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { initI18n } from "../i18n";
import i18n from "i18next";
import { act } from "react";
import { MoneyInput, readTypedAmount } from "./MoneyInput";
import { DateInput } from "./DateInput";
import { Field } from "./Field";

function MoneyHarness({ decimals, initial = "" }: { decimals?: number; initial?: string }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <Field label="Amount">{(p) => <MoneyInput {...p} value={value} onChange={setValue} decimals={decimals} />}</Field>
      <output data-testid="value">{value}</output>
    </>
  );
}

function DateHarness() {
  const [value, setValue] = useState<string | null>(null);
  return (
    <>
      <Field label="Due date">{(p) => <DateInput {...p} value={value} onChange={setValue} />}</Field>
      <output data-testid="value">{value ?? ""}</output>
    </>
  );
}

describe("MoneyInput", () => {
  beforeEach(() => {
    initI18n("en");
  });

  it("groups thousands while typing and emits a decimal string", async () => {
    const user = userEvent.setup();
    render(<MoneyHarness />);
    const input = screen.getByLabelText("Amount") as HTMLInputElement;
    await user.type(input, "1234567");
    expect(input.value).toBe("1,234,567");
    expect(screen.getByTestId("value").textContent).toBe("1234567");
  });

  it("accepts Persian digits and shows them in fa", async () => {
    await act(async () => {
      await i18n.changeLanguage("fa");
    });
    const user = userEvent.setup();
    render(<MoneyHarness />);
    const input = screen.getByLabelText("Amount") as HTMLInputElement;
    await user.type(input, "۱۲۳۴۵");
    expect(input.value).toBe("۱۲٬۳۴۵");
    expect(screen.getByTestId("value").textContent).toBe("12345");
  });

  it("keeps only the allowed fraction digits", () => {
    expect(readTypedAmount("12.345", 2)).toEqual({ int: "12", frac: "34", dot: true });
    expect(readTypedAmount("12.345", 0)).toEqual({ int: "12345", frac: "", dot: false });
    expect(readTypedAmount("0012,000", 0)).toEqual({ int: "12000", frac: "", dot: false });
  });

  it("shows an initial value formatted", () => {
    render(<MoneyHarness initial="1500000.5" decimals={2} />);
    expect((screen.getByLabelText("Amount") as HTMLInputElement).value).toBe("1,500,000.5");
  });
});

describe("DateInput", () => {
  beforeEach(() => {
    initI18n("en");
  });

  it("reads a Jalali date and hints the Gregorian one", async () => {
    const user = userEvent.setup();
    render(<DateHarness />);
    await user.type(screen.getByLabelText("Due date"), "1403/01/01");
    expect(screen.getByTestId("value").textContent).toBe("2024-03-20");
    expect(screen.getByText("Gregorian: 2024/03/20")).toBeTruthy();
  });

  it("reports an impossible date after leaving the box", async () => {
    const user = userEvent.setup();
    render(<DateHarness />);
    const input = screen.getByLabelText("Due date");
    await user.type(input, "1402/12/30");
    await user.tab();
    expect(screen.getByText("This date does not exist.")).toBeTruthy();
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("value").textContent).toBe("");
  });
});
