import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks } from "@tauri-apps/api/mocks";
import App from "../../App";
import { initI18n } from "../../i18n";
import { installMockBackend, makeIdentity, makeOpportunity, type MockBackend } from "../../test/mockBackend";
import { catalogueMock, makeCategory, makeProduct } from "../../test/mockCatalogue";

let backend: MockBackend;

beforeEach(() => {
  window.localStorage.clear();
  initI18n("en");
  const acme = makeIdentity(1, { displayName: "Acme Trading" });
  const used = makeProduct(1, { code: "LP-100", name: "Laptop", categoryId: 2 });
  backend = installMockBackend({
    identities: [acme],
    opportunities: [
      makeOpportunity(5, acme, {
        lines: [
          { id: 9, position: 1, productId: 1, productCode: "LP-100", productName: "Laptop", unitFa: null, unitEn: null, quantity: "1", unitPrice: "1", discountKind: "percent", discountValue: "0", discountAmount: "0", taxPercent: "0", taxAmount: "0", net: "1", total: "1", description: null, sourceLineId: null },
        ],
      }),
    ],
    settings: { language: "en", calendar: "gregorian", currencyCode: "IRR", currencyDecimals: 0, taxPercent: "9" },
  }).backend;
  catalogueMock.categories = [makeCategory(1, "Hardware"), makeCategory(2, "Laptops", 1), makeCategory(3, "Printers", 1), makeCategory(4, "Services")];
  catalogueMock.products = [used, makeProduct(2, { code: "PR-1", name: "Printer", categoryId: 3, saleable: false }), makeProduct(3, { code: "SV-1", name: "Installation", categoryId: 4, kind: "service" })];
  window.history.replaceState(null, "", "#/identities");
});

afterEach(() => {
  clearMocks();
});

const tree = () => screen.getByTestId("catalogue-categories");
const treeNames = () => within(tree()).getAllByRole("treeitem").map((i) => i.querySelector(".cat-tree__name")?.textContent);

