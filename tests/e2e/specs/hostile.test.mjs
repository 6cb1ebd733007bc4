// Hostile input through the app's real IPC, as a crafted page or a broken client would
// send it: every case must come back promptly as a typed error naming its field (never
// a bare string, a panic that leaves the call waiting, or a raw database message), and
// the database must read exactly as before. Input that is merely dirty (control and
// bidi-override characters in a title) is cleaned, not stored as sent.

import assert from 'node:assert/strict';
import { journey, startApp, invokeCommand } from '../lib/index.mjs';

/** Longest a refusal may take: far below "the window hangs". */
const PROMPT_MS = 8000;

/** Calls a command the way the window does; resolves to {ok, value | error, ms}. */
const call = (cmd, args = {}) => invokeCommand(cmd, args, PROMPT_MS + 2000);

async function ok(cmd, args) {
  const r = await call(cmd, args);
  assert.ok(r.ok, `${cmd}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** What the database holds, read through the commands: equal before and after. */
async function snapshot() {
  const page = (extra) => ({ page: 1, pageSize: 500, ...extra });
  return JSON.stringify({
    opportunities: await ok('list_opportunities', { request: { filter: {}, sort: [], ...page() } }),
    identities: await ok('list_identities', { query: page({}) }),
    products: await ok('list_products', { query: page({ forSale: false }) }),
    settings: await ok('get_settings'),
    stages: await ok('list_stages', { includeInactive: true }),
    first: await ok('get_opportunity', { id: 1 }),
    records: await ok('opportunity_records', { opportunityId: 1 }),
    backups: await ok('backup_settings'),
    activities: await ok('list_activities', { query: {} }),
    comments: await ok('list_comments', { opportunityId: 1 }),
  });
}

function big(n) {
  return '9'.repeat(n);
}

journey('hostile input through the IPC: typed refusals with their field, at once, and nothing changes', async () => {
  await startApp({ name: 'hostile', demo: true });
  // The app starts behind its window: like the window, a client asks the session first
  // (it answers once the start is done).
  await ok('session');

  // A valid opportunity to bend, from what the demo holds.
  const detail = await ok('get_opportunity', { id: 1 });
  const stages = await ok('list_stages', { includeInactive: false });
  const open = stages.find((s) => s.kind === 'open');
  const types = await ok('list_system_items', { list: 'opportunity_type', includeInactive: false });
  const sources = await ok('list_system_items', { list: 'source', includeInactive: false });
  const products = await ok('list_products', { query: { page: 1, pageSize: 5, forSale: true } });
  const productId = products.items?.[0]?.id ?? products.page?.items?.[0]?.id;
  assert.ok(productId, 'the demo has a product');
  const valid = {
    identityId: detail.identityId,
    title: 'Hostile',
    typeId: types[0].id,
    sourceId: sources[0].id,
    estimatedAmount: '1000',
    amountIsManual: true,
    probabilityIsManual: false,
    customFields: [],
    competitors: [],
    lines: [],
    stageId: open.id,
  };
  const line = (quantity, unitPrice) => ({ productId, quantity, unitPrice, discountKind: 'percent', discountValue: '0' });
  const opportunity = (change) => ({ input: { ...valid, ...change } });
  const list = (request) => ({ request: { filter: {}, sort: [], page: 1, pageSize: 50, ...request } });
  const activity = (change) => ({
    input: {
      kind: 'task', subject: 'Hostile', opportunityId: 1, identityId: null, assignedUserId: null, dueOn: '2026-12-03',
      dueTime: '10:00', durationMinutes: null, status: 'planned', direction: null, callResult: null, outcome: null,
      remindBeforeMinutes: null, ...change,
    },
  });
  const invoice = (change) => ({
    input: { kind: 'invoice', identityId: detail.identityId, title: 'Hostile', issueDate: '2026-11-29', lines: [line('1', '10')], ...change },
  });

  // [name, command, arguments, the field the refusal names: the field itself, one of its
  // parts (`lines` for `lines.0.quantity`) or its place in the argument (`filter.status`)]
  const cases = [
    // Impossible and out-of-range dates.
    ['an impossible date', 'create_opportunity', opportunity({ closeDate: '2026-02-30' }), 'closeDate'],
    ['year 0', 'create_opportunity', opportunity({ closeDate: '0000-06-01' }), 'closeDate'],
    ['a negative year', 'create_opportunity', opportunity({ closeDate: '-0001-06-01' }), 'closeDate'],
    ['year 10000', 'create_opportunity', opportunity({ closeDate: '+10000-01-01' }), 'closeDate'],
    ['year 2200', 'create_opportunity', opportunity({ closeDate: '2200-01-01' }), 'closeDate'],
    ['a date that is not one', 'create_opportunity', opportunity({ closeDate: 'tomorrow' }), 'closeDate'],
    ['an invoice in year 99378', 'create_financial_record', invoice({ issueDate: '99378-01-01' }), 'issueDate'],
    ['a filter date in year 0', 'list_opportunities', list({ filter: { closeFrom: '0000-01-01' } }), 'closeFrom'],
    ['a report from year 10000', 'report_sales_status', { filter: { from: '+10000-01-01' } }, 'from'],
    ['a report asked with a megabyte ticket', 'report_sales_status', { filter: {}, ticket: 'x'.repeat(1_000_000) }, 'ticket'],
    ['a report called off with an empty ticket', 'report_cancel', { ticket: '' }, 'ticket'],
    // Numbers: ambiguous, sent as the wrong type, beyond the money range.
    ['an ambiguous separator', 'create_opportunity', opportunity({ estimatedAmount: '12,5' }), 'estimatedAmount'],
    ['an amount as a number', 'create_opportunity', opportunity({ estimatedAmount: 12.5 }), 'estimatedAmount'],
    ['an amount beyond the money range', 'create_opportunity', opportunity({ estimatedAmount: big(40) }), 'estimatedAmount'],
    ['an amount in exponent form', 'create_opportunity', opportunity({ estimatedAmount: '1e400' }), 'estimatedAmount'],
    ['a quantity × price that overflows', 'create_opportunity', opportunity({ amountIsManual: false, lines: [line(big(12), big(14))] }), 'lines'],
    ['lines whose sum overflows', 'create_opportunity', opportunity({ amountIsManual: false, lines: [line('1', big(14)), line('1', big(14)), line('1', big(14))] }), 'lines'],
    ['an invoice line that overflows', 'create_financial_record', invoice({ lines: [line(big(12), big(14))] }), 'lines'],
    ['a probability of 1000', 'create_opportunity', opportunity({ probability: '1000', probabilityIsManual: true }), 'probability'],
    // Ids and enums.
    ['an id beyond 32 bits', 'create_opportunity', opportunity({ identityId: 4294967296 }), 'identityId'],
    ['an id as a string', 'create_opportunity', opportunity({ identityId: '1' }), 'identityId'],
    ['a fractional id', 'get_opportunity', { id: 1.5 }, 'id'],
    ['a huge id to read', 'get_opportunity', { id: 2 ** 53 }, 'id'],
    ['an unknown list', 'list_system_items', { list: 'bogus', includeInactive: false }, 'list'],
    ['an unknown record kind', 'create_financial_record', invoice({ kind: 'bogus' }), 'kind'],
    ['an unknown sort column', 'list_opportunities', list({ sort: [{ column: 'password', desc: false }] }), 'sort'],
    ['an unknown stage kind in a filter', 'list_opportunities', list({ filter: { status: 'everything' } }), 'status'],
    ['a missing field', 'create_opportunity', { input: { ...valid, title: undefined } }, 'title'],
    ['null for a list', 'create_opportunity', opportunity({ lines: null }), 'lines'],
    ['an object for a title', 'create_opportunity', opportunity({ title: { $gt: '' } }), 'title'],
    ['a page beyond 32 bits', 'list_opportunities', list({ page: 2 ** 32 }), 'page'],
    // Sizes and limits.
    ['100,000 ids in a filter', 'list_opportunities', list({ filter: { assignedUserIds: Array.from({ length: 100000 }, (_, i) => i + 1) } }), 'assignedUserIds'],
    ['a title of a million characters', 'create_opportunity', opportunity({ title: 'x'.repeat(1_000_000) }), 'title'],
    ['a numbering template of width 1000', 'update_settings', { patch: { numbering: [{ kind: 'invoice', template: 'INV-{seq:1000}' }] } }, 'numbering.0.template'],
    ['a numbering template for no kind', 'update_settings', { patch: { numbering: [{ kind: 'passwords', template: '{seq}' }] } }, 'numbering.0.kind'],
    ['a time zone that is none', 'update_settings', { patch: { timeZone: 'Mars/Olympus' } }, 'timeZone'],
    ['keeping no backups', 'set_backup_keep', { keep: 0 }, 'keep'],
    ['keeping four billion backups', 'set_backup_keep', { keep: 4294967295 }, 'keep'],
    ['a backup outside the folder', 'restore_backup', { fileName: '../../../etc/passwd', onProgress: '$channel' }, 'fileName'],
    ['a restore of a file that is not one', 'restore_backup_file', { path: '/etc/hostname', onProgress: '$channel' }, 'file'],
    ['an export under a 300-letter name', 'save_export', { fileName: `${'ن'.repeat(300)}.csv`, contentBase64: 'eA==' }, 'fileName'],
    ['an import of a million columns', 'import_preview', { kind: 'opportunities', fileName: 'wide.csv', contentBase64: btoa(Array(1_000_000).fill('x').join(',')) }, 'file'],
    ['an import under a 300-letter name', 'import_preview', { kind: 'opportunities', fileName: `${'x'.repeat(300)}.csv`, contentBase64: btoa('title\na\n') }, 'fileName'],
    ['a bulk change of 100,000 records', 'bulk_update_opportunities', { items: Array.from({ length: 100000 }, (_, i) => ({ id: i + 1, version: 1 })), change: { typeId: types[0].id } }, 'items'],
    ['a board window of a million days', 'pipeline_board', { request: { filter: {}, byUser: false, closedWithinDays: 1000000 } }, 'closedWithinDays'],
    ['a preference of ten megabytes', 'set_user_value', { key: 'ui.x', value: 'x'.repeat(10_000_000) }, 'value'],
    ['a preference under a huge key', 'set_user_value', { key: 'k'.repeat(100_000), value: '1' }, 'key'],
    ['a customer with 100,000 phones', 'create_identity', { input: { kind: 'organization', organizationName: 'Hostile Co', isCustomer: true, isCompetitor: false, isSupplier: false, phones: Array.from({ length: 100000 }, (_, i) => ({ kind: 'mobile', number: `0912${String(i).padStart(7, '0')}`, isDefault: i === 0 })), emails: [], addresses: [] } }, 'phones'],
    ['a customer named only with controls', 'create_identity', { input: { kind: 'organization', organizationName: '\u202E\u0000\u2066', isCustomer: true, isCompetitor: false, isSupplier: false, phones: [], emails: [], addresses: [] } }, 'organizationName'],
    ['an import of an unknown kind', 'import_preview', { kind: 'spaceships', fileName: 'a.csv', contentBase64: btoa('title\na\n') }, 'kind'],
    ['an import that is not base64', 'import_preview', { kind: 'opportunities', fileName: 'a.csv', contentBase64: '***' }, 'file'],
    // Following up: activities, comments, reminders, the timeline.
    ['an activity due at 25:61', 'create_activity', activity({ dueTime: '25:61' }), 'dueTime'],
    ['an activity due in year 10000', 'create_activity', activity({ dueOn: '+10000-01-01' }), 'dueOn'],
    ['an activity of an unknown kind', 'create_activity', activity({ kind: 'party' }), 'kind'],
    ['an activity lasting a year', 'create_activity', activity({ durationMinutes: 525600 }), 'durationMinutes'],
    ['a reminder four billion minutes ahead', 'create_activity', activity({ remindBeforeMinutes: 4294967295 }), 'remindBeforeMinutes'],
    ['an activity of a million characters', 'create_activity', activity({ subject: 'x'.repeat(1_000_000) }), 'subject'],
    ['an activity on no record', 'create_activity', activity({ opportunityId: null, identityId: null }), 'identityId'],
    ['a call result on a meeting', 'create_activity', activity({ kind: 'meeting', callResult: 'busy' }), 'callResult'],
    ['an activity list of a million statuses', 'list_activities', { query: { statuses: Array(1_000_000).fill('planned') } }, 'statuses'],
    ['a comment of a megabyte', 'add_comment', { input: { opportunityId: 1, body: '@'.repeat(1_000_000) } }, 'body'],
    ['a comment of controls only', 'add_comment', { input: { opportunityId: 1, body: '\u202E\u0000' } }, 'body'],
    ['100,000 reminders shown', 'mark_reminders_shown', { ids: Array.from({ length: 100000 }, (_, i) => i + 1) }, 'ids'],
    ['100,000 notifications at once', 'notify_reminders', { ids: Array.from({ length: 100000 }, (_, i) => i + 1), language: 'en' }, 'ids'],
    ['a timeline of no record', 'timeline', { request: { kinds: [] } }, 'opportunityId'],
  ];

  const before = await snapshot();
  const failures = [];
  for (const [name, cmd, args, field] of cases) {
    const r = await call(cmd, args);
    const fields = r.error?.kind === 'validation' ? r.error.fields.map((f) => f.field) : [];
    if (r.hung) failures.push(`${name}: no answer in ${PROMPT_MS} ms`);
    else if (r.ms > PROMPT_MS) failures.push(`${name}: answered after ${r.ms} ms`);
    else if (r.ok) failures.push(`${name}: accepted (${JSON.stringify(r.value).slice(0, 120)})`);
    else if (typeof r.error !== 'object' || r.error === null || !r.error.kind) failures.push(`${name}: an untyped error ${JSON.stringify(r.error).slice(0, 160)}`);
    else if (r.error.kind === 'database' || r.error.kind === 'internal') failures.push(`${name}: ${r.error.kind} ${JSON.stringify(r.error)}`);
    else if (r.error.kind !== 'validation' || !fields.some((f) => f === field || f.startsWith(`${field}.`) || f.endsWith(`.${field}`))) {
      failures.push(`${name}: expected a refusal of ${field}, got ${JSON.stringify(r.error).slice(0, 200)}`);
    }
  }
  assert.deepEqual(failures, [], `refusals that were not typed, prompt and about their field:\n${failures.join('\n')}`);
  assert.equal(await snapshot(), before, 'the refused input changed nothing');

  // Reads with absurd sizes are answered at once, within their limits: a page past the
  // end is empty, a page or a board slice never holds more than its maximum, a name
  // longer than any stored one matches nothing.
  const items = (v) => (Array.isArray(v) ? v : (v.page?.items ?? v.items));
  for (const [cmd, args, most] of [
    ['list_opportunities', list({ page: 4294967295, pageSize: 4294967295 }), 0],
    ['list_identities', { query: { page: 4294967295, pageSize: 4294967295 } }, 0],
    ['list_products', { query: { page: 4294967295, pageSize: 4294967295, forSale: false } }, 0],
    ['list_opportunities', list({ page: 1, pageSize: 4294967295 }), 500],
    ['pipeline_board_cards', { request: { filter: {}, byUser: false }, stageId: open.id, lane: null, offset: 4294967295, limit: 4294967295 }, 0],
    ['pipeline_board_cards', { request: { filter: {}, byUser: false }, stageId: open.id, lane: null, offset: 0, limit: 4294967295 }, 200],
    ['identities_with_same_name', { name: 'x'.repeat(1_000_000), except: null }, 0],
  ]) {
    const r = await call(cmd, args);
    assert.ok(r.ok && r.ms < PROMPT_MS, `${cmd} ${JSON.stringify(args).slice(0, 120)}: ${JSON.stringify(r).slice(0, 200)}`);
    assert.ok(items(r.value).length <= most, `${cmd}: ${items(r.value).length} rows, at most ${most}`);
  }

  // Dirty text is cleaned: NUL and bidi overrides never reach the database.
  const made = await ok('create_opportunity', opportunity({ title: 'Printer\u0000 deal \u202Egpj.exe\u2066' }));
  const stored = await ok('get_opportunity', { id: made.id });
  assert.equal(stored.title, 'Printer deal gpj.exe');
});
