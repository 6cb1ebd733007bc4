// Several pipelines, as an administrator sets one up and a salesperson works in it:
// a second pipeline created in Settings › Stages (it comes with its own New, Won and
// Lost stages), an opportunity created in it from a customer's Records tab, seen on
// that pipeline's board and not on the other, dragged to its Won stage with the
// reason; and the sales status chart switching between the pipelines.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byLabel, byTestId, fill, openSection, waitForRow, safeClick,
} from '../lib/index.mjs';

async function selectValue(el, value) {
  await app().execute((n, v) => {
    n.value = v;
    n.dispatchEvent(new Event('change', { bubbles: true }));
  }, el, value);
}

async function optionValue(el, text) {
  return app().execute((n, t) => [...n.options].find((o) => o.text === t)?.value ?? null, el, text);
}

/** The board's columns: [{id, title, count}] in order. */
async function columns() {
  return app().execute(() => [...document.querySelectorAll('[data-testid^="column-head-"]')].map((h) => ({
    id: h.dataset.testid.replace('column-head-', ''),
    title: h.querySelector('.pl-column__title')?.firstChild?.textContent.trim(),
    count: Number((document.querySelector(`[data-testid="column-count-${h.dataset.testid.replace('column-head-', '')}"]`)?.textContent || '').replace(/[^\d]/g, '')),
  })));
}

