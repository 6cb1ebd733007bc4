import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, type MockBackend } from "../../test/mockBackend";
import { savedText, stagedFile, transferMock } from "../../test/mockTransfer";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  backend = installMockBackend({
    identities: [makeIdentity(1, { displayName: "Acme Trading" })],
    settings: { language: "en", calendar: "gregorian" },
  }).backend;
  window.history.replaceState(null, "", "#/opportunities/import");
});

afterEach(() => {
  clearMocks();
});

const csvFile = (text: string, name = "deals.csv") => new File([text], name, { type: "text/csv" });

const WITH_ERRORS = [
  "Title,Customer,Stage,Type,Source,Close date,Amount",
  "Server room,Acme Trading,Negotiation,Standard,Website,2026-12-01,1000",
  "Printers,Acme Trading,Nowhere,Standard,Website,2026-12-01,2000",
  "Laptops,Acme Trading,Negotiation,Standard,Website,31/31/2026,3000",
  "Cables,Acme Trading,Negotiation,Standard,Website,2026-12-01,-5",
].join("\n");

const CLEAN = [
  "Title,Customer,Stage,Type,Source,Close date,Amount",
  "Server room,Acme Trading,Negotiation,Standard,Website,2026-12-01,1000",
  "Printers,New Customer Co,Negotiation,Standard,Website,2026-12-01,2000",
].join("\n");

async function pick(user: ReturnType<typeof userEvent.setup>, file: File) {
  await user.upload(await screen.findByTestId("import-file"), file);
}

/** From the columns to the values step, then the dry run. */
async function check(user: ReturnType<typeof userEvent.setup>, checkLabel = "Check (dry run)", nextLabel = "Next: the file's values") {
  await user.click(await screen.findByRole("button", { name: nextLabel }));
  await screen.findByTestId("import-values");
  await user.click(await screen.findByRole("button", { name: checkLabel }));
}

const mappingSelect = (column: string) => screen.getByLabelText(`Field for the column “${column}”`) as HTMLSelectElement;

