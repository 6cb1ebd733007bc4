import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { AppError, SavedConnections, ServerConnection, ServerInput, Session } from "../../lib/types";
import { adminMock, installMockBackend, makeIdentity, MOCK_PASSWORDS, type MockBackend } from "../../test/mockBackend";

let backend: MockBackend;

const callsOf = (cmd: string) => backend.calls.filter((c) => c.cmd === cmd).map((c) => c.args as Record<string, unknown>);

/** The sentences that describe a control (its help and error), by aria-describedby. */
function descriptionOf(control: HTMLElement): string[] {
  return (control.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? "");
}

function install(language: "en" | "fa" = "en") {
  window.localStorage.clear();
  window.sessionStorage.clear();
  window.location.hash = "";
  initI18n(language);
  backend = installMockBackend({
    identities: [makeIdentity(1, { displayName: "Acme Trading" })],
    settings: { language, calendar: "jalali", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
}

beforeEach(() => install());

afterEach(() => {
  clearMocks();
});

describe("Sign-in screen", () => {
  it("signs in with the right password and says plainly when it is wrong", async () => {
    adminMock.signedInUserId = null;
    const user = userEvent.setup();
    render(<App />);
    const form = await screen.findByTestId("sign-in-form");
    const username = within(form).getByLabelText("Username");
    expect(document.activeElement).toBe(username);
    const password = within(form).getByLabelText("Password");
    expect(password.getAttribute("type")).toBe("password");
    expect(password.getAttribute("autocomplete")).toBe("current-password");
    expect(username.getAttribute("autocomplete")).toBe("username");
    // Nothing but the session was asked for the previous user's data.
    expect(screen.queryByTestId("identities-table")).toBeNull();

    await user.type(username, "admin");
    await user.type(password, "not-the-password{Enter}");
    expect((await screen.findByTestId("sign-in-error")).textContent).toBe("The username or password is not right. Check both and try again.");
    expect(callsOf("sign_in")).toEqual([{ username: "admin", password: "not-the-password", remember: false }]);
    // This computer: nothing to remember, and no other place to offer here.
    expect(screen.queryByTestId("sign-in-remember")).toBeNull();
    expect(screen.queryByTestId("change-place")).toBeNull();

    await user.clear(password);
    await user.type(password, MOCK_PASSWORDS.admin as string);
    await user.click(screen.getByTestId("sign-in-submit"));
    expect(await screen.findByTestId("identities-table")).toBeTruthy();
    expect(screen.getByTestId("user-menu").textContent).toContain("Admin");
    expect(screen.queryByTestId("sign-in-form")).toBeNull();
    expect(screen.queryByTestId("demo-badge")).toBeNull();
    expect(screen.queryByTestId("password-notice")).toBeNull();
  });

  it("asks for the username before asking the backend", async () => {
    adminMock.signedInUserId = null;
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("sign-in-submit"));
    const username = screen.getByTestId("sign-in-username");
    expect(descriptionOf(username)).toContain("Enter your username.");
    expect(callsOf("sign_in")).toEqual([]);
  });

  it("speaks Persian: the labels and the refusal", async () => {
    install("fa");
    adminMock.signedInUserId = null;
    const user = userEvent.setup();
    render(<App />);
    const form = await screen.findByTestId("sign-in-form");
    expect(document.documentElement.dir).toBe("rtl");
    await user.type(within(form).getByLabelText("نام کاربری"), "sara");
    await user.type(within(form).getByLabelText("گذرواژه"), "wrong-password");
    await user.click(within(form).getByRole("button", { name: "ورود" }));
    expect((await screen.findByTestId("sign-in-error")).textContent).toBe("نام کاربری یا گذرواژه درست نیست. هر دو را بررسی کنید و دوباره تلاش کنید.");
  });

  it("names the team server, and says when it does not answer", async () => {
    adminMock.signedInUserId = null;
    adminMock.server = "db.office.lan:5432/forsat";
    adminMock.nextSignInError = { kind: "database", message: "server_unreachable" };
    const user = userEvent.setup();
    render(<App />);
    expect((await screen.findByTestId("sign-in-server")).textContent).toBe("Team server: db.office.lan:5432/forsat");
    await user.type(screen.getByTestId("sign-in-username"), "sara");
    await user.type(screen.getByTestId("sign-in-password"), "sara-secret{Enter}");
    expect((await screen.findByTestId("sign-in-error")).textContent).toMatch(/^The team server does not answer\./);

    adminMock.nextSignInError = { kind: "database", message: "server_version_mismatch" };
    await user.click(screen.getByTestId("sign-in-submit"));
    await waitFor(() => expect(screen.getByTestId("sign-in-error").textContent).toMatch(/different version of Forsat/));
  });

  it("lists the demo users and their password; choosing one fills the form", async () => {
    adminMock.signedInUserId = null;
    adminMock.demoPassword = "forsat-demo";
    adminMock.passwords = new Map([
      [1, "forsat-demo"],
      [2, "forsat-demo"],
    ]);
    const user = userEvent.setup();
    render(<App />);
    const demo = await screen.findByTestId("sign-in-demo");
    expect(within(demo).getByText("forsat-demo")).toBeTruthy();
    // Active users only, with their username and role.
    expect(within(demo).queryByText("Former Colleague")).toBeNull();
    const sara = within(demo).getByRole("button", { name: "Fill in Sara Karimi (Salesperson)" });
    expect(sara.textContent).toContain("sara");

    await user.click(sara);
    expect(screen.getByTestId("sign-in-username")).toHaveProperty("value", "sara");
    expect(screen.getByTestId("sign-in-password")).toHaveProperty("value", "forsat-demo");
    expect(document.activeElement).toBe(screen.getByTestId("sign-in-submit"));
    await user.keyboard("{Enter}");
    expect((await screen.findByTestId("demo-badge")).textContent).toBe("Demo — signed in as Sara Karimi");
  });
});

describe("Language on the sign-in screen", () => {
  it("keeps the language chosen before signing in, and saves it for the user once signed in", async () => {
    adminMock.signedInUserId = null;
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("sign-in-form");
    await user.click(screen.getByTestId("lang-switch"));
    expect(document.documentElement.dir).toBe("rtl");
    expect(screen.getByRole("button", { name: "ورود" })).toBeTruthy();
    // Nobody is signed in: the choice is kept on this computer for now.
    expect(backend.settings.language).toBe("en");

    await user.type(screen.getByTestId("sign-in-username"), "admin");
    await user.type(screen.getByTestId("sign-in-password"), `${MOCK_PASSWORDS.admin}{Enter}`);
    await screen.findByTestId("identities-table");
    expect(document.documentElement.lang).toBe("fa");
    await waitFor(() => expect(backend.settings.language).toBe("fa"));
  });
});

describe("Signing out", () => {
  it("returns to the sign-in screen and keeps nothing of the previous user", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("identities-table");
    const listed = callsOf("list_identities").length;

    await user.click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByTestId("sign-in-form")).toBeTruthy();
    expect(screen.queryByTestId("identities-table")).toBeNull();
    expect(callsOf("sign_out")).toHaveLength(1);

    await user.type(screen.getByTestId("sign-in-username"), "sara");
    await user.type(screen.getByTestId("sign-in-password"), `${MOCK_PASSWORDS.sara}{Enter}`);
    await screen.findByTestId("identities-table");
    expect(screen.getByTestId("user-menu").textContent).toContain("Sara Karimi");
    // The list was asked again for the new user, not shown from the cache.
    expect(callsOf("list_identities").length).toBeGreaterThan(listed);
  });

  it("shows the sign-in screen when the backend says nobody is signed in any more", async () => {
    const user = userEvent.setup();
    render(<App />);
    await screen.findByTestId("identities-table");
    adminMock.signedInUserId = null;
    await user.type(screen.getByTestId("identities-search"), "acme");
    expect(await screen.findByTestId("sign-in-form", {}, { timeout: 2000 })).toBeTruthy();
  });
});

