import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useState } from "react";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent, { type UserEvent } from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { QueryClientProvider } from "@tanstack/react-query";
import App from "../../App";
import { createQueryClient } from "../../app/queryClient";
import { SettingsProvider } from "../../app/settings";
import { ToastProvider } from "../../components/Toast";
import { initI18n } from "../../i18n";
import type { LineOut } from "../../lib/types";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { catalogueMock, makeCategory, makeProduct } from "../../test/mockCatalogue";
import { emptyOpportunityForm, formFromDetail, setLines, typedAmountAtStake, type OpportunityFormState } from "./formModel";
import { ProductsSection } from "./ProductsSection";

let backend: MockBackend;

const savedLine: LineOut = {
  id: 70, position: 1, productId: 1, productCode: "LP-100", productName: "Laptop", unitFa: "عدد", unitEn: "pcs", quantity: "1", unitPrice: "1000000",
  discountKind: "percent", discountValue: "0", discountAmount: "0", taxPercent: "0", taxAmount: "0", net: "1000000", total: "1000000", description: null, sourceLineId: null,
};

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading", kind: "organization" });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [
      makeOpportunity(5, acme, { title: "Laptops for Acme", estimatedAmount: "0", amountIsManual: true }),
      makeOpportunity(6, acme, { title: "Desk setup", lines: [savedLine], estimatedAmount: "1000000", lineTotals: { sum: "1000000", discount: "0", tax: "0", total: "1000000" } }),
    ],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  catalogueMock.categories = [makeCategory(1, "Hardware"), makeCategory(2, "Laptops", 1), makeCategory(3, "Services")];
  catalogueMock.products = [
    makeProduct(1, { code: "LP-100", name: "Laptop", categoryId: 2, salePrice: "1000000" }),
    makeProduct(2, { code: "LP-200", name: "Laptop Pro", categoryId: 2, salePrice: "2000000" }),
    makeProduct(3, { code: "SV-1", name: "Installation", categoryId: 3, kind: "service", salePrice: "500000", taxable: false }),
    makeProduct(4, { code: "LP-OLD", name: "Old laptop", categoryId: 2, active: false }),
  ];
});

afterEach(() => {
  clearMocks();
});

async function openOpportunity(id: number) {
  window.history.replaceState(null, "", `#/opportunities/${id}`);
  render(<App />);
  await screen.findByTestId("opportunity-form");
  return screen.findByTestId("product-selector");
}

async function pickFromCategory(user: UserEvent, category: string, product: string) {
  const selector = screen.getByTestId("product-selector");
  await user.click(within(selector).getByRole("treeitem", { name: category }));
  const results = await screen.findByTestId("product-results");
  await user.click(await within(results).findByText(product));
}

const lines = () => screen.getByTestId("opportunity-lines");
const cellOf = (row: number, testId: string) => within(within(lines()).getAllByRole("row")[row + 1] as HTMLElement).getByTestId(testId);

