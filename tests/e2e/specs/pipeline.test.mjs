// The pipeline as a sales manager works it, on the demo company: the opportunity list
// filtered by a stage and by text and sorted by the estimated amount (the rows and the
// totals agree with the board's count for the same filters), a card dragged to Won
// on the board with the pointer, the reason asked for, and the opportunity won when
// opened, and, with swimlanes by user, a card dragged into another user's lane
// and the opportunity assigned to them in the list; under a stage filter the board
// shows those stages only, and a card moved between them keeps its place and counts.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byLabel, byTestId, fill, invokeCommand,
} from '../lib/index.mjs';

const digits = (s) => Number(String(s).replace(/[^\d]/g, ''));

async function route() {
  return app().execute(() => window.location.hash);
}

async function waitRoute(re, what) {
  await app().waitUntil(async () => re.test(await route()), { timeoutMsg: `${what} did not open` });
  return route();
}

/** A DOM click: WebKitWebDriver's pointer lands a row off inside scrolled panes. */
async function press(el) {
  await app().execute((n) => { n.scrollIntoView({ block: 'nearest' }); n.click(); }, el);
}

/** The list's rows as {title, identity, assignedTo, stage, estimated} (estimated as a number). */
async function listRows() {
  return app().execute(() => {
    const table = document.querySelector('[data-testid="opportunity-table"]');
    if (!table) return [];
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.innerText.replace(/[↑↓\d]/g, '').trim());
    const col = (name) => headers.indexOf(name);
    return [...table.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.children].map((td) => td.innerText.trim());
      return {
        title: cells[col('Title')],
        identity: cells[col('Identity')],
        assignedTo: cells[col('Assigned to')],
        stage: cells[col('Stage')],
        estimated: Number((cells[col('Estimated')] || '').replace(/[^\d]/g, '')),
      };
    });
  });
}

async function totalsCount() {
  return digits(await (await byTestId('totals-count')).getText());
}

/** Waits until the list is not loading and its rows satisfy `check`. */
async function waitRows(check, what) {
  let rows = [];
  await app().waitUntil(async () => {
    const busy = await app().execute(() => !!document.querySelector('[data-testid="opportunity-table"][aria-busy="true"]'));
    if (busy) return false;
    rows = await listRows();
    return check(rows);
  }, { timeoutMsg: what });
  return rows;
}

