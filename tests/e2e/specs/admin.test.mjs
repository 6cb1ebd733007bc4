// Personalization as an administrator shapes it, and the forms that follow: a new
// source value picked in a new opportunity, a required custom field with a default
// that existing opportunities carry, a stage in use deleted with a replacement, and
// the calendar switched to Gregorian and back.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byLabel, byTestId, fill, waitForRow,
  tableRows, clickButton, safeClick, waitForText,
} from '../lib/index.mjs';

async function go(hash) {
  await app().execute((h) => { window.location.hash = h; }, hash);
}

async function settingsSection(section) {
  await clickTestId('nav-settings');
  await clickTestId(`settings-nav-${section}`);
}

async function select(label, text) {
  await (await byLabel(label)).selectByVisibleText(text);
}

journey('admin: a new source value is offered in a new opportunity', async () => {
  await startApp({ name: 'admin-source', demo: true });
  await setLanguage('en');
  await settingsSection('lists');
  await (await byTestId('admin-list-select')).selectByVisibleText('Source');
  await clickTestId('admin-add');
  await fill(await byLabel('Persian title'), 'اینستاگرام');
  await fill(await byLabel('English title'), 'Instagram');
  await clickTestId('admin-save');
  await waitForRow('admin-list-table', ['Instagram']);

  await go('#/opportunities/new?identity=1');
  await fill(await byLabel('Title'), 'From Instagram');
  await select('Type', 'Standard');
  await select('Source', 'Instagram');
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => /#\/opportunities\/\d+/.test(await app().execute(() => window.location.hash)), {
    timeoutMsg: 'the opportunity with the new source was not saved',
  });
  const source = await byLabel('Source');
  assert.equal(await source.$('option:checked').getText(), 'Instagram');
});

journey('admin: a required custom field with a default fills existing opportunities', async () => {
  await startApp({ name: 'admin-field', demo: true });
  await setLanguage('en');
  await settingsSection('fields');
  await clickTestId('admin-add');
  await fill(await byLabel('Persian title'), 'مدت گارانتی');
  await fill(await byLabel('English title'), 'Warranty');
  await select('Type', 'Text');
  await safeClick(await byLabel('Required'));
  await fill(await byTestId('admin-default-value'), 'One year');
  await clickTestId('admin-save');
  await waitForText('Warranty');

  // An opportunity created long before the field carries the default.
  await go('#/opportunities/1');
  const warranty = await byLabel('Warranty');
  await app().waitUntil(async () => (await warranty.getValue()) === 'One year', { timeoutMsg: 'the existing opportunity does not carry the default' });
});

journey('admin: deleting a stage in use moves its opportunities to the replacement', async () => {
  await startApp({ name: 'admin-stage', demo: true });
  await setLanguage('en');
  await settingsSection('stages');
  await waitForRow('admin-stages-table', ['Needs analysis']);
  await clickButton('Delete “Needs analysis”');
  await (await byTestId('admin-replacement')).selectByVisibleText('Proposal');
  await clickTestId('admin-delete-confirm');
  await app().waitUntil(async () => !(await tableRows('admin-stages-table')).some((r) => r.includes('Needs analysis')), {
    timeoutMsg: 'the deleted stage is still listed',
  });
  // The stage bar of an opportunity no longer offers it.
  await go('#/opportunities/1');
  await byTestId('stage-proposal');
  assert.equal(await app().$('[data-testid="stage-needs_analysis"]').isExisting(), false);
});

journey('admin: the calendar switches to Gregorian and back', async () => {
  await startApp({ name: 'admin-calendar', demo: true });
  await setLanguage('en');
  await go('#/opportunities/1');
  const jalali = await (await byLabel('Close date')).getValue();
  assert.match(jalali, /^14\d\d\/\d\d\/\d\d$/, `a Jalali date: ${jalali}`);

  await settingsSection('general');
  await safeClick(await (await byLabel('Gregorian')).parentElement());
  await go('#/opportunities/1');
  await app().waitUntil(async () => /^20\d\d\/\d\d\/\d\d$/.test(await (await byLabel('Close date')).getValue()), {
    timeoutMsg: 'the close date is not shown in the Gregorian calendar',
  });

  await settingsSection('general');
  await safeClick(await (await byLabel('Jalali (Shamsi)')).parentElement());
  await go('#/opportunities/1');
  await app().waitUntil(async () => (await (await byLabel('Close date')).getValue()) === jalali, {
    timeoutMsg: 'the close date did not come back in the Jalali calendar',
  });
});
