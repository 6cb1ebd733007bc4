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
import type { AppError, CustomFieldDef, UserSummary } from "../../lib/types";
import { adminMock, installMockBackend, makeIdentity, makeOpportunity, MOCK_PASSWORDS, type MockBackend } from "../../test/mockBackend";
import App from "../../App";
import { SettingsPage } from "../settings/SettingsPage";
import { parentChoices, teamAndDescendants, teamTree, toTeamInput, userMatches, type TeamInput, type TeamSummary } from "./teams";

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

// ------------------------------------------------ teams
//
// The shared mock backend has no teams yet: these tests answer the team
// commands themselves, in front of it, the way the backend does (and add a
// manager to its users, who can lead a team).

function team(id: number, name: string, partial: Partial<TeamSummary> = {}): TeamSummary {
  return { id, name, managerUserId: null, parentId: null, memberIds: [], version: 1, ...partial };
}

const MANAGER: UserSummary = { id: 4, username: "reza", displayName: "Reza Manager", role: "manager", active: true, createdAt: "2024-03-04T08:00:00Z", version: 1 };

/** Tehran office › (Field sales, Key accounts › North); Isfahan. */
function officeTeams(): TeamSummary[] {
  return [
    team(1, "Tehran office", { managerUserId: 4, memberIds: [4] }),
    team(2, "Key accounts", { parentId: 1, managerUserId: 1, memberIds: [2] }),
    team(3, "Field sales", { parentId: 1, memberIds: [2, 3] }),
    team(4, "Isfahan"),
    team(5, "North", { parentId: 2 }),
  ];
}

type Invoke = (cmd: string, args?: unknown, options?: unknown) => Promise<unknown>;

function installTeams(initial: TeamSummary[]) {
  const state = { teams: initial, nextId: 100, nextError: null as AppError | null };
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: Invoke } }).__TAURI_INTERNALS__;
  const inner = internals.invoke;
  const refuse = (field: string, code: "required" | "duplicate" | "not_allowed" | "invalid"): AppError => ({ kind: "validation", fields: [{ field, code, min: null, max: null }] });
  const check = (input: TeamInput, id: number | null) => {
    const name = input.name.trim();
    if (name === "") throw refuse("name", "required");
    if (state.teams.some((t) => t.id !== id && t.name.toLowerCase() === name.toLowerCase())) throw refuse("name", "duplicate");
    if (input.managerUserId === 2 || input.managerUserId === 3) throw refuse("managerUserId", "not_allowed");
    if (id !== null && input.parentId != null && teamAndDescendants(state.teams, id).has(input.parentId)) throw refuse("parentId", "invalid");
  };
  const find = (id: unknown) => {
    const found = state.teams.find((t) => t.id === id);
    if (!found) throw { kind: "not_found", entity: "team", id: String(id) } satisfies AppError;
    return found;
  };
  internals.invoke = async (cmd, args, options) => {
    const a = (args ?? {}) as Record<string, unknown>;
    if (!cmd.endsWith("_team") && cmd !== "list_teams") {
      const answer = await inner(cmd, args, options);
      return cmd === "list_users" ? [...(answer as UserSummary[]), MANAGER] : answer;
    }
    backend.calls.push({ cmd, args });
    if (state.nextError && cmd !== "list_teams") {
      const error = state.nextError;
      state.nextError = null;
      throw error;
    }
    const input = a.input as TeamInput;
    switch (cmd) {
      case "list_teams":
        return state.teams;
      case "create_team": {
        check(input, null);
        const created = team(state.nextId++, input.name.trim(), { managerUserId: input.managerUserId ?? null, parentId: input.parentId ?? null, memberIds: input.memberIds });
        state.teams = [...state.teams, created];
        return created;
      }
      case "update_team": {
        const old = find(a.id);
        if (old.version !== a.version) throw { kind: "conflict", entity: "team", id: String(a.id) } satisfies AppError;
        check(input, old.id);
        const saved = { ...old, name: input.name.trim(), managerUserId: input.managerUserId ?? null, parentId: input.parentId ?? null, memberIds: input.memberIds, version: old.version + 1 };
        state.teams = state.teams.map((t) => (t.id === old.id ? saved : t));
        return saved;
      }
      case "delete_team": {
        const old = find(a.id);
        if (old.version !== a.version) throw { kind: "conflict", entity: "team", id: String(a.id) } satisfies AppError;
        // Its sub-teams move up to its parent.
        state.teams = state.teams.filter((t) => t.id !== old.id).map((t) => (t.parentId === old.id ? { ...t, parentId: old.parentId, version: t.version + 1 } : t));
        return null;
      }
      default:
        throw new Error(`unknown command ${cmd}`);
    }
  };
  return state;
}

const rowIds = (table: HTMLElement) => within(table).getAllByRole("row").slice(1).map((r) => r.getAttribute("data-testid"));