journey('pipeline: filter the list by a stage and by text, sort by estimated descending, totals agree', async () => {
  await startApp({ name: 'pipeline-list', demo: true });
  await setLanguage('en');
  await clickTestId('nav-opportunities');
  await waitRoute(/^#\/opportunities$/, 'the opportunity list');
  const all = await waitRows((rows) => rows.length > 0, 'the list showed no rows');
  const everything = await totalsCount();
  assert.ok(everything >= all.length, 'the totals count the whole list, not just the page');

  // A stage, chosen in its filter.
  const stageFilter = await byTestId('filter-stage');
  await press(await stageFilter.$('summary'));
  await press(await byLabel('Proposal'));
  await waitRoute(/stage=\d+/, 'the stage filter in the address');
  await press(await stageFilter.$('summary'));
  const byStage = await waitRows((rows) => rows.length > 0 && rows.every((r) => r.stage === 'Proposal'), 'the list did not narrow to the Proposal stage');
  const stageCount = await totalsCount();
  assert.ok(stageCount < everything, 'the stage filter narrows the list');

  // Text: a word of the first row's title.
  const word = byStage[0].title.split(/\s+/)[0];
  await fill(await byTestId('pipeline-search'), word);
  await waitRoute(/q=/, 'the text in the address');
  const matching = await waitRows(
    (rows) => rows.length > 0 && rows.every((r) => r.stage === 'Proposal' && (r.title.includes(word) || r.identity.includes(word))),
    'the list did not narrow to the text',
  );
  const count = await totalsCount();
  assert.ok(count <= stageCount, 'the text narrows the stage further');
  assert.equal(count, matching.length, 'one page holds them all, and the totals count exactly the rows shown');

  // Estimated, descending: one click sorts ascending, the second reverses.
  await clickTestId('sort-estimated');
  await app().waitUntil(async () => (await (await byTestId('sort-estimated')).getAttribute('data-sort')) === 'asc', { timeoutMsg: 'no ascending sort' });
  await clickTestId('sort-estimated');
  await app().waitUntil(async () => (await (await byTestId('sort-estimated')).getAttribute('data-sort')) === 'desc', { timeoutMsg: 'no descending sort' });
  const sorted = await waitRows((rows) => rows.length === matching.length && rows.every((r, i) => i === 0 || rows[i - 1].estimated >= r.estimated), 'the rows are not in descending estimated order');
  assert.deepEqual(sorted.map((r) => r.title).sort(), matching.map((r) => r.title).sort(), 'sorting shows the same rows');
  assert.equal(sorted[0].estimated, Math.max(...matching.map((r) => r.estimated)));
  assert.equal(await totalsCount(), count);

  // The board with the same filters counts the same opportunities in that column.
  const query = (await route()).split('?')[1];
  await clickTestId('view-board');
  await waitRoute(/^#\/opportunities\/board\?/, 'the board');
  assert.equal((await route()).split('?')[1], query, 'the board keeps the filters');
  const stageId = new URLSearchParams(query).get('stage');
  await app().waitUntil(async () => digits(await (await byTestId(`column-count-${stageId}`)).getText()) === count, {
    timeoutMsg: `the board's Proposal column does not count ${count}`,
  });

  // Back returns to the list as it was filtered.
  await app().execute(() => window.history.back());
  await waitRoute(/^#\/opportunities\?/, 'the list after Back');
  await waitRows((rows) => rows.length === count, 'Back did not bring the filtered list back');
});

journey('pipeline: drag a card to Won on the board, give the reason, and the opportunity is won', async () => {
  await startApp({ name: 'pipeline-board', demo: true });
  await setLanguage('en');
  await app().execute(() => { window.location.hash = '#/opportunities/board'; });
  await byTestId('board');

  // The Negotiation and Won columns (next to each other), by their headers.
  const ids = await app().waitUntil(() => app().execute(() => {
    const heads = [...document.querySelectorAll('[data-testid^="column-head-"]')];
    const id = (name) => heads.find((h) => h.querySelector('.pl-column__title')?.firstChild?.textContent.trim() === name)?.dataset.testid.replace('column-head-', '');
    const from = id('Negotiation');
    const to = id('Won');
    return from && to && document.querySelector(`[data-testid="column-${from}"] [data-card-id]`) ? { from, to } : false;
  }), { timeoutMsg: 'the board shows no Negotiation card and Won column' });
  const wonBefore = digits(await (await byTestId(`column-count-${ids.to}`)).getText());

  const card = await app().$(`[data-testid="column-${ids.from}"] [data-card-id]`);
  const cardId = await card.getAttribute('data-card-id');
  const title = await card.getAttribute('aria-label');
  const target = await byTestId(`column-${ids.to}`);
  await app().execute((n) => n.scrollIntoView({ block: 'nearest', inline: 'center' }), target);

  // Drag with the pointer: press on the card, move over the Won column, release.
  await app().action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: card })
    .down({ button: 0 })
    .move({ origin: card, x: 12, y: 6, duration: 100 })
    .move({ origin: target, duration: 400 })
    .move({ origin: target, x: 4, y: 20, duration: 100 })
    .up({ button: 0 })
    .perform();
  await app().releaseActions().catch(() => {});

  // The reason is asked for first; nothing has moved yet.
  const dialog = await byTestId('reason-dialog');
  await app().waitUntil(async () => /Why was it won\?/.test(await dialog.getText()), { timeoutMsg: 'the reason dialog does not ask why it was won' });
  assert.equal(digits(await (await byTestId(`column-count-${ids.to}`)).getText()), wonBefore);
  await (await byLabel('Win reason')).selectByVisibleText('Better price');
  await fill(await byLabel('Note (optional)'), 'Signed after the demo');
  await clickTestId('reason-confirm');

  // The card is in the Won column, and Won counts one more.
  await app().waitUntil(() => app().execute((to, id) => !!document.querySelector(`[data-testid="column-${to}"] [data-card-id="${id}"]`), ids.to, cardId), {
    timeoutMsg: 'the card did not land in the Won column',
  });
  await app().waitUntil(async () => digits(await (await byTestId(`column-count-${ids.to}`)).getText()) === wonBefore + 1, {
    timeoutMsg: 'the Won column did not count the card',
  });

  // Opened, the opportunity is won, with the reason given.
  await press(await byTestId(`card-${cardId}`));
  await waitRoute(new RegExp(`^#/opportunities/${cardId}$`), 'the opportunity');
  const won = await byTestId('stage-won');
  await app().waitUntil(async () => (await won.getAttribute('aria-checked')) === 'true', { timeoutMsg: 'the opportunity is not at the Won stage' });
  assert.equal(await (await byLabel('Title')).getValue(), title);
  const reason = await byLabel('Win reason');
  assert.equal(await app().execute((n) => n.options[n.selectedIndex]?.text, reason), 'Better price');
});

journey('pipeline: with swimlanes, drag a card into another user\'s lane and it is assigned to them', async () => {
  await startApp({ name: 'pipeline-lanes', demo: true });
  await setLanguage('en');
  await app().execute(() => { window.location.hash = '#/opportunities/board'; });
  await byTestId('board');
  await clickTestId('board-by-user');

  // An open stage's card in one user's lane, and the next user's lane below it (the
  // lanes are rows, so the two cells are one above the other and both in view).
  const pick = await app().waitUntil(() => app().execute(() => {
    const lanes = [...document.querySelectorAll('[data-testid^="lane-"]')].map((h) => ({ key: h.dataset.testid.replace('lane-', ''), name: h.textContent.trim() }));
    const heads = [...document.querySelectorAll('.pl-column__head--open[data-testid^="column-head-"]')].map((h) => h.dataset.testid.replace('column-head-', ''));
    for (let i = 0; i + 1 < lanes.length; i += 1) {
      const from = lanes[i];
      const to = lanes[i + 1];
      if (from.key === 'none' || to.key === 'none') continue;
      for (const stage of heads) {
        const card = document.querySelector(`[data-testid="column-${stage}-${from.key}"] [data-card-id]`);
        if (card) return { stage, from, to, cardId: card.dataset.cardId, title: card.getAttribute('aria-label') };
      }
    }
    return false;
  }), { timeoutMsg: 'the board shows no lanes with a card next to another user\'s lane' });

  // Bring the target cell into view, then take the card of the lane above that is
  // really under the pointer at its centre (not under the sticky column heads).
  // Points are given in the viewport: WebKitWebDriver's element origins land off by
  // the scroll of the board's inner panes.
  const target = await byTestId(`column-${pick.stage}-${pick.to.key}`);
  await app().execute((n) => n.scrollIntoView({ block: 'center', inline: 'center' }), target);
  const points = await app().waitUntil(() => app().execute((from, to) => {
    const centre = (el) => {
      const r = el.getBoundingClientRect();
      return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + Math.min(r.height / 2, 40)) };
    };
    const hits = (el, p) => {
      const hit = document.elementFromPoint(p.x, p.y);
      return !!hit && el.contains(hit);
    };
    const drop = document.querySelector(`[data-testid="${to}"]`);
    const dropAt = drop && centre(drop);
    if (!drop || !hits(drop, dropAt)) return false;
    for (const card of document.querySelectorAll(`[data-testid="${from}"] [data-card-id]`)) {
      const at = centre(card);
      if (hits(card, at)) return { cardId: card.dataset.cardId, title: card.getAttribute('aria-label'), from: at, to: dropAt };
    }
    document.querySelector(`[data-testid="${from}"] .pl-cards`)?.scrollBy(0, -400);
    return false;
  }, `column-${pick.stage}-${pick.from.key}`, `column-${pick.stage}-${pick.to.key}`), { timeoutMsg: 'the card and the lane below it are not both in view' });
  pick.cardId = points.cardId;
  pick.title = points.title;

  await app().action('pointer', { parameters: { pointerType: 'mouse' } })
    .move({ origin: 'viewport', x: points.from.x, y: points.from.y })
    .down({ button: 0 })
    .move({ origin: 'viewport', x: points.from.x + 12, y: points.from.y + 6, duration: 100 })
    .move({ origin: 'viewport', x: points.to.x, y: points.to.y, duration: 400 })
    .move({ origin: 'viewport', x: points.to.x + 4, y: points.to.y + 4, duration: 100 })
    .up({ button: 0 })
    .perform();
  await app().releaseActions().catch(() => {});

  // Same stage, another lane: no reason is asked for; the card is in the new lane.
  await app().waitUntil(() => app().execute((to, id) => !!document.querySelector(`[data-testid="${to}"] [data-card-id="${id}"]`), `column-${pick.stage}-${pick.to.key}`, pick.cardId), {
    timeoutMsg: `the card did not land in ${pick.to.name}'s lane`,
  });
  assert.equal(await app().execute(() => !!document.querySelector('[data-testid="reason-dialog"]')), false, 'a reassignment asks for no reason');
  await app().waitUntil(() => app().execute((from, id) => !document.querySelector(`[data-testid="${from}"] [data-card-id="${id}"]`), `column-${pick.stage}-${pick.from.key}`, pick.cardId), {
    timeoutMsg: `the card stayed in ${pick.from.name}'s lane`,
  });

  // In the list, the opportunity is now assigned to the new lane's user.
  await clickTestId('view-list');
  await waitRoute(/^#\/opportunities(\?|$)/, 'the list');
  await fill(await byTestId('pipeline-search'), pick.title);
  const rows = await waitRows((r) => r.some((row) => row.title === pick.title), `the list does not show "${pick.title}"`);
  assert.equal(rows.find((row) => row.title === pick.title).assignedTo, pick.to.name);
});