describe("Product catalogue", () => {
  it("is reached from the side navigation and lists, searches and filters products", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    render(<App />);
    await user.click(await screen.findByTestId("nav-products"));
    expect(window.location.hash).toBe("#/products");
    const table = await screen.findByTestId("products-table");
    const header = within(table).getAllByRole("columnheader").map((h) => h.textContent);
    expect(header.slice(0, 9)).toEqual(["Code", "Name", "Category", "Kind", "Unit", "Sale price", "Taxable", "Saleable", "Active"]);
    const printer = within(table).getByText("Printer").closest("tr") as HTMLElement;
    expect(within(printer).getByText("Hardware › Printers")).toBeTruthy();
    expect(within(printer).getAllByText("No")).toHaveLength(1);

    await user.type(screen.getByLabelText("Search products by name or code"), "sv-");
    await waitFor(() => expect(within(screen.getByTestId("products-table")).getAllByRole("row")).toHaveLength(2));
    expect(within(screen.getByTestId("products-table")).getByText("Installation")).toBeTruthy();
    await user.clear(screen.getByLabelText("Search products by name or code"));

    // A category shows itself and everything below it.
    await user.click(within(tree()).getByRole("treeitem", { name: /Hardware/ }));
    await waitFor(() => expect(within(screen.getByTestId("products-table")).getAllByRole("row")).toHaveLength(3));
  });

  it("manages the category tree: add, rename, move, reorder and delete an empty one", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    await screen.findByTestId("catalogue-categories");
    expect(treeNames()).toEqual(["All categories", "Hardware", "Laptops", "Printers", "Services"]);

    // Add a subcategory under the selected category.
    await user.click(within(tree()).getByRole("treeitem", { name: /Hardware/ }));
    await user.click(screen.getByTestId("category-add-sub"));
    const dialog = await screen.findByTestId("category-dialog");
    expect((within(dialog).getByLabelText("Parent category") as HTMLSelectElement).value).toBe("1");
    expect(within(dialog).getByTestId("category-placement").textContent).toBe("The category will be under “Hardware”.");
    await user.type(within(dialog).getByLabelText("Name"), "Monitors");
    await user.click(within(dialog).getByTestId("category-save"));
    await waitFor(() => expect(treeNames()).toEqual(["All categories", "Hardware", "Laptops", "Printers", "Monitors", "Services"]));

    // Reorder among its siblings.
    await user.click(screen.getByRole("button", { name: "Move category up" }));
    await waitFor(() => expect(treeNames()).toEqual(["All categories", "Hardware", "Laptops", "Monitors", "Printers", "Services"]));

    // Rename, then move to the top level (never under itself).
    await user.click(screen.getByTestId("category-rename"));
    const rename = await screen.findByTestId("category-dialog");
    await user.clear(within(rename).getByLabelText("Name"));
    await user.type(within(rename).getByLabelText("Name"), "Displays");
    await user.click(within(rename).getByTestId("category-save"));
    await waitFor(() => expect(treeNames()).toContain("Displays"));
    await user.click(screen.getByTestId("category-move"));
    const move = await screen.findByTestId("category-dialog");
    const parent = within(move).getByLabelText("Parent category") as HTMLSelectElement;
    expect(Array.from(parent.options).map((o) => o.textContent?.trim())).not.toContain("Displays");
    await user.selectOptions(parent, "");
    await user.click(within(move).getByTestId("category-save"));
    await waitFor(() => expect(treeNames()).toEqual(["All categories", "Hardware", "Laptops", "Printers", "Services", "Displays"]));

    // Only an empty category can be deleted.
    await user.click(within(tree()).getByRole("treeitem", { name: /Laptops/ }));
    expect((screen.getByTestId("category-delete") as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(tree()).getByRole("treeitem", { name: /Displays/ }));
    await user.click(screen.getByTestId("category-delete"));
    await user.click(within(await screen.findByTestId("category-delete-confirm")).getByTestId("category-delete-yes"));
    await waitFor(() => expect(treeNames()).not.toContain("Displays"));
  });

  it("adds a category at the top level unless asked for a subcategory, and says where it goes", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    await screen.findByTestId("catalogue-categories");
    // Nothing selected: only a top-level category can be added.
    expect((screen.getByTestId("category-add-sub") as HTMLButtonElement).disabled).toBe(true);

    // "Add category" while a category is selected: still the top level, and the dialog says so.
    await user.click(within(tree()).getByRole("treeitem", { name: /Laptops/ }));
    expect((screen.getByTestId("category-add-sub") as HTMLButtonElement).disabled).toBe(false);
    expect(screen.getByTestId("category-add-sub").getAttribute("title")).toBe("Add a subcategory under “Laptops”");
    await user.click(screen.getByTestId("category-add"));
    let dialog = await screen.findByTestId("category-dialog");
    const parent = within(dialog).getByTestId("category-parent") as HTMLSelectElement;
    expect(within(dialog).getByLabelText("Parent category")).toBe(parent);
    expect(parent.value).toBe("");
    const placement = within(dialog).getByTestId("category-placement");
    expect(placement.textContent).toBe("The category will be at the top level.");
    expect((parent.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent)).toContain("The category will be at the top level.");
    // Choosing a parent says where it will go.
    await user.selectOptions(parent, "2");
    expect(placement.textContent).toBe("The category will be under “Hardware › Laptops”.");
    await user.selectOptions(parent, "");
    await user.type(within(dialog).getByLabelText("Name"), "Accessories");
    await user.click(within(dialog).getByTestId("category-save"));
    await waitFor(() => expect(treeNames()).toEqual(["All categories", "Hardware", "Laptops", "Printers", "Services", "Accessories"]));
    expect((backend.calls.filter((c) => c.cmd === "create_category").at(-1)?.args as { input: { parentId: number | null } }).input.parentId).toBeNull();

    // "Add subcategory": under the selected one.
    await user.click(within(tree()).getByRole("treeitem", { name: /Services/ }));
    await user.click(screen.getByTestId("category-add-sub"));
    dialog = await screen.findByTestId("category-dialog");
    expect((within(dialog).getByTestId("category-parent") as HTMLSelectElement).value).toBe("4");
    expect(within(dialog).getByTestId("category-placement").textContent).toBe("The category will be under “Services”.");
    await user.type(within(dialog).getByLabelText("Name"), "Training");
    await user.click(within(dialog).getByTestId("category-save"));
    await waitFor(() => expect(treeNames()).toContain("Training"));
    expect((backend.calls.filter((c) => c.cmd === "create_category").at(-1)?.args as { input: { parentId: number | null } }).input.parentId).toBe(4);
  });

  it("in Persian, the add dialog says where the new category goes", { timeout: 15_000 }, async () => {
    initI18n("fa");
    backend.settings = { ...backend.settings, language: "fa" };
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    await screen.findByTestId("catalogue-categories");
    await user.click(within(tree()).getByRole("treeitem", { name: /Hardware/ }));
    await user.click(screen.getByTestId("category-add"));
    expect((await screen.findByTestId("category-placement")).textContent).toBe("این گروه در سطح اول قرار می‌گیرد.");
    await user.keyboard("{Escape}");
    await user.click(screen.getByTestId("category-add-sub"));
    expect((await screen.findByTestId("category-placement")).textContent).toBe("این گروه زیر «Hardware» قرار می‌گیرد.");
  });

  it("offers to search all categories when a search inside one finds nothing", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    await screen.findByTestId("products-table");
    await user.click(within(tree()).getByRole("treeitem", { name: /Services/ }));
    await user.type(screen.getByLabelText("Search products by name or code"), "LP-100");
    const none = await screen.findByTestId("no-matches-in-category");
    expect(none.textContent).toContain("No product matches in this category — search all categories?");
    await user.click(within(none).getByTestId("search-all-categories"));
    const table = await screen.findByTestId("products-table");
    expect(within(table).getByText("Laptop")).toBeTruthy();
    expect((screen.getByLabelText("Search products by name or code") as HTMLInputElement).value).toBe("LP-100");
    expect(within(tree()).getByRole("treeitem", { name: "All categories" }).getAttribute("aria-selected")).toBe("true");

    // Nothing anywhere: no offer.
    await user.clear(screen.getByLabelText("Search products by name or code"));
    await user.type(screen.getByLabelText("Search products by name or code"), "zzz");
    expect(await screen.findByText("No products match.")).toBeTruthy();
    expect(screen.queryByTestId("search-all-categories")).toBeNull();
  });

  it("shows the count in the table's footer and compact, labelled row actions", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    const table = await screen.findByTestId("products-table");
    expect(screen.getByTestId("products-count").textContent).toBe("3 products");
    expect(screen.getByTestId("products-count").closest(".catalogue__list")?.contains(table)).toBe(true);
    const row = within(table).getByText("Printer").closest("tr") as HTMLElement;
    for (const [testId, name] of [["product-edit", "Edit Printer"], ["product-delete", "Delete Printer"]] as const) {
      const button = within(row).getByTestId(testId);
      expect(button.getAttribute("aria-label")).toBe(name);
      expect(button.getAttribute("title")).toBe(name);
    }
    // Yes/no columns are marks, with the words for assistive technology.
    expect(within(row).getByText("No").className).toBe("visually-hidden");
    await user.click(within(tree()).getByRole("treeitem", { name: /Services/ }));
    await waitFor(() => expect(screen.getByTestId("products-count").textContent).toBe("1 product"));
  });

  it("adds and edits products, and explains why a used product cannot be deleted", { timeout: 15_000 }, async () => {
    const user = userEvent.setup();
    window.history.replaceState(null, "", "#/products");
    render(<App />);
    await screen.findByTestId("products-table");

    await user.click(screen.getByTestId("product-add"));
    let dialog = await screen.findByTestId("product-dialog");
    await user.type(within(dialog).getByLabelText("Code"), "LP-100");
    await user.type(within(dialog).getByLabelText("Name"), "Another laptop");
    await user.selectOptions(within(dialog).getByLabelText("Category"), "2");
    await user.type(within(dialog).getByLabelText("Sale price"), "۲۵۰۰۰۰۰۰");
    await user.click(within(dialog).getByTestId("product-save"));
    // A duplicate code is shown on its field.
    expect(await within(dialog).findByText("This value is already in use.")).toBeTruthy();
    await user.clear(within(dialog).getByLabelText("Code"));
    await user.type(within(dialog).getByLabelText("Code"), "LP-300");
    await user.click(within(dialog).getByRole("radio", { name: "Service" }));
    await user.click(within(dialog).getByTestId("product-save"));
    await waitFor(() => expect(screen.queryByTestId("product-dialog")).toBeNull());
    const created = backend.calls.filter((c) => c.cmd === "create_product").at(-1)?.args as { input: Record<string, unknown> };
    expect(created.input).toMatchObject({ code: "LP-300", name: "Another laptop", categoryId: 2, kind: "service", salePrice: "25000000", taxable: true, saleable: true, active: true });
    const row = (await within(screen.getByTestId("products-table")).findByText("Another laptop")).closest("tr") as HTMLElement;
    expect(within(row).getByText("25,000,000 IRR")).toBeTruthy();

    // Edit: deactivate.
    await user.click(within(row).getByRole("button", { name: "Edit Another laptop" }));
    dialog = await screen.findByTestId("product-dialog");
    await user.click(within(dialog).getByRole("checkbox", { name: "Active" }));
    await user.click(within(dialog).getByTestId("product-save"));
    await waitFor(() => expect(screen.queryByTestId("product-dialog")).toBeNull());
    expect((backend.calls.filter((c) => c.cmd === "update_product").at(-1)?.args as { input: { active: boolean } }).input.active).toBe(false);

    // A used product: the backend refuses; the message says what to do instead.
    const laptop = within(screen.getByTestId("products-table")).getByText("Laptop").closest("tr") as HTMLElement;
    await user.click(within(laptop).getByRole("button", { name: "Delete Laptop" }));
    await user.click(within(await screen.findByTestId("product-delete-confirm")).getByTestId("product-delete-yes"));
    expect(await screen.findByText("This product is used by records; deactivate it instead.")).toBeTruthy();
    expect(within(screen.getByTestId("products-table")).getByText("Laptop")).toBeTruthy();
  });
});
