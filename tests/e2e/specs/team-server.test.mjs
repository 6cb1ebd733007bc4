// A team server, from a new install: the first start asks where to work; "Connect to
// a team server" with its host, port and database; the connection test; a wrong
// password refused in plain words; a salesperson signs in and sees only their own
// opportunities; an administrator adds a user who then signs in on the server; a
// server that does not answer gives the retry screen, and another connection.

import assert from 'node:assert/strict';
import net from 'node:net';
import {
  journey, startApp, app, setLanguage, clickTestId, byTestId, byLabel, fill, hasTestId, waitForRow, waitForText,
} from '../lib/index.mjs';
import { ADMIN_PASSWORD, teamServer } from '../lib/server.mjs';

/** The opportunity list's total count and the "Assigned to" of its rows. */
async function listed() {
  await clickTestId('nav-opportunities');
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

async function fillServer({ host, port, database }) {
  await fill(await byLabel('Host'), host);
  await fill(await byLabel('Port'), String(port));
  await fill(await byLabel('Database'), database);
  await (await byLabel('Encryption')).selectByVisibleText('Off');
}

async function signIn(username, password) {
  await byTestId('sign-in-form');
  await fill(await byTestId('sign-in-username'), username);
  await fill(await byTestId('sign-in-password'), password);
  await clickTestId('sign-in-submit');
}

/** A TCP port on 127.0.0.1 that nothing listens on. */
function closedPort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

journey('team server: first start, connect, a wrong password, a salesperson sees only theirs, an administrator adds a user', async () => {
  const server = teamServer({ demo: true });
  await startApp({ name: 'team-server', firstStart: true });
  await setLanguage('en');
  await byTestId('first-start');
  await clickTestId('place-team-server');
  await fillServer(server);
  await clickTestId('server-test');
  await waitForText('The server answers', { within: 'server-test-result' });
  await clickTestId('server-connect');

  // The sign-in screen names the server; a wrong password is refused plainly.
  const form = await byTestId('sign-in-form');
  assert.ok(await form.isDisplayed());
  await signIn('a.rezaei', 'not-the-password');
  assert.match(await (await byTestId('sign-in-error')).getText(), /password/i);

  // Ali, through his own login role: only his opportunities.
  await fill(await byTestId('sign-in-password'), 'forsat-demo');
  await clickTestId('sign-in-submit');
  await byTestId('sign-out');
  const his = await listed();
  assert.ok(his.total > 0, 'he has opportunities');
  assert.ok(his.assigned.every((name) => name === 'علی رضایی'), `only his own: ${his.assigned.join(', ')}`);

  // The administrator sees more, and adds Neda with a password.
  await clickTestId('sign-out');
  await signIn('admin', ADMIN_PASSWORD);
  await byTestId('sign-out');
  await setLanguage('en'); // each user has their own language; the administrator's is Persian
  const everyone = await listed();
  assert.ok(everyone.total > his.total, `the administrator sees more (${everyone.total} > ${his.total})`);
  await clickTestId('nav-settings');
  await clickTestId('settings-nav-users');
  await clickTestId('admin-add');
  await fill(await byLabel('Username'), 'neda');
  await fill(await byLabel('Display name'), 'Neda Ahmadi');
  await (await byLabel('Role')).selectByVisibleText('Salesperson');
  await fill(await byLabel('Password'), 'neda-secret-1');
  await clickTestId('admin-save');
  await waitForRow('admin-users-table', ['neda', 'Neda Ahmadi']);

  // Neda signs in on the server with her own login.
  await clickTestId('sign-out');
  await signIn('neda', 'neda-secret-1');
  await byTestId('sign-out');
  await waitForText('Neda Ahmadi');
});

journey('team server: a server that does not answer shows the retry screen and another connection', async () => {
  const port = await closedPort();
  await startApp({ name: 'team-server-unreachable', firstStart: true });
  await setLanguage('en');
  await byTestId('first-start');
  await clickTestId('place-team-server');
  await fillServer({ host: '127.0.0.1', port, database: 'forsat' });
  await clickTestId('server-test');
  const result = await byTestId('server-test-result');
  await app().waitUntil(async () => /answer/i.test(await result.getText()), { timeoutMsg: 'no test result' });
  assert.doesNotMatch(await result.getText(), /The server answers/);
  await clickTestId('server-connect');
  await byTestId('unreachable-screen');
  await waitForText(`127.0.0.1`);
  // Trying again still finds nobody there, and says so again.
  await clickTestId('unreachable-retry');
  await byTestId('unreachable-screen');
  assert.equal(await hasTestId('sign-in-form'), false);
  // Another connection: back to the first choice, where this computer works.
  await clickTestId('unreachable-change');
  await byTestId('first-start');
  await clickTestId('place-this-computer');
  await byTestId('sign-out');
});