journey('pipeline: under a stage filter the board shows those stages, and a moved card stays in sight with the counts', async () => {
  await startApp({ name: 'pipeline-board-filter', demo: true });
  await setLanguage('en');
  const stages = await invokeCommand('list_stages', { includeInactive: false });
  assert.ok(stages.ok, JSON.stringify(stages.error));
  const byName = (name) => stages.value.find((s) => s.titleEn === name)?.id;
  const proposal = byName('Proposal');
  const negotiation = byName('Negotiation');
  assert.ok(proposal && negotiation, 'the demo has Proposal and Negotiation stages');
  await app().execute((a, b) => { window.location.hash = `#/opportunities/board?stage=${a}&stage=${b}`; }, proposal, negotiation);
  await byTestId('board');
  await app().waitUntil(() => app().execute((a) => !!document.querySelector(`[data-testid="column-${a}"] [data-card-id]`), proposal), {
    timeoutMsg: 'the Proposal column shows no card',
  });
  const columns = await app().execute(() => [...document.querySelectorAll('[data-testid^="column-head-"]')].map((h) => Number(h.dataset.testid.replace('column-head-', ''))));
  assert.deepEqual(columns, [proposal, negotiation], 'only the filtered stages are columns');
  const count = async (id) => digits(await (await byTestId(`column-count-${id}`)).getText());
  const [fromBefore, toBefore] = [await count(proposal), await count(negotiation)];

  // Moved by keyboard to the next column (Ctrl+→).
  const card = await app().$(`[data-testid="column-${proposal}"] [data-card-id]`);
  const cardId = await card.getAttribute('data-card-id');
  await app().execute((n) => n.focus(), card);
  await app().keys(['Control', 'ArrowRight']);
  await app().waitUntil(() => app().execute((to, id) => !!document.querySelector(`[data-testid="column-${to}"] [data-card-id="${id}"]`), negotiation, cardId), {
    timeoutMsg: 'the card did not land in Negotiation',
  });
  // After the board asks again, it is still there, and both counts changed.
  await app().pause(1500);
  await app().waitUntil(async () => (await count(negotiation)) === toBefore + 1 && (await count(proposal)) === fromBefore - 1, {
    timeoutMsg: 'the column counts did not follow the move',
  });
  assert.ok(await app().execute((to, id) => !!document.querySelector(`[data-testid="column-${to}"] [data-card-id="${id}"]`), negotiation, cardId), 'the moved card vanished');
});
