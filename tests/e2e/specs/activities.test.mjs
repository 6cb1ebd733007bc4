// Following up, as a salesperson and an administrator of the demo company work:
// a follow-up planned from the opportunity form with a reminder a minute ahead rings
// (the window asks for the OS notification), waits in the bell, opens the record and
// is marked done; the board then badges the deal "no next step"; an overdue follow-up
// waits in "my day" and is completed there; a comment mentioning a colleague reaches
// their bell after they sign in.

import assert from 'node:assert/strict';
import {
  journey, startApp, app, setLanguage, clickTestId, byTestId, fill, invokeCommand, hasTestId,
} from '../lib/index.mjs';

/** The hash of the window. */
const route = () => app().execute(() => window.location.hash);

/**
 * Records every call of a command by the window, with its answer. The window's IPC
 * goes out as a request to the `ipc:` scheme (the invoke function itself cannot be
 * replaced), so the request and its answer are read there.
 */
async function recordCalls(cmd) {
  await app().execute((name) => {
    if (window.__recorded) return;
    window.__recorded = [];
    const original = window.fetch.bind(window);
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input.url;
      const answer = original(input, init);
      if (new URL(url).pathname.replace(/^\//, '') === name) {
        let args = null;
        try { args = JSON.parse(init.body); } catch { /* not JSON */ }
        answer.then((response) => response.clone().json()).then(
          (value) => window.__recorded.push({ args, value }),
          (error) => window.__recorded.push({ args, error: String(error) }),
        );
      }
      return answer;
    };
  }, cmd);
}

const recorded = () => app().execute(() => window.__recorded ?? []);

async function ok(cmd, args) {
  const r = await invokeCommand(cmd, args);
  assert.ok(r.ok, `${cmd}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The wall-clock time `minutes` from now in the app's time zone, as HH:MM. */
async function clockIn(minutes) {
  const settings = await ok('get_settings');
  return app().execute((zone, m) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + m * 60000)), settings.timeZone, minutes);
}

/** An open opportunity (assigned to `userId`, when given). */
async function openOpportunityOf(userId) {
  const page = await ok('list_opportunities', {
    request: { filter: { assignedUserIds: userId ? [userId] : [], status: 'open' }, sort: [], page: 1, pageSize: 5 },
  });
  assert.ok(page.page.items.length > 0, 'the demo has an open opportunity for the user');
  return page.page.items[0];
}

async function waitForHash(pattern, what) {
  await app().waitUntil(async () => pattern.test(await route()), { timeoutMsg: what });
}

journey('follow-up: a reminder a minute ahead rings, waits in the bell, opens the record and is done; the board then says "no next step"', async () => {
  await startApp({ name: 'activities', demo: true });
  await setLanguage('en');
  await recordCalls('notify_reminders');
  const me = (await ok('session')).user;
  const deal = await openOpportunityOf(null);
  // Nothing else of this deal is planned: the board's badge will tell.
  for (const a of await ok('list_activities', { query: { opportunityId: deal.id, statuses: ['planned'] } })) {
    await ok('delete_activity', { id: a.id });
  }

  // From the opportunity form: Reminder, due a minute from now, reminding at the time.
  await app().execute((id) => { window.location.hash = `#/opportunities/${id}`; }, deal.id);
  await clickTestId('opp-reminder');
  const dialog = await byTestId('activity-dialog');
  const subject = `Call back ${Date.now().toString(36).slice(-4)}`;
  await fill(await dialog.$('[data-field="subject"]'), subject);
  await fill(await dialog.$('[data-field="dueTime"]'), await clockIn(1));
  await app().execute((d) => {
    const select = d.querySelector('[data-field="remindBeforeMinutes"]');
    select.value = '0';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  }, dialog);
  await clickTestId('activity-save');
  await app().waitUntil(async () => !(await hasTestId('activity-dialog')), { timeoutMsg: 'the follow-up was not saved' });
  const [planned] = await ok('list_activities', { query: { opportunityId: deal.id, statuses: ['planned'] } });
  assert.equal(planned.subject, subject);
  assert.equal(planned.remindBeforeMinutes, 0);
  assert.equal(planned.assignedUserId, me.id, 'a new follow-up is the signed-in user\'s (their reminder)');

  // Leave the record; at its time the window asks for the notification.
  await clickTestId('nav-identities');
  try {
    await app().waitUntil(async () => (await recorded()).some((c) => (c.value ?? []).includes(planned.id)), {
      timeout: 150000,
      interval: 1000,
    });
  } catch {
    // What the backend and the window knew, for whoever reads the failure.
    const state = { activity: await ok('get_activity', { id: planned.id }), reminders: await ok('reminders'), recorded: await recorded(), now: new Date().toISOString() };
    assert.fail(`no notification was asked for at the reminder time: ${JSON.stringify(state)}`);
  }
  const call = (await recorded()).find((c) => (c.value ?? []).includes(planned.id));
  assert.equal(call.args.language, 'en');

  // A click on the notification opens the record: the backend tells the window so
  // (as the notification server reports the click), and the window goes there.
  await app().execute((id) => window.__TAURI_INTERNALS__.invoke('plugin:event|emit', { event: 'reminder-clicked', payload: { activityId: id } }), planned.id);
  await waitForHash(new RegExp(`#/opportunities/${deal.id}$`), 'the clicked notification did not open the record');
  await clickTestId('nav-identities');

  // The bell holds it; it opens the record, and marks it done.
  await app().waitUntil(async () => Number((await (await byTestId('bell-count')).getText()).replace(/[^\d]/g, '')) > 0, { timeoutMsg: 'the bell has no count' });
  await clickTestId('bell');
  await byTestId('bell-panel');
  const entry = await byTestId(`bell-reminder-${planned.id}`);
  assert.match(await entry.getText(), new RegExp(subject));
  await clickTestId(`bell-open-${planned.id}`);
  await waitForHash(new RegExp(`#/opportunities/${deal.id}`), 'the bell did not open the record');
  await clickTestId('bell');
  await clickTestId(`bell-done-${planned.id}`);
  await app().waitUntil(async () => (await ok('get_activity', { id: planned.id })).status === 'done', { timeoutMsg: 'the follow-up is not done' });
  await app().waitUntil(async () => !(await hasTestId(`bell-reminder-${planned.id}`)), { timeoutMsg: 'a done follow-up is still in the bell' });

  // With nothing planned, its card on the board says "no next step".
  await app().execute((title) => { window.location.hash = `#/opportunities/board?q=${encodeURIComponent(title)}`; }, deal.title);
  await byTestId('board');
  await app().waitUntil(() => app().execute((id) => !!document.querySelector(`[data-testid="card-no-step-${id}"]`), deal.id), {
    timeoutMsg: 'the card has no "no next step" badge',
  });
}, { timeout: 300000 });

