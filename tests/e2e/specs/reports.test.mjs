// The sales status chart as a sales manager reads it, on the demo company: open it,
// change the period and the user, click a step of the funnel itself (a real pointer
// click on the chart), and land on the opportunity list filtered to that stage, that
// user and that period — the list counts what the chart's table said.

import assert from 'node:assert/strict';
import { journey, startApp, app, setLanguage, byTestId } from '../lib/index.mjs';

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function route() {
  return app().execute(() => window.location.hash);
}

/** The stages table beside the funnel: [{name, count}] in funnel order. */
async function stageRows() {
  return app().execute(() => [...document.querySelectorAll('[data-testid="report-stages-table"] tbody tr')].map((tr) => {
    const cells = [...tr.children].map((td) => td.innerText.trim());
    return { name: cells[0], count: Number((cells[1] || '').replace(/[^\d]/g, '')) };
  }));
}

async function selectValue(testId, value) {
  const el = await byTestId(testId);
  await app().execute((n, v) => {
    n.value = v;
    n.dispatchEvent(new Event('change', { bubbles: true }));
  }, el, value);
}

journey('reports: change the period and the user, click a funnel step, land on the filtered list', async () => {
  await startApp({ name: 'reports-funnel', demo: true });
  await setLanguage('en');
  await app().execute(() => { window.location.hash = '#/reports?tab=status'; });
  await byTestId('report-stages-table');
  await app().waitUntil(async () => (await stageRows()).some((r) => r.count > 0), { timeoutMsg: 'the sales status chart shows no opportunities' });
  const yearTotal = (await stageRows()).reduce((n, r) => n + r.count, 0);

  // The period: from "this year" to the last twelve months of a custom range.
  const rangeBefore = await (await byTestId('report-range')).getText();
  await selectValue('report-period', 'thisQuarter');
  await app().waitUntil(async () => (await (await byTestId('report-range')).getText()) !== rangeBefore, { timeoutMsg: 'the period did not change' });
  await app().waitUntil(async () => (await stageRows()).reduce((n, r) => n + r.count, 0) <= yearTotal, { timeoutMsg: 'a quarter counts more than the year' });

  // The user: the salesperson with opportunities in the quarter (the first that has some).
  const users = await app().execute(() => [...document.querySelectorAll('[data-testid="report-user"] option')].map((o) => o.value).filter(Boolean));
  assert.ok(users.length > 1, 'the demo has several users');
  let chosen = null;
  let rows = [];
  for (const u of users) {
    await selectValue('report-user', u);
    await app().pause(600);
    await app().waitUntil(async () => !(await app().execute(() => !!document.querySelector('[data-testid="report-stages-table"][aria-busy="true"]'))), { timeoutMsg: 'the report did not settle' });
    rows = await stageRows();
    if (rows.some((r) => r.count > 0)) { chosen = u; break; }
  }
  assert.ok(chosen, 'some user has opportunities in the quarter');

  // A real click on the funnel step with the most opportunities. The funnel (en) spans
  // 3%–64% of the chart's width and its steps share the height, 12 px margins, 3 px gaps.
  const index = rows.reduce((best, r, i) => (r.count > rows[best].count ? i : best), 0);
  const expected = rows[index];
  const chart = await byTestId('report-funnel');
  await app().execute((n) => n.scrollIntoView({ block: 'center' }), chart);
  const { width, height } = await app().execute((n) => { const r = n.getBoundingClientRect(); return { width: r.width, height: r.height }; }, chart);
  const n = rows.length;
  const step = (height - 24 - 3 * (n - 1)) / n;
  const y = 12 + index * (step + 3) + step / 2;
  const x = width * 0.335;
  await app().action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: chart, x: Math.round(x - width / 2), y: Math.round(y - height / 2) })
    .down({ button: 0 })
    .up({ button: 0 })
    .perform();

  await app().waitUntil(async () => /^#\/opportunities\?/.test(await route()), { timeoutMsg: 'clicking the funnel step did not open the list' });
  const params = new URLSearchParams((await route()).split('?')[1]);
  assert.equal(params.get('user'), chosen, 'the list keeps the user filter');
  assert.ok(params.get('stage'), 'the list is filtered to the clicked stage');
  assert.ok(params.get('createdFrom') && params.get('createdTo'), 'the list keeps the period');

  // The list shows that stage only, and counts what the chart's table said.
  await app().waitUntil(async () => {
    const busy = await app().execute(() => !!document.querySelector('[data-testid="opportunity-table"][aria-busy="true"]'));
    if (busy) return false;
    const count = await app().execute(() => document.querySelector('[data-testid="totals-count"]')?.innerText ?? '');
    return digits(count) === expected.count;
  }, { timeoutMsg: `the list does not count the ${expected.count} opportunities of "${expected.name}"` });
  const stages = await app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.replace(/[↑↓\d]/g, '').trim());
    const col = headers.indexOf('Stage');
    return [...table.querySelectorAll('tbody tr')].map((tr) => tr.children[col]?.innerText.trim());
  });
  assert.ok(stages.length > 0 && stages.every((s) => s === expected.name), `every row is in "${expected.name}": ${stages}`);
});
