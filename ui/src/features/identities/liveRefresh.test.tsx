// The identity form follows a newer version saved elsewhere while nothing was typed.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { changeRef, emitRecordsChanged } from "../../test/mockLiveEvents";

vi.mock("../../app/live/events", async () => (await import("../../test/mockLiveEvents")).liveEventsModule);

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  backend = installMockBackend({
    identities: [makeIdentity(1, { displayName: "Acme Trading", kind: "organization", organizationName: "Acme Trading", lastName: null })],
    settings: { language: "en" },
  }).backend;
  window.history.replaceState(null, "", "#/identities/1");
});

afterEach(() => {
  clearMocks();
});

function renamedElsewhere(name: string) {
  backend.identities = backend.identities.map((i) => ({ ...i, displayName: name, organizationName: name, version: i.version + 1 }));
  emitRecordsChanged({ changes: [changeRef("identity", 1)], refreshAll: false });
}

const nameInput = () => screen.getByLabelText("Organization name") as HTMLInputElement;

describe("Identity form and live updates", () => {
  it("takes a newer version quietly while nothing was typed", async () => {
    render(<App />);
    await waitFor(() => expect(nameInput().value).toBe("Acme Trading"));
    renamedElsewhere("Acme Holding");
    await waitFor(() => expect(nameInput().value).toBe("Acme Holding"));
    expect(screen.getByTestId("identity-name").textContent).toBe("Acme Holding");
  });

  it("keeps what was typed", async () => {
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(nameInput().value).toBe("Acme Trading"));
    await user.type(nameInput(), " Co");
    renamedElsewhere("Acme Holding");
    await waitFor(() => expect(screen.getByTestId("identity-name").textContent).toBe("Acme Holding"));
    expect(nameInput().value).toBe("Acme Trading Co");
  });
});
