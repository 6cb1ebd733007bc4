import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { QueryClientProvider } from "@tanstack/react-query";
import { clearMocks } from "@tauri-apps/api/mocks";
import { createQueryClient } from "../../app/queryClient";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { followupMock } from "../../test/mockFollowup";
import { CommentsPanel } from "./CommentsPanel";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({ identities: [acme], opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme" })] }).backend;
  followupMock.comments = [
    { id: 1, opportunityId: 5, authorId: 2, authorName: "Sara Karimi", body: "Called them, @admin please send the quote.", createdAt: "2025-03-19T08:00:00Z" },
    { id: 2, opportunityId: 5, authorId: 1, authorName: "Admin", body: "Newer one", createdAt: "2025-03-19T10:00:00Z" },
    { id: 3, opportunityId: 6, authorId: 1, authorName: "Admin", body: "Another opportunity", createdAt: "2025-03-19T11:00:00Z" },
  ];
});

afterEach(() => {
  clearMocks();
});

function renderPanel() {
  const client = createQueryClient();
  render(
    <QueryClientProvider client={client}>
      <CommentsPanel opportunityId={5} />
    </QueryClientProvider>,
  );
  return screen.getByTestId("comments-panel");
}

const added = () => backend.calls.filter((c) => c.cmd === "add_comment").map((c) => (c.args as { input: { body: string } }).input);

describe("Comments panel", () => {
  it("lists the opportunity's comments newest first, their mentions marked", async () => {
    const panel = renderPanel();
    await waitFor(() => expect(within(panel).getAllByTestId("comment-item")).toHaveLength(2));
    const items = within(panel).getAllByTestId("comment-item");
    expect(items[0]?.textContent).toContain("Newer one");
    expect(items[1]?.textContent).toContain("Sara Karimi");
    await waitFor(() => expect(items[1]?.querySelector("mark")?.textContent).toBe("@admin"));
  });

  it("sends with Enter, makes a new line with Shift+Enter, and clears the box", async () => {
    const user = userEvent.setup();
    const panel = renderPanel();
    const input = within(panel).getByTestId("comment-input") as HTMLTextAreaElement;
    expect((within(panel).getByTestId("comment-enter-sends") as HTMLInputElement).checked).toBe(true);
    await user.type(input, "First line{Shift>}{Enter}{/Shift}second line");
    expect(input.value).toBe("First line\nsecond line");
    expect(added()).toEqual([]);
    await user.keyboard("{Enter}");
    await waitFor(() => expect(added()).toEqual([{ opportunityId: 5, body: "First line\nsecond line" }]));
    await waitFor(() => expect(input.value).toBe(""));
    await waitFor(() => expect(within(panel).getAllByTestId("comment-item")[0]?.textContent).toContain("second line"));
    // Enter on an empty box sends nothing.
    await user.keyboard("{Enter}");
    expect(added()).toHaveLength(1);
  });

  it("with the switch off, Enter is a new line and the button (or Ctrl+Enter) sends; the choice is remembered", async () => {
    const user = userEvent.setup();
    const panel = renderPanel();
    await user.click(within(panel).getByTestId("comment-enter-sends"));
    expect(window.localStorage.getItem("forsat.comments.enterSends")).toBe("0");
    const input = within(panel).getByTestId("comment-input") as HTMLTextAreaElement;
    await user.type(input, "one{Enter}two");
    expect(input.value).toBe("one\ntwo");
    expect(added()).toEqual([]);
    await user.click(within(panel).getByTestId("comment-send"));
    await waitFor(() => expect(added()).toEqual([{ opportunityId: 5, body: "one\ntwo" }]));
    await waitFor(() => expect(input.value).toBe(""));
    await user.type(input, "three{Control>}{Enter}{/Control}");
    await waitFor(() => expect(added()).toHaveLength(2));
    expect(added()[1]?.body).toBe("three");

    // A panel opened later keeps the switch off.
    cleanup();
    const again = renderPanel();
    expect((within(again).getByTestId("comment-enter-sends") as HTMLInputElement).checked).toBe(false);
  });

  it("offers the active colleagues after @ and puts @username in the text; Enter then chooses, not sends", async () => {
    const user = userEvent.setup();
    const panel = renderPanel();
    const input = within(panel).getByTestId("comment-input") as HTMLTextAreaElement;
    await user.type(input, "Please @sa");
    const list = await within(panel).findByTestId("comment-mentions");
    expect(within(list).getByTestId("comment-mention-sara")).toBeTruthy();
    // Former colleagues are not offered.
    expect(within(list).queryByTestId("comment-mention-old")).toBeNull();
    await user.keyboard("{Enter}");
    expect(input.value).toBe("Please @sara ");
    expect(added()).toEqual([]);
    expect(within(panel).queryByTestId("comment-mentions")).toBeNull();
    await user.keyboard("call back{Enter}");
    await waitFor(() => expect(added()).toEqual([{ opportunityId: 5, body: "Please @sara call back" }]));
    // Sara now finds it among her mentions.
    expect(followupMock.mentions.map((m) => m.userId)).toEqual([2]);
  });

  it("keeps the text and says why when the comment could not be added", async () => {
    const user = userEvent.setup();
    followupMock.nextCommentError = { kind: "database", message: "server_unreachable" };
    const panel = renderPanel();
    const input = within(panel).getByTestId("comment-input") as HTMLTextAreaElement;
    await user.type(input, "Hello{Enter}");
    expect(await within(panel).findByTestId("comment-error")).toBeTruthy();
    expect(input.value).toBe("Hello");
  });
});