describe("Opportunity products (15–18)", () => {
  it("computes a line live like the backend: 2.5 × 1,000,000 − 3% = 2,425,000", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    await pickFromCategory(user, "Laptops", "Laptop");

    const quantity = screen.getByRole("textbox", { name: "Quantity Laptop" });
    await user.clear(quantity);
    await user.type(quantity, "۲٫۵"); // Persian digits and decimal mark
    expect((quantity as HTMLInputElement).value).toBe("2.5");
    const discount = screen.getByRole("textbox", { name: "Discount Laptop" });
    await user.clear(discount);
    await user.type(discount, "3");

    expect(cellOf(0, "line-final").textContent).toBe("2,425,000");
    expect(screen.getByTestId("totals-sum").textContent).toBe("2,500,000 IRR");
    expect(screen.getByTestId("totals-discount").textContent).toBe("75,000 IRR");
    expect(screen.getByTestId("totals-final").textContent).toBe("2,425,000 IRR");
    // The unit price defaults to the product's price.
    expect((screen.getByRole("textbox", { name: "Unit price Laptop" }) as HTMLInputElement).value).toBe("1,000,000");

    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByText("“Laptops for Acme” was saved.");
    const sent = backend.calls.filter((c) => c.cmd === "update_opportunity").at(-1)?.args as { input: { lines: unknown[]; amountIsManual: boolean } };
    expect(sent.input.lines).toEqual([{ productId: 1, quantity: "2.5", unitPrice: "1000000", discountKind: "percent", discountValue: "3", description: null, sourceLineId: null }]);
    expect(sent.input.amountIsManual).toBe(false);
  });

  it("maps line errors from the backend onto their cells", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    await pickFromCategory(user, "Laptops", "Laptop");
    const discount = screen.getByRole("textbox", { name: "Discount Laptop" });
    await user.clear(discount);
    await user.type(discount, "150");
    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByTestId("form-alert");
    expect(discount.getAttribute("aria-invalid")).toBe("true");
    const described = (discount.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent);
    expect(described).toContain("This value is out of range.");
  });

  it("16: «Clear the product group after choosing a product», checked by default: a pick clears the group; unchecked, the group and its list stay", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    const selector = screen.getByTestId("product-selector");
    const clear = within(selector).getByTestId("clear-group-after-pick") as HTMLInputElement;
    await waitFor(() => expect(clear.disabled).toBe(false));
    expect(clear.type).toBe("checkbox");
    expect(clear.getAttribute("role")).toBeNull();
    expect(clear.checked).toBe(true);
    expect(within(selector).getByRole("checkbox", { name: "Clear the product group after choosing a product" })).toBe(clear);

    // Checked: after a pick the group is cleared, the search emptied, focus back in the search box.
    const search = within(selector).getByRole("combobox", { name: "Search by name or code" });
    await user.click(within(selector).getByRole("treeitem", { name: "Laptops" }));
    await user.type(search, "pro");
    await user.click(await within(screen.getByTestId("product-results")).findByText("Laptop Pro"));
    expect(within(lines()).getByText("Laptop Pro")).toBeTruthy();
    expect((search as HTMLInputElement).value).toBe("");
    expect(document.activeElement).toBe(search);
    expect(within(selector).getByRole("treeitem", { name: "All categories" }).getAttribute("aria-selected")).toBe("true");
    expect(within(selector).getByRole("treeitem", { name: "Laptops" }).getAttribute("aria-selected")).toBe("false");
    expect(screen.getByTestId("product-results").hidden).toBe(true);

    // Unchecked: remembered for the user (as "keep the category open"), and several products of one group go in a row.
    await user.click(clear);
    expect(clear.checked).toBe(false);
    await waitFor(() => expect(backend.calls.some((c) => c.cmd === "set_keep_category_open" && (c.args as { on: boolean }).on)).toBe(true));
    await user.click(within(selector).getByRole("treeitem", { name: "Laptops" }));
    const results = await screen.findByTestId("product-results");
    await within(results).findByText("Laptop");
    // Only saleable, active products are offered.
    expect(within(results).queryByText("Old laptop")).toBeNull();
    await user.click(within(results).getByText("Laptop"));
    expect(within(selector).getByRole("treeitem", { name: "Laptops" }).getAttribute("aria-selected")).toBe("true");
    expect(within(results).getByText("Laptop Pro")).toBeTruthy();
    // Keyboard: the list keeps its place; Down then Enter adds the next product.
    results.focus();
    await user.keyboard("{ArrowDown}{Enter}");
    expect(within(lines()).getAllByRole("row").slice(1).map((r) => r.querySelector(".cell-name bdi")?.textContent)).toEqual(["Laptop Pro", "Laptop", "Laptop Pro"]);

    // Checked again: stored as "keep open" off.
    await user.click(clear);
    await waitFor(() => expect(backend.calls.filter((c) => c.cmd === "set_keep_category_open").map((c) => (c.args as { on: boolean }).on)).toEqual([true, false]));
  });

  it("16 in Persian: the source's wording, checked by default", { timeout: 15_000 }, async () => {
    initI18n("fa");
    backend.settings = { ...backend.settings, language: "fa" };
    await openOpportunity(5);
    const clear = screen.getByTestId("clear-group-after-pick") as HTMLInputElement;
    await waitFor(() => expect(clear.disabled).toBe(false));
    expect(screen.getByRole("checkbox", { name: "خالی شدن گروه محصول بعد از انتخاب محصول" })).toBe(clear);
    expect(clear.checked).toBe(true);
  });

  it("a search inside a group that finds nothing offers to search all categories", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    const selector = screen.getByTestId("product-selector");
    await user.click(within(selector).getByRole("treeitem", { name: "Services" }));
    const search = within(selector).getByRole("combobox", { name: "Search by name or code" });
    await user.type(search, "LP-200");
    const none = await within(selector).findByTestId("no-matches-in-category");
    expect(none.textContent).toContain("No product matches in this category — search all categories?");
    await user.click(within(none).getByTestId("search-all-categories"));
    // The same search, in every group.
    expect((search as HTMLInputElement).value).toBe("LP-200");
    expect(within(selector).getByRole("treeitem", { name: "All categories" }).getAttribute("aria-selected")).toBe("true");
    expect(await within(screen.getByTestId("product-results")).findByText("Laptop Pro")).toBeTruthy();
    expect(within(selector).queryByTestId("search-all-categories")).toBeNull();
    expect(document.activeElement).toBe(search);
  });

  it("a search in all categories that finds nothing says so, without the offer", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    const selector = screen.getByTestId("product-selector");
    await user.type(within(selector).getByRole("combobox", { name: "Search by name or code" }), "zzz");
    expect(await within(selector).findByText("No saleable products match.")).toBeTruthy();
    expect(within(selector).queryByTestId("search-all-categories")).toBeNull();
  });

  it("works from the keyboard: the category tree, then the search box and its list", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(5);
    const selector = screen.getByTestId("product-selector");
    const tree = within(selector).getByRole("tree", { name: "Product category" });
    const all = within(tree).getByRole("treeitem", { name: "All categories" });
    expect(all.tabIndex).toBe(0);
    all.focus();
    await user.keyboard("{ArrowDown}");
    const hardware = within(tree).getByRole("treeitem", { name: "Hardware" });
    expect(document.activeElement).toBe(hardware);
    expect(hardware.getAttribute("aria-expanded")).toBe("true");
    await user.keyboard("{ArrowLeft}"); // closes the branch (left-to-right)
    expect(hardware.getAttribute("aria-expanded")).toBe("false");
    expect(within(tree).queryByRole("treeitem", { name: "Laptops" })).toBeNull();
    await user.keyboard("{ArrowRight}{ArrowRight}"); // opens it, then steps into it
    expect(document.activeElement).toBe(within(tree).getByRole("treeitem", { name: "Laptops" }));
    await user.keyboard("{Enter}");
    expect(within(tree).getByRole("treeitem", { name: "Laptops" }).getAttribute("aria-selected")).toBe("true");

    const search = within(selector).getByRole("combobox", { name: "Search by name or code" });
    search.focus();
    await within(screen.getByTestId("product-results")).findByText("Laptop Pro");
    await user.keyboard("{ArrowDown}");
    expect(search.getAttribute("aria-activedescendant")).toBe(within(screen.getByTestId("product-results")).getAllByRole("option")[1]?.id);
    await user.keyboard("{Enter}");
    expect(within(lines()).getByText("Laptop Pro")).toBeTruthy();
    expect(document.activeElement).toBe(search);
  });

  it("starts from the remembered preference: a user who kept the category open finds 16 unchecked", { timeout: 15_000 }, async () => {
    catalogueMock.prefs = { keepCategoryOpen: true };
    await openOpportunity(5);
    const clear = screen.getByTestId("clear-group-after-pick") as HTMLInputElement;
    await waitFor(() => expect(clear.disabled).toBe(false));
    expect(clear.checked).toBe(false);
  });

  it("follows the lines' sum automatically until the amount is typed, and goes back to automatic", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(6);
    const automatic = screen.getByLabelText("Estimated amount (automatic)") as HTMLInputElement;
    expect(automatic.value).toBe("1,000,000");
    expect(automatic.dataset.mode).toBe("automatic");
    expect(screen.queryByTestId("amount-manual")).toBeNull();

    await pickFromCategory(user, "Services", "Installation");
    expect((screen.getByLabelText("Estimated amount (automatic)") as HTMLInputElement).value).toBe("1,500,000");

    // Typing makes it manual.
    const field = screen.getByLabelText("Estimated amount (automatic)");
    await user.clear(field);
    await user.type(field, "1800000");
    const manual = screen.getByLabelText("Estimated amount") as HTMLInputElement;
    expect(manual.value).toBe("1,800,000");
    expect(screen.getByTestId("amount-manual").textContent).toBe("Manual");
    await user.click(screen.getByTestId("opportunity-save"));
    await screen.findByText("“Desk setup” was saved.");
    let sent = backend.calls.filter((c) => c.cmd === "update_opportunity").at(-1)?.args as { input: { amountIsManual: boolean; estimatedAmount: string } };
    expect(sent.input).toMatchObject({ amountIsManual: true, estimatedAmount: "1800000" });

    // Back to automatic: the sum again, sent as automatic.
    await user.click(screen.getByRole("button", { name: "Back to automatic" }));
    expect((screen.getByLabelText("Estimated amount (automatic)") as HTMLInputElement).value).toBe("1,500,000");
    await user.click(screen.getByTestId("opportunity-save"));
    await waitFor(() => expect(backend.calls.filter((c) => c.cmd === "update_opportunity")).toHaveLength(2));
    sent = backend.calls.filter((c) => c.cmd === "update_opportunity").at(-1)?.args as { input: { amountIsManual: boolean; estimatedAmount: string } };
    expect(sent.input.amountIsManual).toBe(false);
  });

  it("shows the expected and realized amounts beside the balance", { timeout: 15_000 }, async () => {
    backend.opportunities = backend.opportunities.map((o) => (o.id === 6 ? { ...o, expectedAmount: "100000", realizedAmount: "2500000" } : o));
    await openOpportunity(6);
    expect(screen.getByTestId("opportunity-expected").textContent).toBe("100,000 IRR");
    expect(screen.getByTestId("opportunity-realized").textContent).toBe("2,500,000 IRR");
  });

  it("enables issuing only for a saved opportunity with lines, saving pending changes first", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    // A new opportunity: not saved yet.
    window.history.replaceState(null, "", "#/opportunities/new?identity=1");
    const view = render(<App />);
    await screen.findByTestId("product-selector");
    expect((screen.getByTestId("issue-proforma") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByTestId("issue-invoice") as HTMLButtonElement).disabled).toBe(true);
    view.unmount();

    // Saved, no lines: still disabled, and says why.
    await openOpportunity(5);
    expect((screen.getByTestId("issue-proforma") as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("issue-hint").textContent).toBe("Add products to issue a proforma or an invoice.");

    // With a line (unsaved): enabled; issuing saves first, then opens the new proforma.
    await pickFromCategory(user, "Laptops", "Laptop");
    expect((screen.getByTestId("issue-proforma") as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByTestId("issue-invoice") as HTMLButtonElement).disabled).toBe(false);
    await user.click(screen.getByTestId("issue-proforma"));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/records\/\d+$/));
    const order = backend.calls.map((c) => c.cmd).filter((c) => c === "update_opportunity" || c === "issue_from_opportunity");
    expect(order).toEqual(["update_opportunity", "issue_from_opportunity"]);
    expect(backend.calls.find((c) => c.cmd === "issue_from_opportunity")?.args).toEqual({ opportunityId: 5, kind: "proforma" });
    expect((await screen.findByTestId("financial-heading")).textContent).toContain("Proforma PF-1");
    expect(screen.getByTestId("record-opportunity").textContent).toBe("Laptops for Acme");
    expect(within(screen.getByTestId("record-lines")).getByText("Laptop")).toBeTruthy();
  });

  it("issues an invoice from an opportunity that is already saved, without saving again", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await openOpportunity(6);
    await user.click(screen.getByTestId("issue-invoice"));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/records\/\d+$/));
    expect(backend.calls.some((c) => c.cmd === "update_opportunity")).toBe(false);
    expect((await screen.findByTestId("financial-heading")).textContent).toContain("Invoice INV-1");
  });
});

