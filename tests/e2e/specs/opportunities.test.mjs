// The seed's access path — identity page > Records tab > New opportunity — and the
// form's rules as a user meets them: every field filled and saved, a win that stamps
// a read-only win date, and a second window that follows the first one's saves.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, openSection, setLanguage, clickTestId, byLabel, byTestId,
  fill, waitForRow, fieldError, hasTestId, safeClick, pickOption,
} from '../lib/index.mjs';

/** Opens the identity whose row contains `name` from the identities list. */
async function openIdentity(name) {
  await openSection('identities');
  await fill(await byTestId('identities-search'), name);
  await waitForRow('identities-table', [name]);
  await safeClick(await app().$(`[data-testid="identities-table"] tbody tr .cell-name`));
  await byTestId('identity-name');
}

async function select(label, text) {
  const el = await byLabel(label);
  await el.selectByVisibleText(text);
}

/** The hash route of the current window, e.g. "#/opportunities/12". */
async function route() {
  return app().execute(() => window.location.hash);
}

async function createFilledOpportunity(title) {
  await openIdentity('شرکت فولاد پارس');
  await clickTestId('tab-records');
  await clickTestId('new-opportunity');
  await fill(await byLabel('Title'), title);
  await (await byLabel('Assigned to')).selectByIndex(1);
  await select('Type', 'Bulk order');
  await select('Source', 'Exhibition');
  await (await byLabel('Campaign')).selectByIndex(1);
  await fill(await byLabel('Close date'), '1406/01/20');
  await fill(await byLabel('Estimated amount'), '250,000,000');
  await fill(await byLabel('Probability'), '40');
  await select('Purchase process', 'Group decision');
  await select('Shipping method', 'Freight');
  await fill(await byLabel('Payment terms'), 'Net 30');
  await select('Needs installation', 'Yes');
  // 14: a competitor from the identities flagged competitor.
  await pickOption(await byTestId('competitor-search'), 'همکاران');
  await waitForRow('competitors-table', ['همکاران']);
  // 19: the stage, from the chevron bar.
  await clickTestId('stage-proposal');
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => /#\/opportunities\/\d+/.test(await route()), { timeoutMsg: 'the new opportunity did not open after saving' });
}

journey('opportunity: identity > Records > New opportunity, every field, saved, listed in the records', async () => {
  await startApp({ name: 'opportunity-create', demo: true });
  await setLanguage('en');
  const title = `Server room ${Date.now().toString(36).slice(-4)}`;
  await createFilledOpportunity(title);

  // What was saved is what the form shows after a fresh load.
  assert.equal(await (await byLabel('Title')).getValue(), title);
  assert.equal(await (await byLabel('Probability')).getValue(), '40', 'the hand-set probability is kept');
  assert.equal(await (await byLabel('Payment terms')).getValue(), 'Net 30');
  await waitForRow('competitors-table', ['همکاران']);

  // Back to the identity: the Records tab lists it, newest first.
  await clickTestId('related-identity');
  await clickTestId('tab-records');
  const row = await waitForRow('identity-records', [title]);
  assert.match(row, /Proposal/);
});

journey('opportunity: moving to Won asks for a reason and stamps a read-only win date', async () => {
  await startApp({ name: 'opportunity-won', demo: true });
  await setLanguage('en');
  const title = `Won deal ${Date.now().toString(36).slice(-4)}`;
  await createFilledOpportunity(title);

  await clickTestId('stage-won');
  const winDate = await byLabel('Win date');
  assert.equal(await winDate.getValue(), '', 'no win date before saving');
  // Without a reason the save is refused on the field.
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => (await fieldError('Win reason')).text !== '', {
    timeoutMsg: 'saving as won without a reason showed no error on the field',
  });
  assert.equal(await (await byLabel('Win date')).getValue(), '', 'the refused save stamped nothing');
  await select('Win reason', 'Better price');
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => (await (await byLabel('Win date')).getValue()) !== '', {
    timeoutMsg: 'the win date did not appear after saving as won',
  });
  const stamped = await byLabel('Win date');
  assert.ok(!(await stamped.isEnabled()) || (await stamped.getAttribute('readonly')) !== null, 'the win date is read-only');
  assert.equal(await (await byLabel('Probability')).getValue(), '100');
});

journey('opportunity: a second window shows the first window\'s save by itself, and saves on top of it', async () => {
  await startApp({ name: 'opportunity-two-windows', demo: true });
  await setLanguage('en');
  const title = `Shared ${Date.now().toString(36).slice(-4)}`;
  await createFilledOpportunity(title);
  const first = await app().getWindowHandle();

  await clickTestId('open-in-new-window');
  let second;
  await app().waitUntil(async () => {
    second = (await app().getWindowHandles()).find((h) => h !== first);
    return !!second;
  }, { timeoutMsg: 'no second window opened' });

  // The second window loads the record, then the first window saves a change.
  await app().switchToWindow(second);
  await app().waitUntil(async () => (await (await byLabel('Title')).getValue()) === title, { timeoutMsg: 'the second window did not load the opportunity' });
  await app().switchToWindow(first);
  await fill(await byLabel('Title'), `${title} (first)`);
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => !(await hasTestId('conflict-banner')) && (await (await byLabel('Title')).getValue()) === `${title} (first)`);

  // The untouched second window takes the new version by itself; its own save then
  // goes on top of it (never over it with a stale version).
  await app().switchToWindow(second);
  await app().waitUntil(async () => (await (await byLabel('Title')).getValue()) === `${title} (first)`, {
    timeout: 3000, timeoutMsg: 'the second window did not show the first window\'s save',
  });
  await fill(await byLabel('Payment terms'), 'Net 60');
  await clickTestId('opportunity-save');
  await app().pause(500);
  assert.equal(await hasTestId('conflict-banner'), false, 'no conflict: the second window had the new version');
  await app().switchToWindow(first);
  await app().waitUntil(async () => (await (await byLabel('Payment terms')).getValue()) === 'Net 60', {
    timeout: 3000, timeoutMsg: 'the first window did not show the second window\'s save',
  });
  assert.equal(await (await byLabel('Title')).getValue(), `${title} (first)`);
});
