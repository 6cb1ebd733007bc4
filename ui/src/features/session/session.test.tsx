import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
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
    expect(callsOf("sign_in")).toEqual([{ username: "admin", password: "not-the-password" }]);

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