journey('pipelines: a second pipeline with its own stages, its own board, and its own funnel', async () => {
  await startApp({ name: 'pipelines', demo: true });
  await setLanguage('en');

  // Settings › Stages: a new pipeline, with its starting stages.
  await clickTestId('nav-settings');
  await clickTestId('settings-nav-stages');
  await clickTestId('admin-pipeline-add');
  const dialog = await byTestId('admin-pipeline-dialog');
  await fill(await dialog.$('[data-field="nameFa"]'), 'خدمات');
  await fill(await dialog.$('[data-field="nameEn"]'), 'Services');
  // Bulk orders start in it.
  await app().execute(() => {
    const label = [...document.querySelectorAll('[data-testid="admin-pipeline-types"] label')].find((l) => l.textContent.includes('Bulk order'));
    label.querySelector('input').click();
  });
  await clickTestId('admin-save');
  const pipelineSelect = await byTestId('admin-pipeline');
  await app().waitUntil(async () => (await app().execute((n) => n.options[n.selectedIndex]?.text, pipelineSelect)) === 'Services', {
    timeoutMsg: 'the new pipeline is not the one shown',
  });
  for (const stage of ['New', 'Won', 'Lost']) await waitForRow('admin-stages-table', [stage]);
  const services = await app().execute((n) => n.value, pipelineSelect);

  // An opportunity in it, from a customer's Records tab.
  await openSection('identities');
  await fill(await byTestId('identities-search'), 'شرکت فولاد پارس');
  await waitForRow('identities-table', ['شرکت فولاد پارس']);
  await safeClick(await app().$('[data-testid="identities-table"] tbody tr .cell-name'));
  await clickTestId('tab-records');
  await clickTestId('new-opportunity');
  const title = `Service contract ${Date.now().toString(36).slice(-4)}`;
  await fill(await byLabel('Title'), title);
  // Choosing the type moves the new opportunity into the pipeline bulk orders start in.
  const formPipeline = await byTestId('opportunity-pipeline');
  assert.notEqual(await app().execute((n) => n.value, formPipeline), services, 'a new opportunity starts in the first pipeline');
  await (await byLabel('Type')).selectByVisibleText('Bulk order');
  await (await byLabel('Source')).selectByVisibleText('Exhibition');
  await app().waitUntil(async () => (await app().execute((n) => n.value, await byTestId('opportunity-pipeline'))) === services, {
    timeoutMsg: 'the type did not take the opportunity to its pipeline',
  });
  // The stage bar now shows the Services pipeline's stages only.
  await app().waitUntil(async () => app().execute(() => {
    const keys = [...document.querySelectorAll('[data-testid^="stage-"]')].map((n) => n.dataset.testid);
    return keys.filter((k) => /^stage-p\d+_/.test(k)).length === 3 && !keys.includes('stage-proposal');
  }), { timeoutMsg: 'the stage bar did not switch to the new pipeline' });
  await clickTestId('opportunity-save');
  await app().waitUntil(async () => /#\/opportunities\/\d+/.test(await app().execute(() => window.location.hash)), { timeoutMsg: 'the new opportunity did not open' });
  const id = (await app().execute(() => window.location.hash)).match(/\/(\d+)/)[1];

  // Its board has its three columns and the card; the Sales board does not show it.
  await app().execute(() => { window.location.hash = '#/opportunities/board'; });
  await byTestId('board');
  const switcher = await byTestId('pipeline-switch');
  await selectValue(switcher, services);
  await app().waitUntil(async () => (await columns()).map((c) => c.title).join(',') === 'New,Won,Lost', { timeoutMsg: 'the Services board does not show its own stages' });
  await app().waitUntil(() => app().execute((i) => !!document.querySelector(`[data-card-id="${i}"]`), id), { timeoutMsg: 'the card is not on its board' });
  await selectValue(await byTestId('pipeline-switch'), await optionValue(await byTestId('pipeline-switch'), 'Sales'));
  await app().waitUntil(async () => (await columns()).some((c) => c.title === 'Negotiation'), { timeoutMsg: 'the Sales board did not come back' });
  assert.equal(await app().execute((i) => !!document.querySelector(`[data-card-id="${i}"]`), id), false, 'the card is not on the other board');

  // Back on its board, dragged to Won, with the reason.
  await selectValue(await byTestId('pipeline-switch'), services);
  await app().waitUntil(async () => (await columns()).map((c) => c.title).join(',') === 'New,Won,Lost', { timeoutMsg: 'the Services board did not come back' });
  const [, won] = await columns();
  const card = await app().$(`[data-card-id="${id}"]`);
  const target = await byTestId(`column-${won.id}`);
  await app().action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: card })
    .down({ button: 0 })
    .move({ origin: card, x: 12, y: 6, duration: 100 })
    .move({ origin: target, duration: 400 })
    .move({ origin: target, x: 4, y: 20, duration: 100 })
    .up({ button: 0 })
    .perform();
  await app().releaseActions().catch(() => {});
  await byTestId('reason-dialog');
  await (await byLabel('Win reason')).selectByVisibleText('Better price');
  await clickTestId('reason-confirm');
  await app().waitUntil(async () => (await columns())[1].count === won.count + 1, { timeoutMsg: 'the Won column did not count the card' });

  // The sales status chart: every pipeline, then one pipeline's funnel.
  await app().execute(() => { window.location.hash = '#/reports?tab=status'; });
  await byTestId('report-stages-table');
  const stageNames = () => app().execute(() => [...document.querySelectorAll('[data-testid="report-stages-table"] tbody tr')].map((tr) => tr.children[0].innerText.trim()));
  const reportPipeline = await byTestId('report-pipeline');
  await selectValue(reportPipeline, services);
  await app().waitUntil(async () => (await stageNames()).join(',') === 'New,Won,Lost', { timeoutMsg: 'the chart did not switch to the Services funnel' });
  await selectValue(await byTestId('report-pipeline'), await optionValue(await byTestId('report-pipeline'), 'Sales'));
  await app().waitUntil(async () => (await stageNames()).includes('Negotiation') && !(await stageNames()).includes('New'), { timeoutMsg: 'the chart did not switch to the Sales funnel' });

  // Services merges into Sales: the won card goes to Sales' Won stage, Services retires.
  await clickTestId('nav-settings');
  await clickTestId('settings-nav-stages');
  await selectValue(await byTestId('admin-pipeline'), services);
  await clickTestId('admin-pipeline-merge');
  const merge = await byTestId('admin-pipeline-merge-dialog');
  const targets = await app().execute((d) => [...d.querySelectorAll('[data-testid^="admin-pipeline-merge-to-"]')].map((n) => n.options[n.selectedIndex]?.text), merge);
  assert.deepEqual(targets.slice(1), ['Won', 'Lost'], 'won and lost map to their own kind by name');
  await clickTestId('admin-pipeline-merge-save');
  await app().waitUntil(async () => !(await app().$('[data-testid="admin-pipeline-merge-dialog"]').isExisting()), { timeoutMsg: 'the merge did not finish' });
  await app().execute(() => { window.location.hash = '#/opportunities/board'; });
  await byTestId('board');
  await app().waitUntil(async () => !(await app().$('[data-testid="pipeline-switch"]').isExisting()), { timeoutMsg: 'the retired pipeline is still offered on the board' });
  await app().waitUntil(async () => {
    const salesWon = (await columns()).find((c) => c.title === 'Won');
    return !!salesWon && app().execute((c, i) => !!document.querySelector(`[data-testid="column-${c}"] [data-card-id="${i}"]`), salesWon.id, id);
  }, { timeoutMsg: 'the card is not in the Sales pipeline\'s Won column' });
});
