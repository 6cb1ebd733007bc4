// Live team: two copies of the app on one team server, as two people. The manager's
// list and board show the salesperson's new opportunity and its stage change within
// two seconds, without a reload; two windows on one SQLite file do the same; a form
// open on both sides shows the other person's change and keeps what was typed; the
// server going away shows a calm banner, its return clears it and a save goes through.

import assert from 'node:assert/strict';
import {
  journey, startApp, useApp, app, setLanguage, screenshot, clickTestId, byLabel, byTestId, fill, hasTestId,
  openSection, waitForRow, safeClick,
} from '../lib/index.mjs';
import { ownerQuery, startServer, stopServer, teamServer } from '../lib/server.mjs';

const LIVE_MS = 2000;

async function signIn(username, password = 'forsat-demo') {
  await byTestId('sign-in-form');
  await fill(await byTestId('sign-in-username'), username);
  await fill(await byTestId('sign-in-password'), password);
  await clickTestId('sign-in-submit');
  await byTestId('sign-out');
  await setLanguage('en');
}

/** The list has loaded: rows, or the empty state. */
async function listLoaded() {
  return app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    if (table) return table.getAttribute('aria-busy') !== 'true';
    return !!document.querySelector('.state__title');
  });
}

async function go(hash) {
  await app().execute((h) => { window.location.hash = h; }, hash);
}

/** The titles in the opportunity list now. */
async function listTitles() {
  return app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    if (!table) return [];
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.replace(/[↑↓\d]/g, '').trim());
    const col = headers.indexOf('Title');
    return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[col]?.innerText.trim());
  });
}

/** The board column (by its header's title) that holds a card titled `title`, if any. */
async function boardColumnOf(title) {
  return app().execute((wanted) => {
    for (const head of document.querySelectorAll('[data-testid^="column-head-"]')) {
      const id = head.dataset.testid.replace('column-head-', '');
      const name = head.querySelector('.pl-column__title')?.firstChild?.textContent.trim();
      const cards = [...document.querySelectorAll(`[data-testid="column-${id}"] [data-card-id]`)];
      if (cards.some((c) => (c.getAttribute('aria-label') || c.innerText).includes(wanted))) return name;
    }
    return null;
  }, title);
}

async function waitLive(check, what, timeout = LIVE_MS) {
  const t0 = Date.now();
  await app().waitUntil(check, { timeout, interval: 100, timeoutMsg: `${what} within ${timeout} ms` });
  return Date.now() - t0;
}

/** A new opportunity from the identity's Records tab, in the Proposal stage. */
async function createOpportunity(title) {
  await openSection('identities');
  await fill(await byTestId('identities-search'), 'شرکت فولاد پارس');
  await waitForRow('identities-table', ['شرکت فولاد پارس']);
  await safeClick(await app().$('[data-testid="identities-table"] tbody tr .cell-name'));
  await byTestId('identity-name');
  await clickTestId('tab-records');
  await clickTestId('new-opportunity');
  await fill(await byLabel('Title'), title);
  await (await byLabel('Type')).selectByVisibleText('Bulk order');
  await (await byLabel('Source')).selectByVisibleText('Exhibition');
  await fill(await byLabel('Estimated amount'), '120,000,000');
  await clickTestId('stage-proposal');
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => /#\/opportunities\/\d+/.test(await app().execute(() => window.location.hash)), {
    timeoutMsg: 'the new opportunity did not open after saving',
  });
}

journey('live: the manager sees a salesperson\'s new opportunity and its stage change within 2 s (two apps, one team server)', async () => {
  const server = teamServer({ demo: true });
  const tag = `Live ${Date.now().toString(36).slice(-5)}`;
  const manager = await startApp({ name: 'live-manager', databaseUrl: server.appUrl });
  await signIn('s.karimi');
  await go(`#/opportunities?q=${encodeURIComponent(tag)}`);
  await app().waitUntil(listLoaded, { timeoutMsg: 'the list did not load' });
  assert.deepEqual(await listTitles(), []);

  const seller = await startApp({ name: 'live-seller', databaseUrl: server.appUrl, alongside: true });
  await signIn('a.rezaei');
  await createOpportunity(tag);

  useApp(manager);
  const listMs = await waitLive(async () => (await listTitles()).includes(tag), 'the new opportunity on the manager\'s list');
  await go(`#/opportunities/board?q=${encodeURIComponent(tag)}`);
  await app().waitUntil(async () => (await boardColumnOf(tag)) === 'Proposal', { timeoutMsg: 'the card is not in Proposal' });

  useApp(seller);
  await clickTestId('stage-negotiation');
  await clickTestId('opportunity-save');
  await app().pause(300);

  useApp(manager);
  const boardMs = await waitLive(async () => (await boardColumnOf(tag)) === 'Negotiation', 'the stage change on the manager\'s board');
  console.log(`live: list ${listMs} ms, board ${boardMs} ms`);
});

