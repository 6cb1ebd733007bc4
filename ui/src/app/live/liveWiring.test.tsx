// The live updates end to end through the generated bindings: Tauri's event plugin
// (mocked by the mock backend) delivers "records-changed" / "connection-changed" as
// the Rust side emits them.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { act, render, screen } from "@testing-library/react";
import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  backend = installMockBackend({ identities: [makeIdentity(1, { displayName: "Acme Trading" })], settings: { language: "en" } }).backend;
  window.history.replaceState(null, "", "#/identities");
});

afterEach(() => {
  clearMocks();
});

describe("live updates through the bindings' events", () => {
  it("refetches on records-changed and shows the banner on connection-changed", async () => {
    render(<App />);
    await screen.findByText("Acme Trading");
    // The listeners are set up asynchronously.
    await act(() => new Promise((resolve) => setTimeout(resolve, 0)));

    backend.identities = backend.identities.map((i) => ({ ...i, displayName: "Acme Trading Group" }));
    await act(() => emit("records-changed", { changes: [{ entity: "identity", id: 1, action: "update", userId: 2, at: "2025-03-20T10:00:00Z" }], refreshAll: false }));
    expect(await screen.findByText("Acme Trading Group")).toBeTruthy();

    await act(() => emit("connection-changed", { online: false }));
    expect(screen.getByTestId("connection-banner")).toBeTruthy();
    await act(() => emit("connection-changed", { online: true }));
    expect(screen.queryByTestId("connection-banner")).toBeNull();
  });
});