describe("Import screen", () => {
  it("is reached from the side navigation and pre-fills the mapping from the file's headers", { timeout: 15_000 }, async () => {
    window.history.replaceState(null, "", "#/identities");
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("nav-opportunities-import"));
    expect(window.location.hash).toBe("#/opportunities/import");
    // The screen is loaded on demand.
    expect(await screen.findByLabelText("File to import")).toBe(screen.getByTestId("import-file"));

    await pick(user, csvFile(`${WITH_ERRORS}\n`));
    await screen.findByTestId("import-mapping");
    expect(screen.getByTestId("import-file-name").textContent).toBe("deals.csv · 313 bytes · 4 rows");
    expect(mappingSelect("Title").value).toBe("title");
    expect(mappingSelect("Customer").value).toBe("identity_name");
    expect(mappingSelect("Close date").value).toBe("close_date");
    expect(mappingSelect("Amount").value).toBe("estimated_amount");
    // The preview shows the first rows as read.
    expect(within(screen.getByTestId("import-preview")).getByText("Printers")).toBeTruthy();
    // Defaults start at the first active values.
    expect((screen.getByLabelText("Default type") as HTMLSelectElement).value).toBe("10");
    expect((screen.getByLabelText("Default source") as HTMLSelectElement).value).toBe("3");
    expect((screen.getByLabelText("Default stage") as HTMLSelectElement).value).toBe("1");
  });

  it("explains what the mapping still needs and blocks the check until it is fixed", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    render(<App />);
    await pick(user, csvFile(WITH_ERRORS));
    await screen.findByTestId("import-mapping");
    const next = screen.getByRole("button", { name: "Next: the file's values" });
    expect((next as HTMLButtonElement).disabled).toBe(false);

    await user.selectOptions(mappingSelect("Title"), "Ignore");
    await user.selectOptions(mappingSelect("Customer"), "Ignore");
    await user.selectOptions(screen.getByLabelText("Default type"), "None");
    await user.selectOptions(mappingSelect("Type"), "Ignore");
    expect(screen.getByTestId("import-mapping-problems").textContent).toBe("Still missing: Title, Customer name, Type.");
    expect((next as HTMLButtonElement).disabled).toBe(true);

    await user.selectOptions(mappingSelect("Title"), "Title");
    await user.selectOptions(mappingSelect("Customer"), "Customer number");
    await user.selectOptions(mappingSelect("Type"), "Type");
    await user.selectOptions(mappingSelect("Stage"), "Type");
    expect(screen.getByTestId("import-mapping-problems").textContent).toBe("Two columns are set to Type. Each field can be filled from one column only.");
    await user.selectOptions(mappingSelect("Stage"), "Sales stage");
    expect(screen.queryByTestId("import-mapping-problems")).toBeNull();

    await check(user);
    await screen.findByTestId("import-report");
    const run = backend.calls.find((c) => c.cmd === "import_run")?.args as { mapping: unknown; dryRun: boolean; options: Record<string, unknown> };
    expect(run.dryRun).toBe(true);
    expect(run.mapping).toEqual([
      { field: "title", column: "Title" },
      { field: "identity_code", column: "Customer" },
      { field: "stage", column: "Stage" },
      { field: "type", column: "Type" },
      { field: "source", column: "Source" },
      { field: "close_date", column: "Close date" },
      { field: "estimated_amount", column: "Amount" },
    ]);
    expect(run.options).toEqual({
      createMissingIdentities: false,
      createMissingProducts: false,
      createMissingUsers: false,
      defaultTypeId: null,
      defaultSourceId: 3,
      defaultStageId: 1,
      defaultWinReasonId: null,
      defaultLossReasonId: null,
      placeholderIdentityId: null,
      dateFormat: "auto",
      // The stage column's values, each as it reads (the unknown one left).
      values: [
        { field: "stage", value: "Negotiation", targetId: 3, create: false },
        { field: "stage", value: "Nowhere", targetId: null, create: false },
      ],
      kind: "opportunities",
    });
  });

  it("reports every problem in plain words, keeps Import off, then imports a fixed file", { timeout: 20_000 }, async () => {
    const user = userEvent.setup();
    render(<App />);
    await pick(user, csvFile(WITH_ERRORS));
    await check(user);
    await screen.findByTestId("import-report");
    expect(screen.getByTestId("import-stat-rows").textContent).toBe("Rows4");
    expect(screen.getByTestId("import-stat-good").textContent).toBe("Good rows1");
    expect(screen.getByTestId("import-stat-problems").textContent).toBe("Problems3");
    expect(screen.getByTestId("import-verdict").textContent).toMatch(/^3 problems found\./);
    // Nothing in the file says who each deal belongs to: said, not hidden.
    expect(screen.getByTestId("import-unmapped").textContent).toContain("No column of the file feeds Assigned to:");
    const rows = within(screen.getByTestId("import-problems")).getAllByRole("row").slice(1).map((r) => r.textContent);
    expect(rows).toEqual([
      "3StageNowhereNo sales stage has this name.",
      "4Close date31/31/2026This is not a date in the format chosen for the file (Dates in the file), such as 2026-11-29 or 1405/09/08.",
      "5Amount-5The value is outside the allowed range (amounts cannot be negative; a probability is 0 to 100).",
    ]);
    expect((screen.getByTestId("import-run") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Nothing is written if any row has a problem/)).toBeTruthy();

    // The problem list is saved as a CSV into the export folder, and the toast says where.
    await user.click(screen.getByRole("button", { name: "Download the problems (CSV)" }));
    expect(await screen.findByText("Saved to …/Downloads/import-problems.csv")).toBeTruthy();
    expect(transferMock.saved.at(-1)?.fileName).toBe("import-problems.csv");
    expect(savedText().split("\r\n").slice(0, 2)).toEqual(["\uFEFFLine,Column,Value in the file,Reason", "3,Stage,Nowhere,No sales stage has this name."]);
    // A save that fails says so in plain words.
    transferMock.nextSaveError = { kind: "validation", fields: [{ field: "fileName", code: "invalid", min: null, max: null }] };
    await user.click(screen.getByRole("button", { name: "Download the problems (CSV)" }));
    expect(await screen.findByText(/^The file could not be saved\./)).toBeTruthy();

    // The filter narrows the table.
    await user.type(screen.getByLabelText("Filter problems"), "date");
    await waitFor(() => expect(within(screen.getByTestId("import-problems")).getAllByRole("row")).toHaveLength(2));

    // A fixed file, with a customer to create.
    await pick(user, csvFile(CLEAN, "deals-fixed.csv"));
    await screen.findByTestId("import-mapping");
    await user.click(screen.getByLabelText("Create customers that do not exist yet"));
    await check(user);
    await screen.findByTestId("import-report");
    expect(screen.getByTestId("import-verdict").textContent).toBe("Every row is ready to import.");
    expect(screen.getByTestId("import-stat-identities").textContent).toBe("New customers1");
    const importButton = screen.getByTestId("import-run") as HTMLButtonElement;
    expect(importButton.textContent).toBe("Import 2 opportunities");
    expect(importButton.disabled).toBe(false);
    await user.click(importButton);
    const result = await screen.findByTestId("import-result");
    expect(within(result).getByRole("heading").textContent).toBe("2 opportunities imported.");
    expect(within(result).getByText("New customers: 1 · new products: 0")).toBeTruthy();
    expect(within(result).getByRole("link", { name: "Open the opportunity list" }).getAttribute("href")).toBe("#/opportunities");
    expect(transferMock.written).toHaveLength(1);
    const real = backend.calls.filter((c) => c.cmd === "import_run").at(-1)?.args as { dryRun: boolean; options: { createMissingIdentities: boolean } };
    expect(real.dryRun).toBe(false);
    expect(real.options.createMissingIdentities).toBe(true);
  });

  it("takes a file from the system's dialog, maps a value the app does not know, and remembers the last options", { timeout: 20_000 }, async () => {
    transferMock.remembered = {
      createMissingIdentities: true,
      createMissingProducts: false,
      createMissingUsers: true,
      defaultTypeId: 10,
      defaultSourceId: 3,
      defaultStageId: 1,
      defaultWinReasonId: null,
      defaultLossReasonId: null,
      placeholderIdentityId: null,
      dateFormat: "mdy",
      values: [{ field: "stage", value: "nowhere", targetId: 2, create: false }],
      kind: "opportunities",
    };
    transferMock.picked = stagedFile("from-dialog.csv", WITH_ERRORS);
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("import-pick"));
    await screen.findByTestId("import-mapping");
    expect(screen.getByTestId("import-file-name").textContent).toBe("from-dialog.csv · 312 bytes · 4 rows");
    // The last good import's options come back.
    expect((screen.getByLabelText("Create customers that do not exist yet") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Create the agents who are not users yet") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText("Dates in the file") as HTMLSelectElement).value).toBe("mdy");

    await user.click(screen.getByRole("button", { name: "Next: the file's values" }));
    const stages = await screen.findByTestId("import-values-stage");
    const nowhere = within(stages).getByLabelText("What “Nowhere” becomes") as HTMLSelectElement;
    // Remembered from the last import: Nowhere was mapped to Needs analysis.
    expect(nowhere.value).toBe("id:2");
    await user.selectOptions(nowhere, "Negotiation");
    expect((within(stages).getByLabelText("What “Negotiation” becomes") as HTMLSelectElement).value).toBe("id:3");
    await user.click(screen.getByRole("button", { name: "Check (dry run)" }));
    await screen.findByTestId("import-report");
    const run = backend.calls.filter((c) => c.cmd === "import_run").at(-1)?.args as { options: { values: unknown[] } };
    expect(run.options.values).toContainEqual({ field: "stage", value: "Nowhere", targetId: 3, create: false });
    // The unknown stage now maps: only the date and the amount remain.
    expect(screen.getByTestId("import-stat-problems").textContent).toBe("Problems2");
  });

  it("shows the progress of a run and cancels it", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    let release = () => undefined as void;
    transferMock.gate = new Promise<void>((r) => {
      release = r;
    });
    render(<App />);
    await pick(user, csvFile(WITH_ERRORS));
    await check(user);
    const progress = await screen.findByTestId("import-progress");
    expect(within(progress).getByText("Checking rows…")).toBeTruthy();
    await waitFor(() => expect(within(progress).getByText("0 of 4 rows")).toBeTruthy());
    expect(within(progress).getByRole("progressbar").getAttribute("aria-valuemax")).toBe("4");
    await user.click(within(progress).getByRole("button", { name: "Cancel" }));
    expect(backend.calls.some((c) => c.cmd === "cancel_transfer")).toBe(true);
    release();
    expect((await screen.findByTestId("import-message")).textContent).toBe("The check was cancelled. Nothing was written.");
    expect(screen.queryByTestId("import-report")).toBeNull();
    expect(screen.getByTestId("import-values")).toBeTruthy();
  });

  it("says in plain words why a file cannot be read", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    render(<App />);
    const latin1 = new Uint8Array([...new TextEncoder().encode("Title,Customer\nA,B\nCaf"), 0xe9, 0x0a]);
    await pick(user, new File([latin1], "latin1.csv", { type: "text/csv" }));
    expect((await screen.findByTestId("import-file-error")).textContent).toBe(
      "This file cannot be importedThe file is not UTF-8 text (line 3). Save it as “CSV UTF-8” and try again.",
    );
    expect(screen.queryByTestId("import-mapping")).toBeNull();

    await pick(user, csvFile("\n\n", "empty.csv"));
    await waitFor(() => expect(screen.getByTestId("import-file-error").textContent).toContain("The file is empty: it has no row of column names."));
  });

  it("shows Persian digits and right-to-left text in Persian", { timeout: 15_000 }, async () => {
    window.localStorage.setItem("forsat.language", "fa");
    backend.settings.language = "fa";
    initI18n("fa");
    const user = userEvent.setup();
    render(<App />);
    await pick(user, csvFile(WITH_ERRORS));
    await check(user, "بررسی (بدون ثبت)", "بعدی: مقدارهای فایل");
    await screen.findByTestId("import-report");
    expect(screen.getByTestId("import-stat-rows").textContent).toBe("ردیف‌ها۴");
    const first = within(screen.getByTestId("import-problems")).getAllByRole("row")[1];
    expect(first.textContent).toBe("۳StageNowhereمرحلهٔ فروشی با این نام وجود ندارد.");
    expect(document.documentElement.dir).toBe("rtl");
  });
});