describe("Setting a password", () => {
  it("asks a user without a password to set one, and refuses a mismatch and a short one beside the field", async () => {
    adminMock.passwords.delete(1);
    const user = userEvent.setup();
    render(<App />);
    const notice = await screen.findByTestId("password-notice");
    expect(notice.textContent).toContain("You have no password yet — anyone at this computer can open Forsat as you.");
    // Non-blocking: the app is there underneath.
    expect(await screen.findByTestId("identities-table")).toBeTruthy();

    await user.click(within(notice).getByRole("button", { name: "Set a password" }));
    const dialog = screen.getByTestId("set-password");
    expect(within(dialog).getByRole("heading", { name: "Set your password" })).toBeTruthy();
    const fresh = within(dialog).getByTestId("set-password-new");
    const confirm = within(dialog).getByTestId("set-password-confirm");
    expect(document.activeElement).toBe(fresh);
    expect(fresh.getAttribute("autocomplete")).toBe("new-password");

    await user.type(fresh, "long-enough-1");
    await user.type(confirm, "long-enough-2");
    await user.click(within(dialog).getByTestId("set-password-save"));
    expect(descriptionOf(confirm)).toContain("The two passwords do not match. Type the same password in both fields.");
    expect(confirm.getAttribute("aria-invalid")).toBe("true");
    expect(callsOf("set_password")).toEqual([]);

    await user.clear(fresh);
    await user.clear(confirm);
    await user.type(fresh, "short");
    await user.type(confirm, "short");
    await user.click(within(dialog).getByTestId("set-password-save"));
    await waitFor(() => expect(descriptionOf(fresh)).toContain("Use at least 8 characters."));
    expect(fresh.getAttribute("aria-invalid")).toBe("true");
    expect(confirm.getAttribute("aria-invalid")).toBeNull();
    expect(callsOf("set_password")).toEqual([{ userId: 1, password: "short" }]);

    await user.clear(fresh);
    await user.clear(confirm);
    await user.type(fresh, "a-good-password");
    await user.type(confirm, "a-good-password{Enter}");
    await waitFor(() => expect(screen.queryByTestId("set-password")).toBeNull());
    expect(await screen.findByText("Your password was saved.")).toBeTruthy();
    expect(adminMock.passwords.get(1)).toBe("a-good-password");
    expect(screen.queryByTestId("password-notice")).toBeNull();
  });

  it("changes one's own password from the user menu", async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("user-menu"));
    await user.click(screen.getByRole("menuitem", { name: "Change my password" }));
    const dialog = screen.getByTestId("set-password");
    expect(within(dialog).getByRole("heading", { name: "Change your password" })).toBeTruthy();
    await user.type(within(dialog).getByLabelText("New password"), "another-password");
    await user.type(within(dialog).getByLabelText("Repeat the new password"), "another-password");
    await user.click(within(dialog).getByTestId("set-password-save"));
    await waitFor(() => expect(adminMock.passwords.get(1)).toBe("another-password"));
  });

  it("shows who is signed in in the user menu, which Escape closes, giving the focus back", async () => {
    const user = userEvent.setup();
    render(<App />);
    const button = await screen.findByTestId("user-menu");
    expect(button.getAttribute("aria-label")).toBe("Signed in as Admin");
    await user.click(button);
    expect(button.getAttribute("aria-expanded")).toBe("true");
    // Who is signed in: name, username and role.
    const menu = screen.getByRole("menu");
    expect(menu.textContent).toContain("admin · Administrator");
    expect(document.activeElement).toBe(screen.getByTestId("change-password"));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).toBeNull();
    expect(document.activeElement).toBe(button);
  });
});

