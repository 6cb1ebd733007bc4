import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { clearMocks } from "@tauri-apps/api/mocks";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const identities = Array.from({ length: 30 }, (_, i) =>
    makeIdentity(i + 1, { displayName: i === 0 ? "Acme Trading" : `Person ${i + 1}`, kind: i === 0 ? "organization" : "person" }),
  );
  backend = installMockBackend({
    identities,
    settings: { language: "en", calendar: "jalali", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  window.history.replaceState(null, "", "#/identities");
});

/** Text without the direction-isolate marks put around names inside messages. */
const plain = (text: string | null | undefined) => (text ?? "").replace(/[\u2066-\u2069]/g, "");

afterEach(() => {
  clearMocks();
});

describe("Identities screen", () => {
  it("lists identities with paging", async () => {
    const user = userEvent.setup();
    render(<App />);
    const table = await screen.findByTestId("identities-table");
    expect(within(table).getByText("Acme Trading")).toBeTruthy();
    expect(within(table).getAllByRole("row")).toHaveLength(26); // header + 25
    expect(screen.getByText("1–25 of 30")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("26–30 of 30");
    expect(backend.calls.some((c) => c.cmd === "list_identities" && (c.args as { query: { page: number } }).query.page === 2)).toBe(true);
  });

  it("searches with a debounce", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("identities-table");
    await user.type(screen.getByTestId("identities-search"), "acme");
    await waitFor(() => expect(screen.getByText("1–1 of 1")).toBeTruthy(), { timeout: 2000 });
  });

  it("maps validation errors onto fields and keeps the dialog open", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("identities-new"));
    const dialog = screen.getByTestId("identity-form");
    // Accessible names equal the visible labels.
    expect(document.activeElement).toBe(within(dialog).getByLabelText("First name"));
    const lastName = within(dialog).getByLabelText("Last name");
    expect(within(dialog).getByRole("checkbox", { name: "Customer" })).toHaveProperty("checked", true);

    backend.nextCreateError = {
      kind: "validation",
      fields: [
        { field: "lastName", code: "required", min: null, max: null },
        { field: "phones.0.number", code: "too_long", min: null, max: "20" },
      ],
    };
    await user.type(within(dialog).getByLabelText("Phone number"), "123");
    await user.click(within(dialog).getByRole("button", { name: "Save" }));
    await within(dialog).findByText("This field is required.");
    expect(lastName.getAttribute("aria-invalid")).toBe("true");
    expect(within(dialog).getByText("Use at most 20 characters.")).toBeTruthy();
    expect(screen.getByTestId("identity-form")).toBeTruthy();
  });

  it("creates an identity, closes the dialog, opens it and confirms", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("identities-table");
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "n", code: "KeyN", ctrlKey: true }));
    });
    const dialog = screen.getByTestId("identity-form");
    await user.type(within(dialog).getByLabelText("First name"), "Reza");
    await user.type(within(dialog).getByLabelText("Last name"), "Mohammadi");
    await user.type(within(dialog).getByLabelText("Phone number"), "۰۹۱۲۱۲۳۴۵۶۷");
    await user.click(screen.getByTestId("identity-save"));
    await waitFor(() => expect(screen.queryByTestId("identity-form")).toBeNull());
    const created = backend.calls.find((c) => c.cmd === "create_identity")?.args as { input: { phones: { number: string }[]; responsibleUserId: number } };
    expect(created.input.phones[0]?.number).toBe("09121234567");
    expect(created.input.responsibleUserId).toBe(1);
    // The new identity opens on its own page, its balance zero in the currency (not "None").
    const id = backend.identities.find((i) => i.displayName === "Reza Mohammadi")?.id;
    await waitFor(() => expect(window.location.hash).toBe(`#/identities/${id}`));
    expect((await screen.findByTestId("identity-name")).textContent).toBe("Reza Mohammadi");
    expect(screen.getByTestId("identity-balance").textContent).toBe("0 IRR");
    expect(screen.queryByTestId("identities-table")).toBeNull();
    expect(plain(screen.getByTestId("toast").textContent)).toContain("Reza Mohammadi was added.");
    // The name inside the message is isolated, so a Latin name keeps its punctuation in Persian.
    expect(screen.getByTestId("toast").textContent).toContain("\u2068Reza Mohammadi\u2069");
  });

  it("opens a new identity in Persian with a zero balance and its Latin name isolated", async () => {
    const user = userEvent.setup();
    await act(async () => {
      initI18n("fa");
    });
    backend.settings = { ...backend.settings, language: "fa" };
    render(<App />);
    await screen.findByTestId("identities-table");
    await user.click(screen.getByTestId("identities-new"));
    const dialog = screen.getByTestId("identity-form");
    await user.click(within(dialog).getByRole("radio", { name: "سازمان" }));
    await user.type(within(dialog).getByLabelText("نام سازمان"), "Pars Office Co.");
    await user.click(screen.getByTestId("identity-save"));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/identities\/\d+$/));
    const name = await screen.findByTestId("identity-name");
    expect(name.textContent).toBe("Pars Office Co.");
    expect(within(name).getByText("Pars Office Co.").tagName).toBe("BDI");
    const balance = screen.getByTestId("identity-balance");
    expect(balance.textContent).toBe("۰ ریال");
    expect(balance.textContent).not.toMatch(/None|null|undefined|ندارد/);
  });

  it("isolates names in the list so Latin names keep their punctuation in right-to-left", async () => {
    backend.identities[0] = { ...(backend.identities[0] as (typeof backend.identities)[number]), displayName: "Pars Office Co.", city: "Tehran" };
    await act(async () => {
      initI18n("fa");
    });
    backend.settings = { ...backend.settings, language: "fa" };
    render(<App />);
    const table = await screen.findByTestId("identities-table");
    const name = within(table).getByText("Pars Office Co.");
    expect(name.closest("bdi")).toBeTruthy();
    expect(name.closest("bdi")?.getAttribute("data-testid")).toBe("identity-row-name");
    expect(name.closest("bdi")?.getAttribute("title")).toBe("Pars Office Co.");
    expect(within(table).getByText("Tehran").closest("bdi")).toBeTruthy();
  });

  it("warns about an existing identity with the same name without blocking save", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("identities-new"));
    const dialog = screen.getByTestId("identity-form");
    await user.click(within(dialog).getByRole("radio", { name: "Organization" }));
    const name = within(dialog).getByLabelText("Organization name");
    await user.type(name, "acme trading");
    const warning = await within(dialog).findByText(/An identity with this name already exists: .*C00001/, {}, { timeout: 2000 });
    expect(name.getAttribute("aria-describedby")).toContain(warning.id);
    expect(name.getAttribute("aria-invalid")).toBeNull();
    const lookup = backend.calls.filter((c) => c.cmd === "identities_with_same_name").at(-1);
    expect(lookup?.args).toEqual({ name: "acme trading", except: null });

    await user.click(screen.getByTestId("identity-save"));
    await waitFor(() => expect(screen.queryByTestId("identity-form")).toBeNull());
    expect(backend.identities.filter((i) => i.displayName.toLowerCase() === "acme trading")).toHaveLength(2);
  });

  it("sends an address without its text and shows the backend's error on the address", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("identities-new"));
    const dialog = screen.getByTestId("identity-form");
    await user.type(within(dialog).getByLabelText("Last name"), "Ahmadi");
    await user.type(within(dialog).getByLabelText("City"), "Tehran");
    await user.click(screen.getByTestId("identity-save"));
    await within(dialog).findByText("This field is required.");
    const sent = backend.calls.find((c) => c.cmd === "create_identity")?.args as { input: { addresses: unknown[] } };
    expect(sent.input.addresses).toEqual([{ city: "Tehran", text: "", postalCode: null, isDefault: true }]);
    expect(within(dialog).getByLabelText("Address").getAttribute("aria-invalid")).toBe("true");
    expect(within(dialog).getByLabelText("City").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByTestId("identity-form")).toBeTruthy();
  });

  it("closes the dialog with Escape", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("identities-new"));
    expect(screen.getByTestId("identity-form")).toBeTruthy();
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("identity-form")).toBeNull();
  });

  it("switches language, direction and saves the choice", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("identities-table");
    expect(document.documentElement.dir).toBe("ltr");
    await user.click(screen.getByTestId("lang-switch"));
    expect(document.documentElement.dir).toBe("rtl");
    expect(document.documentElement.lang).toBe("fa");
    expect(await screen.findByRole("heading", { name: /هویت‌ها/ })).toBeTruthy();
    await waitFor(() => expect(backend.settings.language).toBe("fa"));
    expect(window.localStorage.getItem("forsat.language")).toBe("fa");
  });
});
