// Fields 1, 8 and 15–18 as a user works them: products picked from one category with
// field 16 ("Clear the product group after choosing a product", checked by default)
// unchecked and then checked, a search inside the wrong category offered across all
// of them, a typed amount replaced only when the user says so, the estimated amount following the
// lines, a proforma and an invoice issued from the opportunity, the invoice approved,
// a receipt recorded, and the balance read on the opportunity and on the identity.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byLabel, byTestId, fill,
} from '../lib/index.mjs';

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function go(hash) {
  await app().execute((h) => { window.location.hash = h; }, hash);
}

async function route() {
  return app().execute(() => window.location.hash);
}

async function waitRoute(re, what) {
  await app().waitUntil(async () => re.test(await route()), { timeoutMsg: `${what} did not open` });
  return route();
}

/** A DOM click: WebKitWebDriver's pointer lands a row off inside scrolled panes. */
async function press(el) {
  await app().execute((n) => { n.scrollIntoView({ block: 'nearest' }); n.click(); }, el);
}

async function chooseCategory(name) {
  const item = await app().$(`//*[@data-testid="selector-categories"]//*[@role="treeitem"][contains(., "${name}")]`);
  await press(item);
}

async function options() {
  return app().$$('[data-testid="product-results"] [role="option"]');
}

async function lineCount() {
  return app().execute(() => document.querySelectorAll('[data-testid="opportunity-lines"] tbody tr').length);
}

/** A balance as shown ("Owes 1,000", "Is owed 1,000", "None") as a signed number. */
function signed(shown) {
  const n = digits(shown) || 0;
  return /owed/i.test(shown) ? -n : n;
}

async function text(testId) {
  return (await byTestId(testId)).getText();
}