describe("Teams: the tree", () => {
  it("puts every team right after its parent, brothers and sisters by name", () => {
    const tree = teamTree(officeTeams(), "en");
    expect(tree.map((n) => [n.team.name, n.depth])).toEqual([
      ["Isfahan", 0],
      ["Tehran office", 0],
      ["Field sales", 1],
      ["Key accounts", 1],
      ["North", 2],
    ]);
    expect(tree.at(-1)?.path).toEqual(["Tehran office", "Key accounts", "North"]);
  });

  it("shows a team with an unknown parent, and teams caught in a loop, once each at the top", () => {
    const tree = teamTree([team(1, "B", { parentId: 2 }), team(2, "A", { parentId: 1 }), team(3, "Orphan", { parentId: 99 }), team(4, "Self", { parentId: 4 })], "en");
    expect(tree.map((n) => [n.team.name, n.depth])).toEqual([
      ["Orphan", 0],
      ["Self", 0],
      ["A", 0],
      ["B", 1],
    ]);
  });

  it("offers as parent neither the team itself nor one of its sub-teams", () => {
    const teams = officeTeams();
    expect([...teamAndDescendants(teams, 1)].sort()).toEqual([1, 2, 3, 5]);
    expect(parentChoices(teams, 2, "en").map((n) => n.team.id)).toEqual([4, 1, 3]);
    expect(parentChoices(teams, 5, "en").map((n) => n.team.id)).toEqual([4, 1, 3, 2]);
    expect(parentChoices(teams, null, "en")).toHaveLength(5);
  });

  it("sends the name trimmed and each member once, in id order; finds users whatever the spelling", () => {
    expect(toTeamInput({ name: "  Sales ", managerUserId: null, parentId: 3, memberIds: [5, 2, 5] })).toEqual({ name: "Sales", managerUserId: null, parentId: 3, memberIds: [2, 5] });
    expect(userMatches({ displayName: "علی كريمی", username: "ali" }, "کریمی")).toBe(true);
    expect(userMatches({ displayName: "Sara Karimi", username: "sara" }, "KARI")).toBe(true);
    expect(userMatches({ displayName: "Sara Karimi", username: "sara" }, "reza")).toBe(false);
  });
});

