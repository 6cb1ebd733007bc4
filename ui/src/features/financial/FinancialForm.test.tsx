import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import type { FinancialDetail, LineOut } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { catalogueMock, makeCategory, makeFinancial, makeProduct } from "../../test/mockCatalogue";

let backend: MockBackend;

const line = (partial: Partial<LineOut>): LineOut => ({
  id: 500, position: 1, productId: 1, productCode: "LP-100", productName: "Laptop", unitFa: "عدد", unitEn: "pcs", quantity: "2.5", unitPrice: "1000000",
  discountKind: "percent", discountValue: "3", discountAmount: "75000", taxPercent: "10", taxAmount: "242500", net: "2425000", total: "2667500", description: null, sourceLineId: null,
  ...partial,
});

const invoice = (partial: Partial<FinancialDetail> = {}): FinancialDetail =>
  makeFinancial(41, {
    kind: "invoice",
    number: "INV-1403-0007",
    title: "Laptops for Acme",
    identityId: 1,
    identityName: "Acme Trading",
    opportunityId: 5,
    issueDate: "2024-04-15",
    lines: [line({}), line({ id: 501, position: 2, productId: 3, productCode: "SV-1", productName: "Installation", quantity: "1", unitPrice: "500000", discountValue: "0", discountAmount: "0", taxPercent: "0", taxAmount: "0", net: "500000", total: "500000" })],
    totals: { sum: "3000000", discount: "75000", tax: "242500", total: "3167500" },
    amount: "3167500",
    ...partial,
  });

function seed(records: FinancialDetail[]) {
  catalogueMock.records = records;
  backend.financialRecords = records.map((r) => ({
    kind: r.kind, id: r.id, title: r.title, number: r.number, stageId: null, status: r.status, amount: r.amount, date: r.issueDate, createdAt: r.createdAt, identityId: r.identityId, parentId: r.opportunityId,
  }));
}

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [makeOpportunity(5, acme, { title: "Laptops for Acme" })],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "10" },
  }).backend;
  catalogueMock.categories = [makeCategory(1, "Hardware")];
  catalogueMock.products = [makeProduct(1, { code: "LP-100", name: "Laptop", salePrice: "1000000" }), makeProduct(3, { code: "SV-1", name: "Installation", salePrice: "500000", taxable: false })];
});

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

