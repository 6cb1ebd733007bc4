// Backups, as an administrator uses them: back up now from Settings › Backups, change a
// record, restore the backup (its steps shown, a safety copy of what it replaced listed
// after), and the record reads as it did at the backup.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byLabel, byTestId, fill, fieldError,
} from '../lib/index.mjs';

async function go(hash) {
  await app().execute((h) => { window.location.hash = h; }, hash);
}

async function openBackups() {
  await clickTestId('nav-settings');
  await clickTestId('settings-nav-backup');
  await byTestId('backup-section');
}

async function backupRows() {
  return app().execute(() => [...document.querySelectorAll('[data-testid="backup-row"]')]
    .map((tr) => ({ file: tr.getAttribute('data-file'), text: tr.innerText })));
}

async function titleOf(id) {
  await go(`#/opportunities/${id}`);
  const title = await byLabel('Title');
  await app().waitUntil(async () => (await title.getValue()) !== '', { timeoutMsg: 'the opportunity did not load' });
  return title.getValue();
}

journey('backup: back up now, change a record, restore, and the old value is back', async () => {
  await startApp({ name: 'backup', demo: true });
  await setLanguage('en');
  const before = await titleOf(1);

  await openBackups();
  const existing = (await backupRows()).length;
  await clickTestId('backup-now');
  await app().waitUntil(async () => (await backupRows()).length === existing + 1, {
    timeoutMsg: 'the new backup is not listed',
  });
  const [newest] = await backupRows();
  assert.match(newest.text, /By hand/, 'the newest backup is listed first as one made by hand');

  // A change after the backup.
  await go('#/opportunities/1');
  const title = await byLabel('Title');
  await app().waitUntil(async () => (await title.getValue()) === before);
  await fill(title, `${before} (changed after the backup)`);
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => (await titleOf(1)) === `${before} (changed after the backup)`, {
    timeoutMsg: 'the change was not saved',
  });

  // Restore the backup: a warning, the steps, then the app on the restored data.
  await openBackups();
  const row = await app().$(`[data-testid="backup-row"][data-file="${newest.file}"]`);
  await (await row.$('[data-testid="backup-restore"]')).click();
  const dialog = await byTestId('backup-restore-dialog');
  await app().waitUntil(async () => /replace/i.test(await dialog.getText()), {
    timeoutMsg: 'the dialog does not warn that the data is replaced',
  });
  await clickTestId('backup-restore-confirm');
  await app().waitUntil(async () => /Backup restored/.test(await app().execute(() => document.body.innerText)), {
    timeout: 30000, timeoutMsg: 'the restore did not report success',
  });
  // The safety copy of what was replaced is listed among the backups.
  await openBackups();
  await app().waitUntil(async () => (await backupRows()).some((r) => /Before a restore/.test(r.text)), {
    timeoutMsg: 'no safety copy of the replaced data is listed',
  });

  assert.equal(await titleOf(1), before, 'the record reads as it did at the backup');
});

journey('backup: a file that is not a backup is refused in plain words and nothing changes', async () => {
  await startApp({ name: 'backup-bad-file', demo: true });
  await setLanguage('en');
  const before = await titleOf(1);
  await openBackups();
  await clickTestId('backup-restore-file');
  const path = await byTestId('backup-path');
  await fill(path, '/etc/hostname');
  await clickTestId('backup-restore-confirm');
  await app().waitUntil(async () => /not a Forsat backup/.test((await fieldError(path)).text), {
    timeoutMsg: 'no plain-words error under the path for a file that is not a backup',
  });
  await app().keys('Escape');
  assert.equal(await titleOf(1), before);
});
