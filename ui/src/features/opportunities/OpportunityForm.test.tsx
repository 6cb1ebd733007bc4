import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { CustomFieldDef } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";

let backend: MockBackend;

const deliveryField: CustomFieldDef = {
  id: 12,
  version: 1,
  entity: "opportunity",
  key: "delivery",
  titleFa: "نحوهٔ ارسال",
  titleEn: "Delivery method",
  fieldType: "choice",
  required: true,
  helpFa: null,
  helpEn: null,
  groupFa: "ارسال",
  groupEn: "Shipping",
  sortOrder: 1,
  options: [
    { key: "post", fa: "پست", en: "Post" },
    { key: "courier", fa: "پیک", en: "Courier" },
  ],
  active: true,
};

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme, makeIdentity(2, { displayName: "Rival Co", kind: "organization", isCompetitor: true, isCustomer: false })],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme", customFields: [{ fieldId: 12, value: "post" }] })],
    customFields: [deliveryField],
    settings: { language: "en", calendar: "jalali", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  window.history.replaceState(null, "", "#/opportunities/5");
});

afterEach(() => {
  clearMocks();
});

async function openForm() {
  render(<App />);
  return screen.findByTestId("opportunity-form");
}

describe("Opportunity form", () => {
  it("labels every numbered field and shows numbers on demand", async () => {
    const user = userEvent.setup();
    await openForm();
    for (const label of ["Title", "Type", "Source", "Assigned to", "Campaign", "Close date", "Estimated amount", "Probability", "Win reason", "Loss reason", "Purchase process", "Win date", "Loss date", "Delivery method"]) {
      expect(screen.getByLabelText(label)).toBeTruthy();
    }
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Laptops for Acme");
    expect(screen.getByLabelText("Title").getAttribute("aria-describedby")).toBeTruthy();
    expect(document.querySelectorAll("[data-field-number]")).toHaveLength(0);
    await user.click(screen.getByTestId("toggle-field-numbers"));
    expect(document.querySelectorAll("[data-field-number]").length).toBeGreaterThanOrEqual(19);
    expect(window.localStorage.getItem("forsat.showFieldNumbers")).toBe("1");
    // The numbers never change the accessible names.
    expect(screen.getByLabelText("Title")).toBeTruthy();
  });

  it("enables the win reason only on a won stage, follows stage probabilities and clears reasons when leaving", async () => {
    const user = userEvent.setup();
    await openForm();
    const winReason = screen.getByLabelText("Win reason") as HTMLSelectElement;
    const lossReason = screen.getByLabelText("Loss reason") as HTMLSelectElement;
    const probability = screen.getByLabelText("Probability") as HTMLInputElement;
    expect(winReason.disabled).toBe(true);
    expect(lossReason.disabled).toBe(true);

    await user.click(screen.getByRole("radio", { name: "Negotiation" }));
    expect(probability.value).toBe("60");

    await user.click(screen.getByTestId("stage-won"));
    expect(winReason.disabled).toBe(false);
    expect(lossReason.disabled).toBe(true);
    expect(probability.value).toBe("100");
    expect(probability.readOnly).toBe(true);
    await user.selectOptions(winReason, "Good price");
    expect(winReason.value).toBe("20");

    await user.click(screen.getByTestId("stage-lost"));
    expect(winReason.value).toBe("");
    expect(winReason.disabled).toBe(true);
    expect(lossReason.disabled).toBe(false);
    expect(probability.value).toBe("0");

    await user.click(screen.getByTestId("stage-needs"));
    expect(probability.value).toBe("25");
    await user.clear(probability);
    await user.type(probability, "40");
    await user.click(screen.getByTestId("stage-negotiation"));
    expect(probability.value).toBe("40");

    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByText("“Laptops for Acme” was saved.");
    const sent = backend.calls.filter((c) => c.cmd === "update_opportunity").at(-1)?.args as { input: { probability: string; probabilityIsManual: boolean; stageId: number } };
    expect(sent.input).toMatchObject({ probability: "40", probabilityIsManual: true, stageId: 3 });
  });

  it("maps field errors, including custom fields, onto their controls", async () => {
    const user = userEvent.setup();
    await openForm();
    await user.selectOptions(screen.getByLabelText("Delivery method"), "");
    await user.clear(screen.getByLabelText("Title"));
    await user.click(screen.getByTestId("stage-won"));
    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByTestId("form-alert");
    for (const label of ["Title", "Win reason", "Delivery method"]) {
      const control = screen.getByLabelText(label);
      expect(control.getAttribute("aria-invalid")).toBe("true");
      const described = (control.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
      expect(described).toContain("This field is required.");
    }
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText("Title")));
  });

  it("shows the conflict banner and reloads the record", async () => {
    const user = userEvent.setup();
    await openForm();
    // Someone else saves first.
    backend.opportunities = backend.opportunities.map((o) => (o.id === 5 ? { ...o, title: "Changed elsewhere", version: 2 } : o));
    await user.type(screen.getByLabelText("Title"), " (mine)");
    await user.keyboard("{Control>}s{/Control}");
    const banner = await screen.findByTestId("conflict-banner");
    expect(banner.getAttribute("role")).toBe("alert");
    expect(banner.textContent).toContain("This opportunity was changed by someone else since you opened it. Your changes were not saved.");
    await user.click(within(banner).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Changed elsewhere"));
    expect(screen.queryByTestId("conflict-banner")).toBeNull();
  });
});

describe("Stage chevron bar", () => {
  it("moves with the arrow keys in the reading direction and picks with Enter", async () => {
    const user = userEvent.setup();
    await openForm();
    const group = screen.getByRole("radiogroup", { name: "Sales stage" });
    const radios = within(group).getAllByRole("radio");
    expect(radios.map((r) => r.textContent)).toEqual(["Establishing contact", "Needs analysis", "Negotiation", "Won", "Lost"]);
    expect(radios[0]?.getAttribute("aria-checked")).toBe("true");
    expect(radios.map((r) => r.tabIndex)).toEqual([0, -1, -1, -1, -1]);

    radios[0]?.focus();
    await user.keyboard("{ArrowRight}{ArrowRight}");
    expect(document.activeElement).toBe(screen.getByTestId("stage-negotiation"));
    expect(radios[0]?.getAttribute("aria-checked")).toBe("true"); // moving focus does not pick
    await user.keyboard("{Enter}");
    expect(screen.getByTestId("stage-negotiation").getAttribute("aria-checked")).toBe("true");
    expect((screen.getByLabelText("Probability") as HTMLInputElement).value).toBe("60");
    await user.keyboard("{ArrowLeft}");
    expect(document.activeElement).toBe(screen.getByTestId("stage-needs"));
  });

  it("mirrors the arrow keys in right-to-left", async () => {
    const user = userEvent.setup();
    await openForm();
    document.documentElement.dir = "rtl";
    try {
      screen.getByTestId("stage-contact").focus();
      await user.keyboard("{ArrowLeft}");
      expect(document.activeElement).toBe(screen.getByTestId("stage-needs"));
    } finally {
      document.documentElement.dir = "ltr";
    }
  });
});