// ------------------------------------------------ where the app works
//
// The shared mock backend answers the session commands; the place commands are added
// here, in front of it: the session it answers gets this test's place, and the
// connection commands change that place like the backend does.

type Invoke = (cmd: string, args?: unknown, options?: unknown) => Promise<unknown>;

type PlaceMock = {
  choosing: boolean;
  unreachable: string | null;
  connection: ServerConnection | null;
  canChangePlace: boolean;
  notice: string | null;
  servers: ServerConnection[];
  /** What the next test_server / connect_to_server / open_saved_server answer with (null: fine). */
  testError: AppError | null;
  connectError: AppError | null;
  /** The reason the next open_saved_server still finds the server unreachable with (null: it answers). */
  openUnreachable: string | null;
};

const headOffice: ServerConnection = {
  id: 3,
  name: "Head office",
  host: "db.office.lan",
  port: 5432,
  database: "forsat",
  tls: "prefer",
  lastUsername: "sara",
  remembered: false,
};

function installPlaces(partial: Partial<PlaceMock> = {}): PlaceMock {
  const place: PlaceMock = {
    choosing: false,
    unreachable: null,
    connection: null,
    canChangePlace: true,
    notice: null,
    servers: [],
    testError: null,
    connectError: null,
    openUnreachable: null,
    ...partial,
  };
  const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: Invoke } }).__TAURI_INTERNALS__;
  const base = internals.invoke;
  const withPlace = (session: Session): Session => ({
    ...session,
    backend: place.choosing ? "none" : place.connection ? "postgres" : session.backend,
    server: place.connection ? place.connection.name : session.server,
    choosing: place.choosing,
    unreachable: place.unreachable,
    connection: place.connection,
    canChangePlace: place.canChangePlace,
  });
  const signedOut = async (): Promise<Session> => {
    adminMock.signedInUserId = null;
    return withPlace((await base("session")) as Session);
  };
  const saved = (): SavedConnections => ({ servers: place.servers, place: place.connection ? { kind: "server", id: place.connection.id } : null });
  internals.invoke = async (cmd, args, options) => {
    const a = (args ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case "session":
      case "sign_out":
      case "set_password":
        return withPlace((await base(cmd, args, options)) as Session);
      case "sign_in": {
        const session = withPlace((await base(cmd, args, options)) as Session);
        return { ...session, notice: place.notice };
      }
    }
    backend.calls.push({ cmd, args });
    switch (cmd) {
      case "saved_connections":
        return saved();
      case "test_server":
        if (place.testError) throw place.testError;
        return null;
      case "connect_to_server": {
        if (place.connectError) {
          const error = place.connectError;
          place.connectError = null;
          throw error;
        }
        const input = a.input as ServerInput;
        const conn: ServerConnection = { id: 9, ...input, name: input.name || input.host, lastUsername: null, remembered: false };
        place.servers = [...place.servers, conn];
        place.connection = conn;
        place.choosing = false;
        return signedOut();
      }
      case "open_saved_server": {
        const conn = place.servers.find((c) => c.id === a.id) ?? place.connection;
        if (!conn) throw { kind: "not_found", entity: "connection", id: String(a.id) } satisfies AppError;
        place.connection = conn;
        place.choosing = false;
        place.unreachable = place.openUnreachable;
        return signedOut();
      }
      case "forget_server":
        place.servers = place.servers.filter((c) => c.id !== a.id);
        return saved();
      case "work_on_this_computer":
        place.connection = null;
        place.choosing = false;
        place.unreachable = null;
        return signedOut();
      case "change_place":
        place.connection = null;
        place.choosing = true;
        place.unreachable = null;
        return signedOut();
    }
    return base(cmd, args, options);
  };
  return place;
}

