// Identities (people and organisations): create one, find it by search, and
// refuse an incomplete one. Each journey starts the app on its own empty
// database. The validation journey runs in Persian (the default language), the
// creation journey in English.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, openSection, setLanguage, uiLanguage, clickTestId, byLabel, byTestId,
  fill, fieldError, waitForRow, tableRows, direction,
} from '../lib/index.mjs';

journey('identities: an empty last name is refused next to the field (Persian)', async () => {
  await startApp({ name: 'identities-validation' });
  await setLanguage('fa');
  assert.equal(await uiLanguage(), 'fa');

  await openSection('identities');
  await clickTestId('identities-new');
  const first = await byLabel('نام');
  assert.equal(await direction(first), 'rtl', 'the Persian form is laid out right to left');
  const before = await fieldError('نام خانوادگی');

  await fill(first, 'سارا');
  await clickTestId('identity-save');

  let after;
  await app().waitUntil(async () => {
    after = await fieldError('نام خانوادگی');
    return after.text !== '' && after.text !== before.text;
  }, { timeoutMsg: 'no error message appeared next to the last-name field' });
  assert.ok(after.text.length > 0, 'an error message is shown for the last name');
  assert.equal((await fieldError('نام')).text, '', 'the first name, which was given, shows no error');

  // Nothing was saved: give a refresh the chance to happen, then look at the list.
  await app().pause(500);
  const rows = await tableRows('identities-table');
  assert.ok(!rows.some((r) => r.includes('سارا')), `the list stays without the unsaved identity: ${JSON.stringify(rows)}`);
});

journey('identities: create one and find it by search (English)', async () => {
  await startApp({ name: 'identities-create' });
  await setLanguage('en');
  assert.equal(await uiLanguage(), 'en');

  await openSection('identities');
  await clickTestId('identities-new');
  const first = await byLabel('First name');
  const last = await byLabel('Last name');
  assert.equal(await direction(first), 'ltr', 'the English form is laid out left to right');

  const suffix = Date.now().toString(36).slice(-4);
  const firstName = 'Ada';
  const lastName = `Lovelace${suffix}`;
  await fill(first, firstName);
  await fill(last, lastName);
  await clickTestId('identity-save');

  // The new identity opens at once.
  await app().waitUntil(async () => /^#\/identities\/\d+/.test(await app().execute(() => window.location.hash)), {
    timeoutMsg: 'the new identity did not open after saving',
  });
  await app().waitUntil(async () => (await (await byTestId('identity-page')).getText()).includes(lastName), {
    timeoutMsg: 'the identity page does not show the new identity',
  });

  await openSection('identities');
  const search = await byTestId('identities-search');
  await fill(search, lastName);
  const row = await waitForRow('identities-table', [firstName, lastName]);
  assert.match(row, new RegExp(lastName));

  // A search for something else leaves the identity out.
  await fill(search, `Nobody${suffix}`);
  await app().waitUntil(async () => !(await tableRows('identities-table')).some((r) => r.includes(lastName)), {
    timeoutMsg: 'the identity stayed in the list for a search that does not match it',
  });
});
