// The screenshot review: every main screen (37 of them) with the demo data, in Persian and English,
// at 1280×800, 1366×768 and 1920×1080. Each picture lands in artifacts/screens/ for a
// person to look at; the journey fails when a screen scrolls sideways or cuts a
// control or a text off (content wider than a box that hides it without an ellipsis,
// a button or field outside the area that shows it).
//
// An element may say it scrolls sideways on purpose (data-overflow-ok: the board's
// columns, a wide table inside its own scroller).

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { journey, startApp, app, setLanguage, invokeCommand } from '../lib/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, '..', 'artifacts', 'screens');

const SIZES = [[1280, 800], [1366, 768], [1920, 1080]];

const REPORT_TABS = ['dashboard', 'status', 'winloss', 'campaigns', 'durations', 'competitors', 'stages', 'forecast', 'opportunities', 'activities'];
const SETTINGS = ['general', 'lists', 'stages', 'fields', 'campaigns', 'users', 'teams', 'backup', 'about'];

/**
 * The screens: a name, the address, then what is done there in turn — a test id is
 * clicked, "numbers" turns the form's field numbers on, "scroll:<test id>" scrolls
 * that part into view.
 */
function screens(invoiceId) {
  return [
    ['today', '#/today'],
    ['identities', '#/identities'],
    ['identity', '#/identities/1'],
    ['identity-records', '#/identities/1/records'],
    ['identity-new', '#/identities', 'identities-new'],
    ['opportunity', '#/opportunities/5', 'numbers'],
    ['opportunity-products', '#/opportunities/5', 'numbers', 'scroll:products-section'],
    ['opportunity-records', '#/opportunities/5/records'],
    ['opportunity-reminder', '#/opportunities/5', 'opp-reminder'],
    ['opportunity-new', '#/opportunities/new?identity=1', 'numbers'],
    ['list', '#/opportunities'],
    ['board', '#/opportunities/board'],
    ['import', '#/opportunities/import'],
    ['products', '#/products'],
    ['invoice', `#/records/${invoiceId}`],
    ['invoice-print', `#/records/${invoiceId}/print`],
    ['bell', '#/identities', 'bell'],
    ...REPORT_TABS.map((tab) => [`reports-${tab}`, `#/reports?tab=${tab}`]),
    ...SETTINGS.map((section) => [`settings-${section}`, '#/settings', `settings-nav-${section}`]),
  ];
}

/** What is wrong on the screen as shown: sideways scrolling, cut-off text and controls. */
function findProblems() {
  const problems = [];
  const root = document.documentElement;
  const vw = root.clientWidth;
  const name = (el) => {
    const id = el.getAttribute('data-testid');
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${text}"`;
  };
  if (root.scrollWidth > vw + 1) problems.push(`the page scrolls sideways (${root.scrollWidth} > ${vw} px)`);
  const shown = (el) => {
    const cs = getComputedStyle(el);
    return cs.display !== 'none' && cs.visibility !== 'hidden' && cs.opacity !== '0';
  };
  /** The box that shows an element: its nearest ancestor that scrolls or hides what overflows. */
  const viewOf = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.overflowX !== 'visible') return p;
    }
    return null;
  };
  for (const el of document.body.querySelectorAll('*')) {
    if (!shown(el) || el.closest('[data-overflow-ok], .visually-hidden, svg, canvas')) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 2 || r.height <= 2) continue;
    const cs = getComputedStyle(el);
    // Content wider than a box that hides it, without an ellipsis to say so.
    if ((cs.overflowX === 'hidden' || cs.overflowX === 'clip') && el.scrollWidth > el.clientWidth + 2 && cs.textOverflow !== 'ellipsis') {
      const child = [...el.children].some((c) => shown(c));
      // Only text or controls that are cut count (a decorative box may hide its shadow).
      if (!child || el.matches('button, label, th, td, a, .btn, .badge, [role="tab"]')) problems.push(`cut off: ${name(el)} (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
    // A control outside the window, or outside the box that shows it.
    if (el.matches('button, input:not([type="hidden"]), select, textarea, a.btn, [role="tab"]')) {
      if (r.right > vw + 1 || r.left < -1) {
        problems.push(`outside the window: ${name(el)}`);
        continue;
      }
      const view = viewOf(el);
      if (view && !view.closest('[data-overflow-ok]')) {
        const v = view.getBoundingClientRect();
        if (r.right > v.right + 1 || r.left < v.left - 1) problems.push(`hidden sideways in ${name(view)}: ${name(el)}`);
      }
    }
  }
  return [...new Set(problems)];
}

async function invoiceOfTheDemo() {
  for (let id = 1; id <= 40; id += 1) {
    const r = await invokeCommand('identity_records', { identityId: id });
    const invoice = r.ok ? r.value.find((row) => row.kind === 'invoice') : null;
    if (invoice) return invoice.id;
  }
  throw new Error('the demo has no invoice');
}

for (const lang of ['fa', 'en']) {
  journey(`screens (${lang}): every main screen at 1280, 1366 and 1920 px shows everything, nothing cut off`, async () => {
    await startApp({ name: `screens-${lang}`, demo: true });
    await setLanguage(lang);
    const list = screens(await invoiceOfTheDemo());
    const found = [];
    for (const [width, height] of SIZES) {
      await app().setWindowSize(width, height);
      const dir = path.join(OUT, `${width}x${height}`);
      mkdirSync(dir, { recursive: true });
      for (const [screenName, hash, ...clicks] of list) {
        await app().execute((h) => { window.location.hash = h; }, hash);
        // Settle: the screen's data, its charts and fonts.
        await app().waitUntil(() => app().execute(() => !document.querySelector('.loading:not(.loading--inline)')), { timeout: 10000 }).catch(() => {});
        await app().pause(700);
        for (const click of clicks) {
          if (click.startsWith('scroll:')) {
            await app().execute((id) => document.querySelector(`[data-testid="${id}"]`)?.scrollIntoView({ block: 'start' }), click.slice(7));
          } else if (click === 'numbers') {
            await app().execute(() => {
              const toggle = document.querySelector('[data-testid="toggle-field-numbers"]');
              if (toggle && toggle.getAttribute('aria-pressed') !== 'true') toggle.click();
            });
          } else {
            await app().execute((id) => document.querySelector(`[data-testid="${id}"]`)?.click(), click);
          }
          await app().pause(600);
        }
        await app().saveScreenshot(path.join(dir, `${lang}-${screenName}.png`));
        for (const problem of await app().execute(findProblems)) found.push(`${width}×${height} ${lang} ${screenName}: ${problem}`);
        // Close what the clicks opened, so that the next screen starts clean.
        if (clicks.some((c) => c !== 'numbers' && !c.startsWith('scroll:'))) await app().keys('Escape');
      }
    }
    assert.deepEqual(found, [], `screens with problems (pictures in ${OUT}):\n${found.join('\n')}`);
  }, { timeout: 900000 });
}