describe("First start", () => {
  it("offers this computer and a team server; this computer opens it", async () => {
    adminMock.signedInUserId = null;
    installPlaces({ choosing: true });
    const user = userEvent.setup();
    render(<App />);
    const first = await screen.findByTestId("first-start");
    const here = within(first).getByTestId("place-this-computer");
    expect(here.textContent).toContain("Work on this computer");
    expect(here.textContent).toContain("The data stays in a file on this computer");
    expect(within(first).getByTestId("place-team-server").textContent).toContain("Connect to a team server");
    expect(within(first).getByTestId("place-team-server").textContent).toContain("each person signs in with their own account");
    expect(document.activeElement).toBe(here);
    // Nothing saved yet: no list.
    expect(screen.queryByTestId("saved-servers")).toBeNull();

    await user.click(here);
    expect(await screen.findByTestId("sign-in-form")).toBeTruthy();
    expect(callsOf("work_on_this_computer")).toHaveLength(1);
    expect(screen.queryByTestId("first-start")).toBeNull();
  });

  it("lists the saved servers to open again or forget", async () => {
    adminMock.signedInUserId = null;
    const other: ServerConnection = { ...headOffice, id: 4, name: "Warehouse", host: "10.0.0.7", lastUsername: null };
    installPlaces({ choosing: true, servers: [headOffice, other] });
    const user = userEvent.setup();
    render(<App />);
    const office = await screen.findByTestId("saved-server-3");
    expect(office.textContent).toContain("Head office");
    expect(office.textContent).toContain("db.office.lan:5432/forsat");
    expect(office.textContent).toContain("Last signed in: sara");

    await user.click(screen.getByRole("button", { name: "Forget Warehouse" }));
    await waitFor(() => expect(screen.queryByTestId("saved-server-4")).toBeNull());
    expect(callsOf("forget_server")).toEqual([{ id: 4 }]);

    await user.click(screen.getByTestId("saved-server-3"));
    const form = await screen.findByTestId("sign-in-form");
    expect(callsOf("open_saved_server")).toEqual([{ id: 3 }]);
    expect(screen.getByTestId("sign-in-server").textContent).toBe("Team server: Head office");
    expect(within(form).getByTestId("sign-in-username")).toHaveProperty("value", "sara");
  });

  it("speaks Persian", async () => {
    install("fa");
    adminMock.signedInUserId = null;
    installPlaces({ choosing: true });
    const user = userEvent.setup();
    render(<App />);
    expect((await screen.findByTestId("place-this-computer")).textContent).toContain("کار روی همین رایانه");
    await user.click(screen.getByTestId("place-team-server"));
    for (const label of ["نام", "میزبان", "درگاه", "پایگاه داده", "رمزگذاری"]) expect(screen.getByLabelText(label)).toBeTruthy();
  });
});