/** ProductsSection wired to the form model the way the opportunity form wires it (8 and 15). */
function AmountHarness({ start }: { start: OpportunityFormState }) {
  const [form, setForm] = useState(start);
  return (
    <>
      <output data-testid="harness-amount">{`${form.estimatedAmount} ${form.amountIsManual ? "manual" : "automatic"}`}</output>
      <ProductsSection
        lines={form.lines}
        typedAmount={typedAmountAtStake(form)}
        onLinesChange={(next, _key, typed) => setForm((f) => setLines(f, next, 0, typed))}
        errorText={() => null}
        num={() => null}
        tip={() => ""}
        saved
        issuing={null}
        onIssue={() => undefined}
      />
    </>
  );
}

async function renderHarness(start: OpportunityFormState) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <SettingsProvider>
        <ToastProvider>
          <AmountHarness start={start} />
        </ToastProvider>
      </SettingsProvider>
    </QueryClientProvider>,
  );
  const selector = await screen.findByTestId("product-selector");
  await within(selector).findByRole("treeitem", { name: "Laptops" });
  await waitFor(() => expect((within(selector).getByTestId("clear-group-after-pick") as HTMLInputElement).disabled).toBe(false));
}

const amount = () => screen.getByTestId("harness-amount").textContent;
const typedOnNewForm = (value: string): OpportunityFormState => ({ ...emptyOpportunityForm(1, [], null), estimatedAmount: value, amountIsManual: true });