journey('my day: an overdue follow-up waits there and is completed with one click', async () => {
  await startApp({ name: 'activities-day', demo: true });
  await setLanguage('en');
  const me = (await ok('session')).user;
  const deal = await openOpportunityOf(null);
  const settings = await ok('get_settings');
  // Yesterday in the app's time zone, as YYYY-MM-DD.
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: settings.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(Date.now() - 86400000)).map((p) => [p.type, p.value]));
  const yesterday = `${parts.year}-${parts.month}-${parts.day}`;
  const late = await ok('create_activity', {
    input: {
      kind: 'task', subject: 'Send the revised quote', opportunityId: deal.id, identityId: null, assignedUserId: me.id,
      dueOn: yesterday, dueTime: '10:00', durationMinutes: null, status: 'planned', direction: null, callResult: null,
      outcome: null, remindBeforeMinutes: null,
    },
  });
  assert.ok(late.overdue);

  await clickTestId('nav-today');
  await byTestId('my-day');
  const overdue = await byTestId('my-day-overdue');
  await app().waitUntil(async () => (await overdue.$(`[data-testid="my-day-activity-${late.id}"]`)).isExisting(), {
    timeoutMsg: 'the overdue follow-up is not in my day',
  });
  await clickTestId(`my-day-done-${late.id}`);
  await app().waitUntil(async () => (await ok('get_activity', { id: late.id })).status === 'done', { timeoutMsg: 'my day did not complete it' });
  await app().waitUntil(async () => !(await hasTestId(`my-day-activity-${late.id}`)), { timeoutMsg: 'a done follow-up stays in my day' });
});

journey('comments: a mention reaches the colleague\'s bell, and opens the deal', async () => {
  await startApp({ name: 'activities-mention', demo: true });
  await setLanguage('en');
  const users = await ok('list_users', { includeInactive: false });
  const ali = users.find((u) => u.username === 'a.rezaei');
  const deal = await openOpportunityOf(ali.id);

  await app().execute((id) => { window.location.hash = `#/opportunities/${id}`; }, deal.id);
  await byTestId('comments-panel');
  const text = `@a.rezaei please call them back ${Date.now().toString(36).slice(-4)}`;
  await fill(await byTestId('comment-input'), text);
  // "Send with Enter" is on by default.
  assert.equal(await app().execute(() => document.querySelector('[data-testid="comment-enter-sends"]').checked), true);
  await (await byTestId('comment-input')).addValue('\uE007');
  await app().waitUntil(async () => app().execute((t) => [...document.querySelectorAll('[data-testid="comment-item"]')].some((n) => n.innerText.includes(t.slice(10))), text), {
    timeoutMsg: 'the comment is not in the panel',
  });

  // Ali signs in: the mention is in his bell and opens the deal.
  await clickTestId('sign-out');
  await fill(await byTestId('sign-in-username'), 'a.rezaei');
  await fill(await byTestId('sign-in-password'), 'forsat-demo');
  await clickTestId('sign-in-submit');
  await app().waitUntil(async () => (await hasTestId('bell-count')) && Number((await (await byTestId('bell-count')).getText()).replace(/[^\d]/g, '')) > 0, {
    timeoutMsg: 'the mention did not reach the bell',
  });
  await clickTestId('bell');
  const mentions = await ok('mentions');
  const mine = mentions.items.find((m) => m.body === text);
  assert.ok(mine && !mine.read, 'the mention is unread');
  await clickTestId(`bell-mention-${mine.id}`);
  await waitForHash(new RegExp(`#/opportunities/${deal.id}`), 'the mention did not open the deal');
  await app().waitUntil(async () => (await ok('mentions')).items.find((m) => m.id === mine.id).read, { timeoutMsg: 'the mention was not marked read' });
});