describe("Connecting to a team server", () => {
  it("sends what was entered, tests the connection, and shows a refused field under it", async () => {
    adminMock.signedInUserId = null;
    const place = installPlaces({ choosing: true });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("place-team-server"));
    const name = screen.getByLabelText("Name");
    const host = screen.getByLabelText("Host");
    const port = screen.getByLabelText("Port");
    const database = screen.getByLabelText("Database");
    const tls = screen.getByLabelText("Encryption");
    expect(document.activeElement).toBe(name);
    expect(port).toHaveProperty("value", "5432");
    expect(database).toHaveProperty("value", "forsat");
    expect(tls).toHaveProperty("value", "prefer");
    expect(within(tls).getAllByRole("option").map((o) => o.textContent)).toEqual(["Off", "When the server offers it", "Always", "Always, and check the certificate"]);

    await user.type(name, "Head office");
    await user.type(host, " db.office.lan ");
    await user.selectOptions(tls, "Off");
    await user.click(screen.getByTestId("server-test"));
    await waitFor(() => expect(screen.getByTestId("server-test-result").textContent).toContain("The server answers."));
    const entered: ServerInput = { name: "Head office", host: "db.office.lan", port: 5432, database: "forsat", tls: "disable" };
    expect(callsOf("test_server")).toEqual([{ input: entered }]);

    // Nobody there: the reason in plain words.
    place.testError = { kind: "database", message: "server_unreachable" };
    await user.click(screen.getByTestId("server-test"));
    await waitFor(() => expect(screen.getByTestId("server-test-result").textContent).toContain("The server does not answer. Check the address and your network"));

    // A port that is not one is refused before asking.
    await user.clear(port);
    await user.type(port, "99999");
    await user.click(screen.getByTestId("server-test"));
    expect(descriptionOf(port)).toContain("Enter a port between 1 and 65535.");
    expect(port.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(port);
    expect(callsOf("test_server")).toHaveLength(2);
    await user.clear(port);
    await user.type(port, "5432");

    // The backend refuses the host: under the field, which gets the focus.
    place.connectError = { kind: "validation", fields: [{ field: "host", code: "duplicate", min: null, max: null }] };
    await user.click(screen.getByTestId("server-connect"));
    await waitFor(() => expect(descriptionOf(host)).toContain("This server is saved already. Go back and open it from the saved servers."));
    expect(document.activeElement).toBe(host);

    // Enter connects: the sign-in screen of that server.
    await user.type(database, "{Enter}");
    expect((await screen.findByTestId("sign-in-server")).textContent).toBe("Team server: Head office");
    expect(callsOf("connect_to_server")).toEqual([
      { id: null, input: entered },
      { id: null, input: entered },
    ]);
    expect(screen.getByTestId("sign-in-remember")).toBeTruthy();
  });

  it("goes back to the two choices", async () => {
    adminMock.signedInUserId = null;
    installPlaces({ choosing: true });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("place-team-server"));
    await user.click(screen.getByTestId("server-back"));
    expect(document.activeElement).toBe(screen.getByTestId("place-team-server"));
  });
});

