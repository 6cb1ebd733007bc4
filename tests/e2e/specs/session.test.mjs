// Signing in, on the demo company: the demo opens straight on the app as its
// administrator and says so; signing out shows the sign-in screen with the demo's
// users; a wrong password is refused in plain words; a salesperson signs in and the
// opportunity list shows only their opportunities.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byTestId, byLabel, fill, hasTestId, waitForRow, waitForText,
} from '../lib/index.mjs';

async function route() {
  return app().execute(() => window.location.hash);
}

/** The opportunity list's total count and the "Assigned to" of its rows. */
async function listed() {
  await app().waitUntil(async () => app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    return !!table && table.getAttribute('aria-busy') !== 'true' && table.querySelectorAll('tbody tr').length > 0;
  }), { timeoutMsg: 'the opportunity list showed no rows' });
  return app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.replace(/[↑↓\d]/g, '').trim());
    const col = headers.indexOf('Assigned to');
    const total = Number(document.querySelector('[data-testid="totals-count"]').innerText.replace(/[^\d]/g, ''));
    const assigned = [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[col].innerText.trim());
    return { total, assigned };
  });
}

async function openList() {
  await clickTestId('nav-opportunities');
  await app().waitUntil(async () => /^#\/opportunities/.test(await route()), { timeoutMsg: 'the list did not open' });
  return listed();
}

journey('sign-in: the demo opens as its administrator, a wrong password is refused, a salesperson sees only their own', async () => {
  await startApp({ name: 'session', demo: true });
  await setLanguage('en');
  await byTestId('demo-badge');
  const everyone = await openList();

  await clickTestId('sign-out');
  const form = await byTestId('sign-in-form');
  assert.ok(await form.isDisplayed());
  const demo = await byTestId('sign-in-demo');
  assert.match(await demo.getText(), /forsat-demo/, 'the demo users and their password are shown');
  assert.match(await demo.getText(), /a\.rezaei/);

  // A wrong password: a plain message, still on the sign-in screen.
  await fill(await byTestId('sign-in-username'), 'a.rezaei');
  await fill(await byTestId('sign-in-password'), 'not-the-password');
  await clickTestId('sign-in-submit');
  const error = await byTestId('sign-in-error');
  assert.match(await error.getText(), /password/i);
  assert.ok(await (await byTestId('sign-in-form')).isDisplayed());

  // The right one: the app, as Ali Rezaei, with only his opportunities.
  await fill(await byTestId('sign-in-password'), 'forsat-demo');
  await clickTestId('sign-in-submit');
  await byTestId('sign-out');
  const his = await openList();
  assert.ok(his.total > 0, 'he has opportunities');
  assert.ok(his.total < everyone.total, `he sees fewer than the administrator (${his.total} of ${everyone.total})`);
  assert.ok(his.assigned.every((name) => name === 'علی رضایی'), `only his own: ${his.assigned.join(', ')}`);
});

journey('sign-in: an administrator adds a user with a password, who then signs in', async () => {
  // A new file with one user and no password opens directly, as its administrator.
  await startApp({ name: 'session-new-user' });
  await setLanguage('en');
  await clickTestId('nav-settings');
  await clickTestId('settings-nav-users');
  await clickTestId('admin-add');
  await fill(await byLabel('Username'), 'neda');
  await fill(await byLabel('Display name'), 'Neda Ahmadi');
  await (await byLabel('Role')).selectByVisibleText('Salesperson');
  await fill(await byLabel('Password'), 'neda-secret-1');
  await clickTestId('admin-save');
  await waitForRow('admin-users-table', ['neda', 'Neda Ahmadi']);

  // Two users now: signing out asks who is there.
  await clickTestId('sign-out');
  await byTestId('sign-in-form');
  await fill(await byTestId('sign-in-username'), 'neda');
  await fill(await byTestId('sign-in-password'), 'neda-secret-1');
  await clickTestId('sign-in-submit');
  await byTestId('sign-out');
  await waitForText('Neda Ahmadi');
  assert.equal(await hasTestId('demo-badge'), false, 'not a demo');
});
