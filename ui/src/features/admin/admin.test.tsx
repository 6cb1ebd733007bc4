import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import type { CustomFieldDef } from "../../lib/types";
import { adminMock, installMockBackend, makeIdentity, makeOpportunity, MOCK_PASSWORDS, type MockBackend } from "../../test/mockBackend";
import App from "../../App";
import { SettingsPage } from "../settings/SettingsPage";

let backend: MockBackend;

function Harness() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <SettingsProvider>
        <ToastProvider>
          <SettingsPage />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>
  );
}

function field(id: number, partial: Partial<CustomFieldDef> = {}): CustomFieldDef {
  return {
    id,
    version: 1,
    entity: "opportunity",
    key: `field_${id}`,
    titleFa: `فیلد ${id}`,
    titleEn: `Field ${id}`,
    fieldType: "text",
    required: false,
    helpFa: null,
    helpEn: null,
    groupFa: null,
    groupEn: null,
    sortOrder: id,
    options: [],
    active: true,
    ...partial,
  };
}

/** The sentences that describe a control (its help and error), by aria-describedby. */
function descriptionOf(control: HTMLElement): string[] {
  return (control.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "");
}

const callsOf = (cmd: string) => backend.calls.filter((c) => c.cmd === cmd).map((c) => c.args as Record<string, unknown>);

async function openSection(user: ReturnType<typeof userEvent.setup>, section: string) {
  render(<Harness />);
  await user.click(screen.getByTestId(`settings-nav-${section}`));
}