describe("Financial records", () => {
  it("creates a receipt from the identity's Records tab, with errors on the fields, then approves it and shows it read-only", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/identities/1/records");
    render(<App />);
    for (const kind of ["receipt", "payment", "contract", "invoice", "proforma"]) expect(await screen.findByTestId(`new-${kind}`)).toBeTruthy();
    await user.click(screen.getByTestId("new-receipt"));
    await waitFor(() => expect(window.location.hash).toBe("#/records/new?kind=receipt&identity=1"));
    expect((await screen.findByTestId("financial-heading")).textContent).toBe("New receipt");
    // A sensible title is there already: the kind and the customer.
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Receipt — Acme Trading");

    await user.click(screen.getByTestId("record-save"));
    await screen.findByTestId("form-alert");
    expect(screen.getByLabelText("Title").getAttribute("aria-invalid")).toBeNull();
    for (const label of ["Amount", "Method"]) {
      const control = screen.getByLabelText(label);
      expect(control.getAttribute("aria-invalid")).toBe("true");
      const described = (control.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
      expect(described).toContain("This field is required.");
    }

    await user.type(screen.getByLabelText("Amount"), "۱۲۰۰۰۰۰");
    await user.selectOptions(screen.getByLabelText("Method"), "Bank transfer");
    await user.type(screen.getByLabelText("Reference number"), "TR-88");
    await user.click(screen.getByTestId("record-save"));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/records\/\d+$/));
    const sent = backend.calls.filter((c) => c.cmd === "create_financial_record").at(-1)?.args as { input: Record<string, unknown> };
    expect(sent.input).toMatchObject({ kind: "receipt", identityId: 1, opportunityId: null, title: "Receipt — Acme Trading", amount: "1200000", method: "bank_transfer", referenceNo: "TR-88", lines: [] });
    expect((await screen.findByTestId("financial-heading")).textContent).toBe("Receipt RC-1Draft");

    await user.click(screen.getByTestId("approve"));
    await user.click(within(await screen.findByTestId("approve-confirm")).getByTestId("approve-confirm-yes"));
    await waitFor(() => expect(screen.getByTestId("record-status").textContent).toBe("Approved"));
    expect(screen.getByTestId("approved-note")).toBeTruthy();
    expect(screen.queryByTestId("record-save")).toBeNull();
    expect(screen.queryByTestId("approve")).toBeNull();
    expect(screen.queryByTestId("record-delete")).toBeNull();
    // Read-only: the values as text, no boxes at all.
    const page = screen.getByTestId("financial-page");
    expect(page.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(screen.getByTestId("record-value-title").textContent).toBe("Receipt — Acme Trading");
    expect(screen.getByTestId("record-value-amount").textContent).toBe("1,200,000 IRR");
    expect(screen.getByTestId("record-value-method").textContent).toBe("Bank transfer");
    expect(screen.getByTestId("record-value-referenceNo").textContent).toBe("TR-88");
    expect(screen.getByTestId("record-value-description").textContent).toBe("—");
    expect(screen.getByTestId("print")).toBeTruthy();
  });

  it("shows an approved invoice read-only: values as text, no inputs, no row actions, no save", { timeout: 15_000 }, async () => {
    seed([invoice({ status: "approved", description: "Delivered to the Tehran office", expiryDate: null })]);
    window.history.replaceState(null, "", "#/records/41");
    render(<App />);
    const page = await screen.findByTestId("financial-page");
    await screen.findByTestId("record-lines");
    expect(page.getAttribute("data-locked")).toBe("true");
    expect(screen.getByTestId("approved-note")).toBeTruthy();
    expect(page.querySelectorAll("input, select, textarea")).toHaveLength(0);
    expect(within(page).queryAllByRole("textbox")).toHaveLength(0);
    expect(within(page).queryAllByRole("combobox")).toHaveLength(0);
    expect(screen.queryByTestId("record-save")).toBeNull();
    expect(screen.queryByTestId("approve")).toBeNull();
    expect(screen.queryByTestId("record-delete")).toBeNull();
    expect(screen.queryByTestId("product-selector")).toBeNull();
    for (const action of ["line-up", "line-down", "line-remove"]) expect(screen.queryByTestId(action)).toBeNull();
    // What is still allowed on an approved invoice.
    for (const action of ["print", "new-receipt-from-invoice", "new-return-from-invoice"]) expect(screen.getByTestId(action)).toBeTruthy();
    // Values formatted with the shared formatters.
    expect(screen.getByTestId("record-value-title").textContent).toBe("Laptops for Acme");
    expect(screen.getByTestId("record-value-issueDate").textContent).toBe("2024/04/15");
    expect(screen.getByTestId("record-value-description").textContent).toBe("Delivered to the Tehran office");
    const rows = within(screen.getByTestId("record-lines")).getAllByRole("row").slice(1);
    expect(within(rows[0] as HTMLElement).getByText("2.5")).toBeTruthy();
    expect(within(rows[0] as HTMLElement).getByTestId("line-final").textContent).toBe("2,667,500");
    expect(screen.getByTestId("totals-final").textContent).toBe("3,167,500 IRR");
    // Ctrl+S does nothing on it.
    await act(async () => {
      window.dispatchEvent(new KeyboardEvent("keydown", { key: "s", code: "KeyS", ctrlKey: true }));
    });
    expect(backend.calls.some((c) => c.cmd === "update_financial_record")).toBe(false);
  });

  it("gives a new payment a default title in Persian, and isolates Latin names", { timeout: 15_000 }, async () => {
    await act(async () => {
      initI18n("fa");
    });
    backend.settings = { ...backend.settings, language: "fa" };
    backend.identities[0] = { ...(backend.identities[0] as (typeof backend.identities)[number]), displayName: "Pars Office Co." };
    window.history.replaceState(null, "", "#/records/new?kind=payment&identity=1");
    render(<App />);
    await screen.findByTestId("financial-form");
    expect((screen.getByLabelText("عنوان") as HTMLInputElement).value).toBe("پرداخت — Pars Office Co.");
    expect(screen.getByTestId("record-identity").querySelector("bdi")?.textContent).toBe("Pars Office Co.");
  });

  it("opens financial rows of the Records tabs and starts records inside an opportunity", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    seed([invoice()]);
    window.history.replaceState(null, "", "#/opportunities/5/records");
    render(<App />);
    const table = await screen.findByTestId("opportunity-records");
    for (const kind of ["receipt", "payment", "contract", "invoice", "proforma"]) expect(screen.getByTestId(`new-${kind}`)).toBeTruthy();
    await user.click(within(table).getByText("Laptops for Acme"));
    await waitFor(() => expect(window.location.hash).toBe("#/records/41"));
    expect((await screen.findByTestId("financial-heading")).textContent).toContain("Invoice INV-1403-0007");
    expect(screen.getByTestId("record-identity").textContent).toBe("Acme Trading");
    expect(screen.getByTestId("record-opportunity").getAttribute("href")).toBe("#/opportunities/5");
    // The saved tax of each line and the document's totals.
    const rows = within(screen.getByTestId("record-lines")).getAllByRole("row").slice(1);
    expect(within(rows[0] as HTMLElement).getByTestId("line-tax-percent").textContent).toBe("10%");
    expect(within(rows[0] as HTMLElement).getByTestId("line-tax-amount").textContent).toBe("242,500");
    expect(within(rows[0] as HTMLElement).getByTestId("line-final").textContent).toBe("2,667,500");
    expect(screen.getByTestId("totals-tax").textContent).toBe("242,500 IRR");
    expect(screen.getByTestId("totals-final").textContent).toBe("3,167,500 IRR");

    // "New receipt" from the invoice keeps the customer and the opportunity.
    await user.click(screen.getByTestId("new-receipt-from-invoice"));
    await waitFor(() => expect(window.location.hash).toBe("#/records/new?kind=receipt&identity=1&opportunity=5"));
    expect((await screen.findByTestId("record-opportunity")).textContent).toBe("Laptops for Acme");
  });

  it("turns a proforma into an invoice", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    seed([invoice({ id: 42, kind: "proforma", number: "PF-9", expiryDate: "2024-05-01" })]);
    window.history.replaceState(null, "", "#/records/42");
    render(<App />);
    expect((await screen.findByTestId("financial-heading")).textContent).toContain("Proforma PF-9");
    expect(screen.getByLabelText("Expiry date")).toBeTruthy();
    await user.click(screen.getByTestId("turn-into-invoice"));
    await waitFor(() => expect(window.location.hash).not.toBe("#/records/42"));
    expect(backend.calls.find((c) => c.cmd === "invoice_from_proforma")?.args).toEqual({ proformaId: 42 });
    expect((await screen.findByTestId("financial-heading")).textContent).toContain("Invoice INV-1");
    expect(screen.getByTestId("record-parent").getAttribute("href")).toBe("#/records/42");
  });

  it("returns lines of an approved invoice, never silently more than invoiced", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    seed([invoice({ status: "approved" })]);
    window.history.replaceState(null, "", "#/records/41");
    render(<App />);
    await user.click(await screen.findByTestId("new-return-from-invoice"));
    await waitFor(() => expect(window.location.hash).toBe("#/records/new?kind=sales_return&identity=1&opportunity=5&parent=41"));
    const table = await screen.findByTestId("return-table");
    const picks = within(table).getAllByRole("checkbox");
    await user.click(picks[0] as HTMLElement);
    const quantity = within(table).getByRole("textbox", { name: "Quantity returned Laptop" });
    expect((quantity as HTMLInputElement).value).toBe("2.5");
    await user.clear(quantity);
    await user.type(quantity, "3");
    expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Sales return — Acme Trading");
    await user.clear(screen.getByLabelText("Title"));
    await user.type(screen.getByLabelText("Title"), "Returned laptop");
    await user.click(screen.getByTestId("record-save"));
    await screen.findByTestId("form-alert");
    expect(quantity.getAttribute("aria-invalid")).toBe("true");
    expect(within(table).getByText("Enter a value between 0 and 2.5.")).toBeTruthy();

    await user.clear(quantity);
    await user.type(quantity, "1");
    await user.click(screen.getByTestId("record-save"));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/records\/\d+$/));
    const sent = backend.calls.filter((c) => c.cmd === "create_financial_record").at(-1)?.args as { input: { parentRecordId: number; lines: { sourceLineId: number; quantity: string }[] } };
    expect(sent.input.parentRecordId).toBe(41);
    expect(sent.input.lines).toEqual([expect.objectContaining({ productId: 1, sourceLineId: 500, quantity: "1" })]);
  });

  it("explains a conflict and reloads", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    seed([invoice()]);
    window.history.replaceState(null, "", "#/records/41");
    render(<App />);
    await screen.findByTestId("financial-form");
    catalogueMock.records = catalogueMock.records.map((r) => ({ ...r, title: "Changed elsewhere", version: 2 }));
    await user.type(screen.getByLabelText("Title"), " (mine)");
    await user.click(screen.getByTestId("record-save"));
    const banner = await screen.findByTestId("conflict-banner");
    await user.click(within(banner).getByRole("button", { name: "Reload" }));
    await waitFor(() => expect((screen.getByLabelText("Title") as HTMLInputElement).value).toBe("Changed elsewhere"));
  });
});