describe("8 and 15: the first product lines never replace a typed amount unasked", () => {
  it("asks, and replaces the typed amount with the lines' sum when told to", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await renderHarness(typedOnNewForm("5000000"));
    await pickFromCategory(user, "Laptops", "Laptop");
    const confirm = await screen.findByTestId("amount-replace-confirm");
    expect(within(confirm).getByRole("heading").textContent).toBe("Replace the estimated amount?");
    expect(confirm.textContent).toContain("You typed an estimated amount of 5,000,000 IRR. The products' final sum is 1,000,000 IRR.");
    // Nothing changes until the user answers.
    expect(amount()).toBe("5000000 manual");
    expect(screen.getByTestId("opportunity-lines-empty")).toBeTruthy();
    expect(document.activeElement).toBe(within(confirm).getByTestId("amount-replace-keep"));

    await user.click(within(confirm).getByTestId("amount-replace-yes"));
    expect(screen.queryByTestId("amount-replace-confirm")).toBeNull();
    expect(amount()).toBe("1000000 automatic");
    expect(within(lines()).getByText("Laptop")).toBeTruthy();
    // From now on the amount follows the lines, without asking again.
    await pickFromCategory(user, "Laptops", "Laptop Pro");
    expect(screen.queryByTestId("amount-replace-confirm")).toBeNull();
    expect(amount()).toBe("3000000 automatic");
  });

  it("keeps the typed amount (as hand-set) when told to, and the product is still added", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    // A saved opportunity without lines: its amount was typed.
    const saved = formFromDetail(makeOpportunity(7, makeIdentity(1), { estimatedAmount: "5000000", amountIsManual: true }));
    await renderHarness(saved);
    await pickFromCategory(user, "Laptops", "Laptop");
    await user.click(within(await screen.findByTestId("amount-replace-confirm")).getByTestId("amount-replace-keep"));
    expect(amount()).toBe("5000000 manual");
    expect(within(lines()).getByText("Laptop")).toBeTruthy();
    await pickFromCategory(user, "Laptops", "Laptop Pro");
    expect(screen.queryByTestId("amount-replace-confirm")).toBeNull();
    expect(amount()).toBe("5000000 manual");
  });

  it("closing the question keeps the typed amount", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await renderHarness(typedOnNewForm("5000000"));
    await pickFromCategory(user, "Laptops", "Laptop");
    await screen.findByTestId("amount-replace-confirm");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("amount-replace-confirm")).toBeNull();
    expect(amount()).toBe("5000000 manual");
    expect(within(lines()).getByText("Laptop")).toBeTruthy();
  });

  it("does not ask when no amount was typed", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    await renderHarness(typedOnNewForm("0"));
    await pickFromCategory(user, "Laptops", "Laptop");
    expect(screen.queryByTestId("amount-replace-confirm")).toBeNull();
    expect(amount()).toBe("1000000 automatic");
  });
});