beforeEach(() => {
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.location.hash = "";
  initI18n("en");
  const customer = makeIdentity(1, { displayName: "Acme", sourceId: 3 });
  backend = installMockBackend({
    identities: [customer],
    opportunities: [makeOpportunity(1, customer, { stageId: 2 }), makeOpportunity(2, customer, { stageId: 2 })],
    customFields: [field(1, { titleEn: "Budget code", groupEn: "Finance", groupFa: "مالی" })],
    settings: { language: "en", calendar: "jalali", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
});

afterEach(() => {
  clearMocks();
});

describe("System lists", () => {
  it("adds a value, and refuses to delete a value in use", async () => {
    const user = userEvent.setup();
    await openSection(user, "lists");
    await user.selectOptions(screen.getByLabelText("List"), "source");
    const table = await screen.findByTestId("admin-list-table");
    expect(within(table).getByText("Website")).toBeTruthy();
    // Inactive values are listed, dimmed and marked in words.
    expect(screen.getByTestId("row-5").className).toContain("admin-row--inactive");
    expect(within(screen.getByTestId("row-5")).getByText("Inactive")).toBeTruthy();

    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-list-dialog");
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Persian title"));
    await user.type(within(dialog).getByLabelText("Persian title"), "اینستاگرام");
    await user.type(within(dialog).getByLabelText("English title"), "Instagram");
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-list-dialog")).toBeNull());
    expect(callsOf("create_system_item")).toEqual([{ list: "source", input: { titleFa: "اینستاگرام", titleEn: "Instagram", active: true } }]);
    expect(await within(screen.getByTestId("admin-list-table")).findByText("Instagram")).toBeTruthy();

    // An unused value can be deleted.
    await user.click(screen.getByRole("button", { name: "Delete “Instagram”" }));
    const unused = screen.getByTestId("admin-delete-dialog");
    await within(unused).findByText(/No record uses this value/);
    await user.click(within(unused).getByTestId("admin-delete-confirm"));
    await waitFor(() => expect(screen.queryByText("Instagram")).toBeNull());
    expect(callsOf("delete_system_item")).toHaveLength(1);

    // "Website" is the source of an identity and two opportunities: it can only be deactivated.
    await user.click(within(screen.getByTestId("row-3")).getByRole("button", { name: "Delete “Website”" }));
    const confirm = screen.getByTestId("admin-delete-dialog");
    expect(await within(confirm).findByText("In use by 3 records — deactivate it instead.")).toBeTruthy();
    expect(within(confirm).getByTestId("admin-delete-confirm")).toHaveProperty("disabled", true);
    await user.click(within(confirm).getByRole("button", { name: "Deactivate instead" }));
    await waitFor(() => expect(callsOf("update_system_item")).toEqual([{ id: 3, version: 1, input: { titleFa: "وب‌سایت", titleEn: "Website", active: false } }]));
    expect(callsOf("delete_system_item")).toHaveLength(1);
  });

  it("moves a value with Alt+ArrowDown and keeps the focus on it", async () => {
    const user = userEvent.setup();
    await openSection(user, "lists");
    await screen.findByTestId("admin-list-table");
    const row = screen.getByTestId("row-10");
    row.focus();
    await user.keyboard("{Alt>}{ArrowDown}{/Alt}");
    await waitFor(() => expect(callsOf("reorder_system_items")).toEqual([{ list: "opportunity_type", ids: [11, 10] }]));
    const rows = within(screen.getByTestId("admin-list-table")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual(["row-11", "row-10"]);
    expect(document.activeElement).toBe(screen.getByTestId("row-10"));
    expect(screen.getByText("“Standard” moved to position 2 of 2.")).toBeTruthy();
  });
});

describe("Stages", () => {
  it("deletes a stage that holds opportunities by moving them to a replacement of the same kind", async () => {
    const user = userEvent.setup();
    await openSection(user, "stages");
    const row = await screen.findByTestId("row-2");
    await waitFor(() => expect(within(row).getAllByRole("cell")[6]?.textContent).toBe("2"));

    await user.click(within(row).getByRole("button", { name: "Delete “Needs analysis”" }));
    const dialog = screen.getByTestId("admin-delete-dialog");
    expect(await within(dialog).findByText(/This stage holds 2 opportunities/)).toBeTruthy();
    const select = within(dialog).getByLabelText("Move opportunities to");
    // Only other active open stages are offered.
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose a stage…", "Establishing contact", "Negotiation"]);

    await user.click(within(dialog).getByTestId("admin-delete-confirm"));
    expect(within(dialog).getByText("Choose the stage the opportunities move to.")).toBeTruthy();
    expect(select.getAttribute("aria-invalid")).toBe("true");
    expect(callsOf("delete_stage")).toEqual([]);

    await user.selectOptions(select, "Negotiation");
    await user.click(within(dialog).getByTestId("admin-delete-confirm"));
    await waitFor(() => expect(screen.queryByTestId("admin-delete-dialog")).toBeNull());
    expect(callsOf("delete_stage")).toEqual([{ id: 2, replacement: 3 }]);
    expect(await screen.findByText("Stage “Needs analysis” was deleted; 2 opportunities moved to “Negotiation”.")).toBeTruthy();
    await waitFor(() => expect(screen.queryByTestId("row-2")).toBeNull());
    expect(backend.opportunities.every((o) => o.stageId === 3)).toBe(true);
  });

  it("explains that the last won stage must remain", async () => {
    const user = userEvent.setup();
    await openSection(user, "stages");
    await user.click(within(await screen.findByTestId("row-4")).getByRole("button", { name: "Delete “Won”" }));
    const dialog = screen.getByTestId("admin-delete-dialog");
    await within(dialog).findByText(/No opportunity is in this stage/);
    await user.click(within(dialog).getByTestId("admin-delete-confirm"));
    expect(await within(dialog).findByText("At least one won and one lost stage must remain.")).toBeTruthy();
  });
});

describe("Custom fields", () => {
  it("asks for a default value for existing records when a field becomes required", async () => {
    const user = userEvent.setup();
    await openSection(user, "fields");
    expect(await screen.findByText("Finance")).toBeTruthy();
    await user.click(within(screen.getByTestId("row-1")).getByRole("button", { name: "Edit “Budget code”" }));
    const dialog = screen.getByTestId("admin-field-dialog");
    await user.click(within(dialog).getByRole("checkbox", { name: "Required" }));
    const defaultValue = within(dialog).getByLabelText("Default value for existing records");

    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText("Some existing records have no value for this field. Enter the value to give them.")).toBeTruthy();
    expect(defaultValue.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(defaultValue));

    await user.type(defaultValue, "B-100");
    expect(defaultValue.getAttribute("aria-invalid")).toBeNull();
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-field-dialog")).toBeNull());
    const saves = callsOf("update_custom_field");
    expect(saves).toHaveLength(2);
    expect(saves[1]).toMatchObject({ id: 1, version: 1, input: { required: true, defaultValue: "B-100", fieldType: "text", entity: "opportunity" } });
    expect(backend.opportunities.map((o) => o.customFields)).toEqual([[{ fieldId: 1, value: "B-100" }], [{ fieldId: 1, value: "B-100" }]]);
  });

  it("says in words that at most 200 fields can be defined", async () => {
    backend.customFields = Array.from({ length: 200 }, (_, i) => field(i + 1));
    const user = userEvent.setup();
    await openSection(user, "fields");
    await screen.findByText("200 of at most 200 fields");
    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-field-dialog");
    await user.type(within(dialog).getByLabelText("Persian title"), "فیلد تازه");
    await user.type(within(dialog).getByLabelText("English title"), "New field");
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText("At most 200 custom fields can be defined for opportunities.")).toBeTruthy();
  });
});

describe("Campaigns", () => {
  it("sends typed Jalali dates as ISO and the cost as a decimal string", async () => {
    const user = userEvent.setup();
    await openSection(user, "campaigns");
    const existing = await screen.findByTestId("row-1");
    expect(within(existing).getByText("1403/02/12")).toBeTruthy();
    expect(within(existing).getByText("150,000,000 IRR")).toBeTruthy();

    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-campaign-dialog");
    await user.type(within(dialog).getByLabelText("Name"), "Spring fair");
    await user.type(within(dialog).getByLabelText("Start date"), "1403/02/11");
    await user.type(within(dialog).getByLabelText("End date"), "1403/02/10");
    const cost = within(dialog).getByLabelText("Cost") as HTMLInputElement;
    await user.type(cost, "250000000");
    expect(cost.value).toBe("250,000,000");

    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText("The end date cannot be before the start date.")).toBeTruthy();
    expect(callsOf("create_campaign")[0]).toEqual({
      input: { name: "Spring fair", startDate: "2024-04-30", endDate: "2024-04-29", description: null, cost: "250000000", active: true },
    });

    const end = within(dialog).getByLabelText("End date");
    await user.clear(end);
    await user.type(end, "1403/02/20");
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-campaign-dialog")).toBeNull());
    expect(callsOf("create_campaign")[1]).toEqual({
      input: { name: "Spring fair", startDate: "2024-04-30", endDate: "2024-05-09", description: null, cost: "250000000", active: true },
    });
    expect(await screen.findByText("250,000,000 IRR")).toBeTruthy();
  });
});

describe("Users, passwords and signing in", () => {
  it("keeps the last administrator", async () => {
    const user = userEvent.setup();
    await openSection(user, "users");
    await user.click(within(await screen.findByTestId("row-1")).getByRole("button", { name: "Edit “Admin”" }));
    const dialog = screen.getByTestId("admin-user-dialog");
    expect(within(dialog).getByLabelText("Username")).toHaveProperty("readOnly", true);
    await user.selectOptions(within(dialog).getByLabelText("Role"), "manager");
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText(/The last active administrator cannot be demoted or deactivated/)).toBeTruthy();
  });

  it("adds a user with a first password", async () => {
    const user = userEvent.setup();
    await openSection(user, "users");
    await screen.findByTestId("row-1");
    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-user-dialog");
    const password = within(dialog).getByLabelText("Password");
    expect(password.getAttribute("type")).toBe("password");
    expect(descriptionOf(password).join(" ")).toMatch(/At least 8 characters/);
    await user.type(within(dialog).getByLabelText("Username"), "reza");
    await user.type(within(dialog).getByLabelText("Display name"), "Reza Ahmadi");

    // Too short: the backend's refusal shows beside the field.
    await user.type(password, "short");
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(descriptionOf(password)).toContain("Use at least 8 characters."));

    await user.clear(password);
    await user.type(password, "reza-secret");
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-user-dialog")).toBeNull());
    expect(callsOf("create_user")[1]).toEqual({ input: { username: "reza", displayName: "Reza Ahmadi", role: "salesperson", active: true, password: "reza-secret" } });
    expect(adminMock.passwords.get(4)).toBe("reza-secret");
  });

  it("sends no password when none is typed, and none when a user is edited", async () => {
    const user = userEvent.setup();
    await openSection(user, "users");
    await screen.findByTestId("row-1");
    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-user-dialog");
    await user.type(within(dialog).getByLabelText("Username"), "nima");
    await user.type(within(dialog).getByLabelText("Display name"), "Nima");
    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-user-dialog")).toBeNull());
    expect(callsOf("create_user")[0]?.input).toMatchObject({ username: "nima", password: null });

    await user.click(within(screen.getByTestId("row-2")).getByRole("button", { name: "Edit “Sara Karimi”" }));
    expect(within(screen.getByTestId("admin-user-dialog")).queryByLabelText("Password")).toBeNull();
  });

  it("sets another user's password from their row", async () => {
    const user = userEvent.setup();
    await openSection(user, "users");
    const row = await screen.findByTestId("row-2");
    await user.click(await within(row).findByRole("button", { name: "Set a password for “Sara Karimi”" }));
    const dialog = screen.getByTestId("set-password");
    expect(within(dialog).getByRole("heading", { name: "Set a password for Sara Karimi" })).toBeTruthy();
    await user.type(within(dialog).getByTestId("set-password-new"), "new-sara-pass");
    await user.type(within(dialog).getByTestId("set-password-confirm"), "new-sara-pass");
    await user.click(within(dialog).getByTestId("set-password-save"));
    await waitFor(() => expect(screen.queryByTestId("set-password")).toBeNull());
    expect(callsOf("set_password")).toEqual([{ userId: 2, password: "new-sara-pass" }]);
    expect(await screen.findByText("The password of Sara Karimi was saved.")).toBeTruthy();
  });

  it("signs out and in as a salesperson, after which administration is refused in plain words", async () => {
    const user = userEvent.setup();
    window.location.hash = "#/settings";
    render(<App />);
    await user.click(await screen.findByTestId("sign-out"));
    await user.type(await screen.findByTestId("sign-in-username"), "sara");
    await user.type(screen.getByTestId("sign-in-password"), `${MOCK_PASSWORDS.sara}{Enter}`);
    expect((await screen.findByTestId("user-menu")).textContent).toContain("Sara Karimi");
    expect(adminMock.signedInUserId).toBe(2);

    await user.click(screen.getByTestId("settings-nav-lists"));
    await screen.findByTestId("admin-list-table");
    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-list-dialog");
    await user.type(within(dialog).getByLabelText("Persian title"), "تازه");
    await user.type(within(dialog).getByLabelText("English title"), "New");
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText(/Only an administrator can change these settings/)).toBeTruthy();

    // A salesperson sets no one else's password.
    await user.click(screen.getByTestId("settings-nav-users"));
    const admin = await screen.findByTestId("row-1");
    expect(within(admin).queryByRole("button", { name: /Set a password/ })).toBeNull();
    expect(within(screen.getByTestId("row-2")).getByRole("button", { name: "Set a password for “Sara Karimi”" })).toBeTruthy();
  });
});