journey('products: pick from a category (field 16 unchecked, then checked), search all categories, a typed amount replaced on request, amount follows, issue, approve, receive, balance', async () => {
  await startApp({ name: 'products', demo: true });
  await setLanguage('en');
  await go('#/identities/1');
  const before = signed(await text('identity-balance'));
  await go('#/opportunities/new?identity=1');
  await fill(await byLabel('Title'), 'Network for the new branch');
  await (await byLabel('Type')).selectByVisibleText('Standard');
  await (await byLabel('Source')).selectByVisibleText('Website');

  // An amount typed before any product: the first product asks before replacing it.
  await fill(await byLabel('Estimated amount'), '1,000');

  // 16, as the source has it: checked by default, it clears the group after a pick.
  const clear = await byTestId('clear-group-after-pick');
  const isChecked = () => app().execute((n) => n.checked, clear);
  await app().waitUntil(async () => (await clear.isEnabled()), { timeoutMsg: 'field 16 stayed disabled' });
  assert.equal(await isChecked(), true, 'field 16 is checked by default');
  assert.match(await app().execute((n) => n.closest('label').innerText, clear), /Clear the product group after choosing a product/);

  // A code searched inside another category: the hint offers every category.
  await chooseCategory('نرم‌افزار');
  await app().waitUntil(async () => (await options()).length > 0, { timeoutMsg: 'the software category offered nothing' });
  await fill(await byTestId('product-search'), 'NW-30');
  await byTestId('no-matches-in-category');
  await clickTestId('search-all-categories');
  await app().waitUntil(async () => (await options()).length > 0, { timeoutMsg: 'searching all categories found nothing' });
  await fill(await byTestId('product-search'), '');

  // Unchecked: the category stays open, three products of it in a row.
  await press(clear);
  await app().waitUntil(async () => !(await isChecked()), { timeoutMsg: 'field 16 did not uncheck' });
  await chooseCategory('شبکه و ارتباطات');
  await app().waitUntil(async () => (await options()).length >= 3, { timeoutMsg: 'the category offered no products' });
  for (let i = 0; i < 3; i += 1) {
    const list = await options();
    await press(list[i]);
    if (i === 0) {
      // The typed 1,000 is not replaced without a word.
      // The dialog opens with a short transition: its text is read once it is shown.
      const ask = await byTestId('amount-replace-confirm');
      await app().waitUntil(async () => /1,000/.test(await app().execute((n) => n.textContent, ask)), {
        timeoutMsg: 'the question does not name the typed 1,000',
      });
      assert.equal(await lineCount(), 0, 'nothing is added before the answer');
      await clickTestId('amount-replace-yes');
    }
    await app().waitUntil(async () => (await lineCount()) === i + 1, { timeoutMsg: `line ${i + 1} was not added` });
    await app().waitUntil(async () => (await options()).length >= 3, {
      timeoutMsg: 'with field 16 unchecked, the category should stay open after a pick',
    });
  }
  // 8: the estimated amount follows the lines' final sum.
  const final = digits(await text('totals-final'));
  assert.ok(final > 0);
  assert.equal(digits(await (await byLabel('Estimated amount (automatic)')).getValue()), final);

  // 16 checked again: after a pick the selector starts over.
  await press(clear);
  await app().waitUntil(isChecked, { timeoutMsg: 'field 16 did not check' });
  await chooseCategory('نرم‌افزار');
  await app().waitUntil(async () => (await options()).length > 0, { timeoutMsg: 'the software category offered nothing' });
  await press((await options())[0]);
  await app().waitUntil(async () => (await lineCount()) === 4, { timeoutMsg: 'the fourth line was not added' });
  await app().waitUntil(async () => (await options()).length === 0, { timeoutMsg: 'with field 16 checked, the group was not cleared after a pick' });
  const final4 = digits(await text('totals-final'));
  assert.ok(final4 > final);
  assert.equal(digits(await (await byLabel('Estimated amount (automatic)')).getValue()), final4, 'the amount follows the fourth line');

  await clickTestId('opportunity-save');
  const oppRoute = await waitRoute(/#\/opportunities\/\d+$/, 'the saved opportunity');

  // 17: issue a proforma from the lines.
  await clickTestId('issue-proforma');
  await waitRoute(/#\/records\/\d+$/, 'the proforma');
  assert.match(await text('financial-heading'), /Proforma/);
  assert.equal(await app().execute(() => document.querySelectorAll('[data-testid="record-lines"] tbody tr').length), 4);

  // 18: issue an invoice, approve it.
  await go(oppRoute);
  await clickTestId('issue-invoice');
  await waitRoute(/#\/records\/\d+$/, 'the invoice');
  assert.match(await text('financial-heading'), /Invoice/);
  const invoiceTotal = digits(await text('totals-final'));
  assert.ok(invoiceTotal >= final4, 'the invoice adds tax on taxable products');
  await clickTestId('approve');
  await clickTestId('approve-confirm-yes');
  await app().waitUntil(async () => /Approved/.test(await text('record-status')), { timeoutMsg: 'the invoice was not approved' });
  // Approved, it can no longer be edited: its values are text, without a field or a Save.
  await app().waitUntil(() => app().execute(() => !!document.querySelector('[data-testid="financial-page"][data-locked="true"]')), {
    timeoutMsg: 'the approved invoice is not shown read-only',
  });
  const editable = await app().execute(() => document.querySelectorAll('[data-testid="financial-page"] input:not([type="hidden"]), [data-testid="financial-page"] select, [data-testid="financial-page"] textarea, [data-testid="record-save"]').length);
  assert.equal(editable, 0, 'an approved invoice offers nothing to edit');
  assert.match(await text('record-value-title'), /\S/);

  // A receipt for part of it, approved; a new one already has a title.
  await clickTestId('new-receipt-from-invoice');
  await waitRoute(/#\/records\/new/, 'the new receipt');
  assert.notEqual((await (await byLabel('Title')).getValue()).trim(), '', 'a new receipt starts with a title');
  const paid = 1000000;
  await fill(await byLabel('Title'), 'Down payment');
  await fill(await byLabel('Amount'), '1,000,000');
  await (await byLabel('Method')).selectByVisibleText('Bank transfer');
  await clickTestId('record-save');
  await waitRoute(/#\/records\/\d+$/, 'the saved receipt');
  await clickTestId('approve');
  await clickTestId('approve-confirm-yes');
  await app().waitUntil(async () => /Approved/.test(await text('record-status')), { timeoutMsg: 'the receipt was not approved' });

  // 1: the opportunity's balance and the identity's.
  await go(oppRoute);
  await app().waitUntil(async () => digits(await text('opportunity-balance')) === invoiceTotal - paid, {
    timeoutMsg: 'the opportunity balance is not invoice − receipt',
  });
  assert.match(await text('opportunity-balance'), /Owes/);
  await clickTestId('related-identity');
  await app().waitUntil(async () => signed(await text('identity-balance')) === before + invoiceTotal - paid, {
    timeoutMsg: 'the identity balance did not grow by invoice − receipt',
  });
});
