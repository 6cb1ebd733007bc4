import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization", organizationName: "Acme Trading", lastName: null, balance: "2500000" });
  backend = installMockBackend({
    identities: [acme, makeIdentity(2)],
    opportunities: [
      makeOpportunity(5, acme, { title: "Older deal", estimatedAmount: "1000000", createdAt: "2024-04-01T09:00:00Z", stageId: 3 }),
      makeOpportunity(6, acme, { title: "Newer deal", estimatedAmount: "2000000", createdAt: "2024-05-01T09:00:00Z" }),
    ],
    financialRecords: [
      { kind: "invoice", id: 40, title: "Invoice for laptops", number: "INV-1", stageId: null, status: "approved", amount: "2500000", date: "2024-04-15", createdAt: "2024-04-15T10:00:00Z", identityId: 1, parentId: 5 },
    ],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  window.history.replaceState(null, "", "#/identities");
});

afterEach(() => {
  clearMocks();
});

describe("Identity page", () => {
  it("opens from the identities table with Enter and shows the header", async () => {
    const user = userEvent.setup();
    render(<App />);
    const table = await screen.findByTestId("identities-table");
    const row = within(table).getByText("Acme Trading").closest("tr") as HTMLElement;
    row.focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("identity-name")).toHaveProperty("textContent", "Acme Trading");
    expect(window.location.hash).toBe("#/identities/1");
    expect(screen.getByTestId("identity-balance").textContent).toBe("Owes 2,500,000 IRR");
    expect(screen.getByRole("tab", { name: "Specifications" }).getAttribute("aria-selected")).toBe("true");
    expect((screen.getByLabelText("Organization name") as HTMLInputElement).value).toBe("Acme Trading");
  });

  it("shows a balance that does not exist yet as zero in the currency, never None", async () => {
    backend.identities = backend.identities.map((i) => (i.id === 2 ? { ...i, balance: "" } : i));
    window.history.replaceState(null, "", "#/identities/2");
    render(<App />);
    const balance = await screen.findByTestId("identity-balance");
    expect(balance.textContent).toBe("0 IRR");
    expect(balance.getAttribute("data-side")).toBe("none");
  });

  it("isolates the name in the header and the breadcrumb", async () => {
    backend.identities = backend.identities.map((i) => (i.id === 1 ? { ...i, displayName: "Pars Office Co.", organizationName: "Pars Office Co." } : i));
    window.history.replaceState(null, "", "#/identities/1");
    render(<App />);
    const name = await screen.findByTestId("identity-name");
    expect(name.querySelector("bdi")?.textContent).toBe("Pars Office Co.");
    const crumb = screen.getByRole("navigation", { name: "Breadcrumb" }).querySelector('[aria-current="page"]');
    expect(crumb?.querySelector("bdi")?.textContent).toBe("Pars Office Co.");
    expect(screen.getByLabelText("Organization name").classList.contains("text-auto")).toBe(true);
  });

  it("lists the records newest first and opens a new opportunity", async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/identities/1");
    render(<App />);
    await screen.findByTestId("identity-name");
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "2", code: "Digit2", ctrlKey: true }));
    });
    const table = await screen.findByTestId("identity-records");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.querySelector(".cell-name")?.firstChild?.textContent)).toEqual(["Newer deal", "Invoice for laptops", "Older deal"]);
    expect(within(rows[0] as HTMLElement).getByText("Establishing contact")).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText("Invoice")).toBeTruthy();
    expect(within(rows[1] as HTMLElement).getByText("Approved")).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText("Negotiation")).toBeTruthy();
    expect(within(rows[2] as HTMLElement).getByText("1,000,000 IRR")).toBeTruthy();
    expect(window.location.hash).toBe("#/identities/1/records");

    await user.click(screen.getByTestId("new-opportunity"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/new?identity=1"));
    expect(await screen.findByTestId("related-identity")).toHaveProperty("textContent", "Acme Trading");
    expect(screen.getByRole("heading", { name: "New opportunity" })).toBeTruthy();

    // Create it: lands on the saved opportunity's own address.
    await user.type(screen.getByLabelText("Title"), "Printers");
    await user.selectOptions(screen.getByLabelText("Type"), "Standard");
    await user.selectOptions(screen.getByLabelText("Source"), "Website");
    await user.click(screen.getByTestId("opportunity-save"));
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/7"));
    const created = backend.calls.find((c) => c.cmd === "create_opportunity")?.args as { input: { identityId: number; probabilityIsManual: boolean; wonOn: null } };
    expect(created.input).toMatchObject({ identityId: 1, probabilityIsManual: false, wonOn: null });
    expect(await screen.findByRole("heading", { name: "Printers" })).toBeTruthy();
  });

  it("shows a plain empty state and opens a new opportunity with Ctrl+Shift+O", async () => {
    window.history.replaceState(null, "", "#/identities/2/records");
    render(<App />);
    expect(await screen.findByText("No records yet")).toBeTruthy();
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "O", code: "KeyO", ctrlKey: true, shiftKey: true }));
    });
    await waitFor(() => expect(window.location.hash).toBe("#/opportunities/new?identity=2"));
  });

  it("saves the specifications and explains a conflict", async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/identities/2");
    render(<App />);
    await screen.findByTestId("identity-specifications");
    await user.click(screen.getByRole("button", { name: "Add phone" }));
    await user.type(screen.getByLabelText("Phone number"), "02112345678");
    await user.click(screen.getByTestId("identity-save"));
    // The name in the message is direction-isolated.
    await screen.findByText("\u2068Person 2\u2069 was saved.");
    const sent = backend.calls.find((c) => c.cmd === "update_identity")?.args as { version: number; input: { phones: { number: string; isDefault: boolean }[] } };
    expect(sent.version).toBe(1);
    expect(sent.input.phones).toEqual([{ kind: "mobile", number: "02112345678", isDefault: true }]);

    backend.identities = backend.identities.map((i) => (i.id === 2 ? { ...i, version: 9 } : i));
    await user.click(screen.getByTestId("identity-save"));
    const banner = await screen.findByTestId("conflict-banner");
    expect(banner.textContent).toContain("Someone else changed this record since you opened it.");
    await user.click(within(banner).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(screen.queryByTestId("conflict-banner")).toBeNull());
  });
});