describe("A team server that does not answer", () => {
  it("says so plainly, tries again with the saved connection, and offers another connection", async () => {
    adminMock.signedInUserId = null;
    const place = installPlaces({ unreachable: "server_unreachable", connection: headOffice, servers: [headOffice], openUnreachable: "server_tls_failed" });
    const user = userEvent.setup();
    render(<App />);
    const card = await screen.findByTestId("unreachable-screen");
    expect(card.textContent).toContain("Forsat could not reach Head office.");
    expect(screen.getByTestId("unreachable-address").textContent).toBe("db.office.lan:5432/forsat");
    expect(screen.getByTestId("unreachable-reason").textContent).toMatch(/^The server does not answer\. Check the address and your network, or ask your administrator/);
    const retry = screen.getByTestId("unreachable-retry");
    expect(document.activeElement).toBe(retry);

    await user.click(retry);
    await waitFor(() => expect(screen.getByTestId("unreachable-status").textContent).toBe("Still no answer."));
    expect(callsOf("open_saved_server")).toEqual([{ id: 3 }]);
    expect(screen.getByTestId("unreachable-reason").textContent).toMatch(/encrypted connection could not be set up\. Try another encryption setting/);

    place.openUnreachable = null;
    await user.click(screen.getByTestId("unreachable-retry"));
    expect(await screen.findByTestId("sign-in-form")).toBeTruthy();
    expect(callsOf("open_saved_server")).toEqual([{ id: 3 }, { id: 3 }]);
  });

  it("goes back to the first start for another connection", async () => {
    adminMock.signedInUserId = null;
    installPlaces({ unreachable: "server_unreachable", connection: headOffice, servers: [headOffice] });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("unreachable-change"));
    expect(await screen.findByTestId("first-start")).toBeTruthy();
    expect(callsOf("change_place")).toHaveLength(1);
    expect(await screen.findByTestId("saved-server-3")).toBeTruthy();
  });

  it("offers no other connection when the place is fixed", async () => {
    adminMock.signedInUserId = null;
    installPlaces({ unreachable: "server_unreachable", connection: headOffice, canChangePlace: false });
    render(<App />);
    await screen.findByTestId("unreachable-screen");
    expect(screen.queryByTestId("unreachable-change")).toBeNull();
  });
});

describe("Signing in on a team server", () => {
  it("offers the last username, passes remember, and says calmly when the password could not be kept", async () => {
    adminMock.signedInUserId = null;
    adminMock.server = "db.office.lan:5432/forsat";
    installPlaces({ connection: headOffice, servers: [headOffice], notice: "keychain_unavailable" });
    const user = userEvent.setup();
    render(<App />);
    const form = await screen.findByTestId("sign-in-form");
    expect(within(form).getByTestId("sign-in-username")).toHaveProperty("value", "sara");
    const password = within(form).getByTestId("sign-in-password");
    expect(document.activeElement).toBe(password);
    const remember = within(form).getByLabelText("Remember me on this computer");
    expect(remember).toBe(screen.getByTestId("sign-in-remember"));
    expect(remember).toHaveProperty("checked", false);

    await user.click(remember);
    await user.type(password, `${MOCK_PASSWORDS.sara}{Enter}`);
    expect(await screen.findByTestId("user-menu")).toBeTruthy();
    expect(callsOf("sign_in")).toEqual([{ username: "sara", password: MOCK_PASSWORDS.sara, remember: true }]);
    expect((await screen.findByText(/this computer could not remember your password/)).textContent).toContain("You are signed in");
  });

  it("offers another connection from the sign-in screen and from the user menu", async () => {
    adminMock.signedInUserId = null;
    adminMock.server = "db.office.lan:5432/forsat";
    installPlaces({ connection: headOffice, servers: [headOffice] });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("change-place"));
    expect(await screen.findByTestId("first-start")).toBeTruthy();
    expect(callsOf("change_place")).toHaveLength(1);

    await user.click(screen.getByTestId("saved-server-3"));
    await user.type(await screen.findByTestId("sign-in-password"), `${MOCK_PASSWORDS.sara}{Enter}`);
    await user.click(await screen.findByTestId("user-menu"));
    await user.click(screen.getByRole("menuitem", { name: "Another connection…" }));
    expect(await screen.findByTestId("first-start")).toBeTruthy();
    expect(callsOf("change_place")).toHaveLength(2);
  });

  it("offers no other connection when the place is fixed", async () => {
    installPlaces({ canChangePlace: false });
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("user-menu"));
    expect(screen.queryByRole("menuitem", { name: "Another connection…" })).toBeNull();
  });
});