describe("Print view", () => {
  it("renders the document with its lines and totals, and prints", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    seed([invoice()]);
    window.history.replaceState(null, "", "#/records/41/print");
    render(<App />);
    const view = await screen.findByTestId("print-view");
    await screen.findByTestId("print-totals");
    expect(view.getAttribute("dir")).toBe("ltr");
    expect(screen.queryByRole("navigation", { name: "Main navigation" })).toBeNull();
    // No company name in the settings: no seller line (never the product's name), a hint on screen only.
    expect(screen.queryByTestId("print-company")).toBeNull();
    expect(view.textContent).not.toContain("Forsat");
    expect(screen.getByTestId("print-company-missing").closest(".no-print")).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Invoice" })).toBeTruthy();
    expect(screen.getByTestId("print-number").textContent).toBe("INV-1403-0007");
    expect(screen.getByTestId("print-issue-date").textContent).toBe("2024/04/15");
    expect(screen.getByTestId("print-customer").textContent).toBe("Acme Trading");
    expect(screen.getByTestId("print-customer").querySelector("bdi")).toBeTruthy();
    expect(within(screen.getByTestId("print-lines")).getByText("Installation")).toBeTruthy();
    expect(screen.getByTestId("totals-sum").textContent).toBe("3,000,000 IRR");
    expect(screen.getByTestId("totals-discount").textContent).toBe("75,000 IRR");
    expect(screen.getByTestId("totals-tax").textContent).toBe("242,500 IRR");
    expect(screen.getByTestId("totals-final").textContent).toBe("3,167,500 IRR");
    // The buttons are not printed.
    expect(screen.getByTestId("print-now").closest(".no-print")).toBeTruthy();
    await user.click(screen.getByTestId("print-now"));
    expect(print).toHaveBeenCalledTimes(1);
    await user.click(screen.getByTestId("print-back"));
    await waitFor(() => expect(window.location.hash).toBe("#/records/41"));
  });

  it("is right-to-left with Persian digits and Jalali dates in fa", { timeout: 15_000 }, async () => {
    await act(async () => {
      initI18n("fa");
    });
    backend.settings = { ...backend.settings, language: "fa", calendar: "jalali" };
    seed([invoice()]);
    window.history.replaceState(null, "", "#/records/41/print");
    render(<App />);
    const view = await screen.findByTestId("print-view");
    await screen.findByTestId("print-totals");
    expect(view.getAttribute("dir")).toBe("rtl");
    expect(screen.queryByTestId("print-company")).toBeNull();
    expect(screen.getByTestId("print-company-missing")).toBeTruthy();
    expect(screen.getByTestId("print-issue-date").textContent).toBe("۱۴۰۳/۰۱/۲۷");
    expect(screen.getByTestId("totals-final").textContent).toBe("۳٬۱۶۷٬۵۰۰ ریال");
  });

  it("prints the company name and header from the settings, isolated", { timeout: 15_000 }, async () => {
    await act(async () => {
      initI18n("fa");
    });
    backend.settings = { ...backend.settings, language: "fa", calendar: "jalali", companyName: "Pars Office Co.", companyHeader: "Tehran, Valiasr St.\n\n021-8888" };
    seed([invoice({ identityName: "Pars Office Co.", title: "Laptops Inc." })]);
    window.history.replaceState(null, "", "#/records/41/print");
    render(<App />);
    await screen.findByTestId("print-totals");
    const company = screen.getByTestId("print-company");
    expect(company.textContent).toBe("Pars Office Co.");
    expect(company.querySelector("bdi")?.textContent).toBe("Pars Office Co.");
    expect([...screen.getByTestId("print-company-header").querySelectorAll("bdi")].map((b) => b.textContent)).toEqual(["Tehran, Valiasr St.", "021-8888"]);
    expect(screen.queryByTestId("print-company-missing")).toBeNull();
    expect(screen.getByTestId("print-customer").querySelector("bdi")?.textContent).toBe("Pars Office Co.");
    expect(screen.getByTestId("print-title").querySelector("bdi")?.textContent).toBe("Laptops Inc.");
  });
});