journey('live: two windows on one SQLite file', async () => {
  await startApp({ name: 'live-windows', demo: true });
  await setLanguage('en');
  await go('#/opportunities/5');
  await byLabel('Title');
  const first = await app().getWindowHandle();
  await clickTestId('open-in-new-window');
  let second;
  await app().waitUntil(async () => {
    second = (await app().getWindowHandles()).find((h) => h !== first);
    return !!second;
  }, { timeoutMsg: 'no second window opened' });

  const tag = `Window ${Date.now().toString(36).slice(-5)}`;
  await go(`#/opportunities?q=${encodeURIComponent(tag)}`);
  await app().waitUntil(listLoaded, { timeoutMsg: 'the list did not load' });
  assert.deepEqual(await listTitles(), []);

  await app().switchToWindow(second);
  await app().waitUntil(async () => (await (await byLabel('Title')).getValue()) !== '', { timeoutMsg: 'the second window did not load the form' });
  await fill(await byLabel('Title'), tag);
  await clickTestId('opportunity-save');
  await app().pause(300);

  await app().switchToWindow(first);
  await waitLive(async () => (await listTitles()).includes(tag), 'the renamed opportunity in the other window\'s list');
});

journey('live: a form open on both sides shows the other person\'s change and keeps what was typed', async () => {
  const server = teamServer({ demo: true });
  const id = ownerQuery(server, "SELECT o.id FROM opportunities o JOIN users u ON u.id = o.assigned_user_id WHERE u.username = 'a.rezaei' ORDER BY o.id LIMIT 1");
  const manager = await startApp({ name: 'live-form-manager', databaseUrl: server.appUrl });
  await signIn('s.karimi');
  await go(`#/opportunities/${id}`);
  const original = await (await byLabel('Title')).getValue();
  assert.ok(original);

  const seller = await startApp({ name: 'live-form-seller', databaseUrl: server.appUrl, alongside: true });
  await signIn('a.rezaei');
  await go(`#/opportunities/${id}`);
  await app().waitUntil(async () => (await (await byLabel('Title')).getValue()) === original);

  // The manager starts typing a note; meanwhile the salesperson renames the deal.
  useApp(manager);
  await fill(await byLabel('Payment terms'), 'Net 45 — agreed on the phone');
  useApp(seller);
  await fill(await byLabel('Title'), `${original} (renewed)`);
  await clickTestId('opportunity-save');
  await app().pause(300);

  useApp(manager);
  const notice = await byTestId('form-changed-elsewhere', { timeout: 5000 });
  await screenshot('live-form-changed-elsewhere');
  assert.match(await notice.getText(), /Title/);
  assert.equal(await (await byLabel('Payment terms')).getValue(), 'Net 45 — agreed on the phone', 'what was typed stays');
  await clickTestId('keep-mine');
  assert.equal(await (await byLabel('Title')).getValue(), `${original} (renewed)`, 'their change is taken where nothing was typed');
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => !(await hasTestId('conflict-banner')) && !(await hasTestId('form-changed-elsewhere')), {
    timeoutMsg: 'the save on top of their version did not go through',
  });
  assert.equal(ownerQuery(server, `SELECT title FROM opportunities WHERE id = ${id}`), `${original} (renewed)`);
});

journey('live: the server goes away — a calm banner; it comes back — the banner goes and a save works', async () => {
  const server = teamServer({ demo: true });
  const id = ownerQuery(server, "SELECT o.id FROM opportunities o JOIN users u ON u.id = o.assigned_user_id WHERE u.username = 'a.rezaei' ORDER BY o.id LIMIT 1");
  await startApp({ name: 'live-offline', databaseUrl: server.appUrl });
  await signIn('a.rezaei');
  await go(`#/opportunities/${id}`);
  await byLabel('Title');
  try {
    stopServer();
    await byTestId('connection-banner', { timeout: 10000 });
    await screenshot('live-connection-banner');
    // What is typed while the server is away stays, and saving says plainly why not.
    await fill(await byLabel('Payment terms'), 'Typed while offline');
    await clickTestId('opportunity-save');
    await app().waitUntil(async () => /cannot be reached/i.test(await app().execute(() => document.body.innerText)), {
      timeout: 15000, timeoutMsg: 'no plain message for a save while offline',
    });
    assert.equal(await (await byLabel('Payment terms')).getValue(), 'Typed while offline');
  } finally {
    startServer();
  }
  await app().waitUntil(async () => !(await hasTestId('connection-banner')), { timeout: 15000, timeoutMsg: 'the banner stayed after the server came back' });
  await clickTestId('opportunity-save');
  await app().waitUntil(
    () => ownerQuery(server, `SELECT count(*) FROM custom_field_values v JOIN custom_fields f ON f.id = v.field_id WHERE f.key = 'payment_terms' AND v.record_id = ${id} AND v.value = 'Typed while offline'`) === '1',
    { timeout: 10000, timeoutMsg: 'the save did not go through once the server was back' },
  );
});