describe("Teams", () => {
  it("lists the teams as a tree with their manager and members, under the rule of who sees what", async () => {
    installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    const table = await screen.findByTestId("admin-teams-table");
    expect(rowIds(table)).toEqual(["row-4", "row-1", "row-3", "row-2", "row-5"]);
    expect(screen.getByTestId("row-5").getAttribute("data-depth")).toBe("2");
    expect(within(screen.getByTestId("row-5")).getByText(/sub-team of “Key accounts”/)).toBeTruthy();
    const cells = () => within(screen.getByTestId("row-1")).getAllByRole("cell").map((c) => c.textContent);
    await waitFor(() => expect(cells().slice(0, 3)).toEqual(["Tehran office", "Reza Manager", "1 memberReza Manager"]));
    const field = within(screen.getByTestId("row-3"));
    expect(field.getByText("2 members")).toBeTruthy();
    expect(field.getByText("Former Colleague, Sara Karimi")).toBeTruthy();
    expect(within(screen.getByTestId("teams-rule")).getByText("While there are no teams at all, managers see every opportunity.")).toBeTruthy();
  });

  it("explains while there are no teams that every manager sees every opportunity", async () => {
    installTeams([]);
    const user = userEvent.setup();
    await openSection(user, "teams");
    expect(await screen.findByText("No teams yet")).toBeTruthy();
    expect(screen.getByText(/Right now every manager sees every opportunity/)).toBeTruthy();
  });

  it("adds a team: only active managers and administrators can lead it, members are found by name", async () => {
    installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    await screen.findByTestId("admin-teams-table");
    await user.click(screen.getByTestId("admin-add"));
    const dialog = screen.getByTestId("admin-team-dialog");
    expect(document.activeElement).toBe(within(dialog).getByLabelText("Name"));
    await user.type(within(dialog).getByLabelText("Name"), "  Shiraz ");

    const manager = within(dialog).getByLabelText("Manager");
    await waitFor(() => expect(within(manager).getAllByRole("option").map((o) => o.textContent)).toEqual(["No manager", "Admin", "Reza Manager"]));
    await user.selectOptions(manager, "Reza Manager");
    const parent = within(dialog).getByLabelText("Inside team");
    expect(within(parent).getAllByRole("option").map((o) => o.textContent)).toEqual([
      "None (top level)",
      "Isfahan",
      "Tehran office",
      "Tehran office › Field sales",
      "Tehran office › Key accounts",
      "Tehran office › Key accounts › North",
    ]);
    await user.selectOptions(parent, "Tehran office");

    // The inactive colleague is not offered; the filter narrows the list.
    const list = within(dialog).getByTestId("team-member-list");
    expect(within(list).getAllByRole("checkbox").map((c) => c.closest("label")?.textContent)).toEqual(["Admin", "Reza Manager", "Sara Karimi"]);
    await user.type(within(dialog).getByLabelText("Find a user"), "kar");
    expect(within(list).getAllByRole("checkbox")).toHaveLength(1);
    await user.click(within(dialog).getByRole("checkbox", { name: "Sara Karimi" }));
    await user.clear(within(dialog).getByLabelText("Find a user"));
    await user.click(within(dialog).getByRole("checkbox", { name: "Reza Manager" }));
    expect(within(dialog).getByTestId("team-member-count").textContent).toBe("2 selected");

    await user.click(within(dialog).getByTestId("admin-save"));
    await waitFor(() => expect(screen.queryByTestId("admin-team-dialog")).toBeNull());
    expect(callsOf("create_team")).toEqual([{ input: { name: "Shiraz", managerUserId: 4, parentId: 1, memberIds: [2, 4] } }]);
    expect(await screen.findByText("Team “Shiraz” was added.")).toBeTruthy();
    await waitFor(() => expect(rowIds(screen.getByTestId("admin-teams-table"))).toEqual(["row-4", "row-1", "row-3", "row-2", "row-5", "row-100"]));
  });

  it("shows the server's field error on its field, in words", async () => {
    installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    await user.click(within(await screen.findByTestId("row-4")).getByRole("button", { name: "Edit “Isfahan”" }));
    const dialog = screen.getByTestId("admin-team-dialog");
    const name = within(dialog).getByLabelText("Name");
    await user.clear(name);
    await user.type(name, "north");
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText("Another team already has this name.")).toBeTruthy();
    expect(name.getAttribute("aria-invalid")).toBe("true");
    expect(descriptionOf(name)).toContain("Another team already has this name.");
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(callsOf("update_team")[0]).toEqual({ id: 4, version: 1, input: { name: "north", managerUserId: null, parentId: null, memberIds: [] } });

    // Editing the field forgets its error.
    await user.type(name, "ern");
    expect(name.getAttribute("aria-invalid")).toBeNull();
  });

  it("does not offer a team's own sub-teams as its parent, and says why the backend refuses one", async () => {
    const state = installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    await user.click(within(await screen.findByTestId("row-2")).getByRole("button", { name: "Edit “Key accounts”" }));
    const dialog = screen.getByTestId("admin-team-dialog");
    const parent = within(dialog).getByLabelText("Inside team");
    expect(within(parent).getAllByRole("option").map((o) => o.textContent)).toEqual(["None (top level)", "Isfahan", "Tehran office", "Tehran office › Field sales"]);
    expect((parent as HTMLSelectElement).value).toBe("1");

    state.nextError = { kind: "validation", fields: [{ field: "parentId", code: "invalid", min: null, max: null }] };
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText("A team cannot be inside itself or one of its own sub-teams.")).toBeTruthy();
    expect(parent.getAttribute("aria-invalid")).toBe("true");
  });

  it("says who may change teams when the backend refuses, and offers a reload after a conflict", async () => {
    const state = installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    await user.click(within(await screen.findByTestId("row-4")).getByRole("button", { name: "Edit “Isfahan”" }));
    const dialog = screen.getByTestId("admin-team-dialog");
    state.nextError = { kind: "forbidden", reason: "teams_admin_only" };
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText(/Only an administrator can change teams/)).toBeTruthy();

    // Someone else saved Isfahan meanwhile.
    state.teams = state.teams.map((t) => (t.id === 4 ? { ...t, name: "Isfahan office", version: 2 } : t));
    await user.click(within(dialog).getByTestId("admin-save"));
    expect(await within(dialog).findByText(/Someone else changed this since you opened it/)).toBeTruthy();
    await user.click(within(dialog).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect((within(screen.getByTestId("admin-team-dialog")).getByLabelText("Name") as HTMLInputElement).value).toBe("Isfahan office"));
  });

  it("deletes a team, moving its sub-teams up to its parent", async () => {
    installTeams(officeTeams());
    const user = userEvent.setup();
    await openSection(user, "teams");
    await user.click(within(await screen.findByTestId("row-2")).getByRole("button", { name: "Delete “Key accounts”" }));
    const dialog = screen.getByTestId("admin-delete-dialog");
    expect(within(dialog).getByTestId("team-delete-moves").textContent).toBe("Its sub-teams (North) move up into “Tehran office”.");
    await user.click(within(dialog).getByTestId("admin-delete-confirm"));
    await waitFor(() => expect(screen.queryByTestId("admin-delete-dialog")).toBeNull());
    expect(callsOf("delete_team")).toEqual([{ id: 2, version: 1 }]);
    await waitFor(() => expect(rowIds(screen.getByTestId("admin-teams-table"))).toEqual(["row-4", "row-1", "row-3", "row-5"]));
    expect(screen.getByTestId("row-5").getAttribute("data-depth")).toBe("1");
  });

  it("lets others look at the teams but not change them", async () => {
    installTeams(officeTeams());
    adminMock.signedInUserId = 2;
    const user = userEvent.setup();
    await openSection(user, "teams");
    await screen.findByTestId("admin-teams-table");
    expect(await screen.findByText("Only an administrator can add, change or delete teams. You can see them here.")).toBeTruthy();
    expect(screen.queryByTestId("admin-add")).toBeNull();
    expect(screen.queryByRole("button", { name: /Edit “/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Delete “/ })).toBeNull();
  });
});
