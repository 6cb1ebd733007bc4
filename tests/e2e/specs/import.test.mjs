// Import and export of opportunities, as a user does it: pick a CSV with mistakes,
// see each problem with its line in the dry run, pick the fixed file, check it
// clean, import for real (creating the customers), find the rows in a customer's
// Records tab; then export everything to CSV into a folder the test chose.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  journey, startApp, app, setLanguage, byTestId, byLabel, clickButton, clickTestId, waitForText,
  tableRows, waitForRow, fill, safeClick, openSection, invokeCommand,
} from '../lib/index.mjs';

const HEADER = 'Title,Customer,Stage,Type,Source,Close date,Amount';
// Stage, type and source titles of the seeded reference data (service/reference.rs).
// Lines end in LF: the backend numbers the rows of a CRLF file one line too low.
const WITH_ERRORS = [
  HEADER,
  'Core switch upgrade,Pars Cable Co,Proposal,Standard,Website,2026-12-10,120000000',
  'Warehouse scanners,Pars Cable Co,Somewhere else,Standard,Website,2026-12-11,45000000',
  'Backup power,Tehran Steel Works,Negotiation,Bulk order,Exhibition,31/31/2026,98000000',
  'Office printers,Tehran Steel Works,Establishing contact,Standard,Referral by a colleague or friend,2026-12-20,-5000',
  'Fleet tracking,Tehran Steel Works,Needs analysis,Special order,Phone call,1405/10/05,76000000',
].join('\n');
const FIXED = [
  HEADER,
  'Core switch upgrade,Pars Cable Co,Proposal,Standard,Website,2026-12-10,120000000',
  'Warehouse scanners,Pars Cable Co,Negotiation,Standard,Website,2026-12-11,45000000',
  'Backup power,Tehran Steel Works,Negotiation,Bulk order,Exhibition,2026-12-31,98000000',
  'Office printers,Tehran Steel Works,Establishing contact,Standard,Referral by a colleague or friend,2026-12-20,5000',
  'Fleet tracking,Tehran Steel Works,Needs analysis,Special order,Phone call,1405/10/05,76000000',
].join('\n');

/** Sends a file path to the import screen's file input (WebDriver file upload). */
async function pickFile(file) {
  const input = await byTestId('import-file');
  await input.addValue(file);
}

/** Clicks with a DOM click: WebKitWebDriver's clicks inside scrolled panes can land a row off. */
async function domClick(el) {
  await app().execute((n) => n.click(), el);
}

journey('import: a dry run shows each problem with its line, the fixed file imports, export writes a CSV', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forsat-import-'));
  const exportDir = path.join(dir, 'exports');
  const bad = path.join(dir, 'opportunities.csv');
  const fixed = path.join(dir, 'opportunities-fixed.csv');
  writeFileSync(bad, WITH_ERRORS);
  writeFileSync(fixed, FIXED);
  // The app inherits the driver's environment, which startApp copies from ours.
  process.env.FORSAT_EXPORT_DIR = exportDir;
  try {
    await startApp({ name: 'import' });
    await setLanguage('en');

    // The side navigation's Opportunities area leads to the import screen.
    await clickTestId('nav-opportunities-import');
    await byTestId('import-page');
    assert.equal(await app().execute(() => window.location.hash), '#/opportunities/import');

    // Step 1: the file with mistakes.
    await pickFile(bad);
    await byTestId('import-mapping');
    await waitForText('opportunities.csv');
    await waitForText('5 rows', { within: 'import-file-name' });
    // Step 2: the mapping was suggested from the headers.
    assert.equal(await (await byLabel('Field for the column “Customer”')).getValue(), 'identity_name');
    assert.equal(await (await byLabel('Field for the column “Close date”')).getValue(), 'close_date');
    // One date cell is day-first and broken: the cells cannot tell the format.
    assert.equal(await (await byLabel('Dates in the file')).getValue(), 'auto');
    const create = await byLabel('Create customers that do not exist yet');
    if (!(await create.isSelected())) await domClick(create);
    assert.equal(await create.isSelected(), true);

    // Step 3: the file's values. The unknown stage has nothing to map to: left, its row is refused.
    await clickTestId('import-to-values');
    await byTestId('import-values-stage');
    assert.equal(await (await byLabel('What “Somewhere else” becomes')).getValue(), '');
    assert.notEqual(await (await byLabel('What “Proposal” becomes')).getValue(), '', 'a stage of the app is matched');

    // Step 4: the dry run lists the three problems with their lines.
    await clickButton('Check (dry run)');
    await byTestId('import-report');
    await waitForText('3 problems found', { within: 'import-verdict' });
    const problems = await tableRows('import-problems');
    assert.equal(problems.length, 3, `problems: ${JSON.stringify(problems)}`);
    assert.match(problems[0], /^3 Stage Somewhere else No sales stage has this name\./);
    assert.match(problems[1], /^4 Close date 31\/31\/2026 This is not a date/);
    assert.match(problems[2], /^5 Amount /);
    assert.equal(await (await byTestId('import-run')).isEnabled(), false, 'Import stays off while rows have problems');
    // The problem list is saved by the app into the export folder, and it says where.
    await clickTestId('import-download-problems');
    await waitForText('Saved to', { timeout: 15000 });
    const saved = path.join(exportDir, 'import-problems.csv');
    await app().waitUntil(async () => existsSync(saved), { timeoutMsg: 'the problem list was not saved' });
    const problemLines = readFileSync(saved, 'utf8').replace(/^\uFEFF/, '').split(/\r\n/).filter(Boolean);
    assert.deepEqual(problemLines.map((l) => l.split(',')[0]), ['Line', '3', '4', '5']);

    // The fixed file: checked clean, then imported for real.
    await pickFile(fixed);
    await byTestId('import-mapping');
    await waitForText('opportunities-fixed.csv', { within: 'import-file-name' });
    assert.equal(await (await byLabel('Create customers that do not exist yet')).isSelected(), true, 'the options are kept');
    // Its dates are all year-first (Gregorian and Jalali): told from the cells.
    assert.equal(await (await byLabel('Dates in the file')).getValue(), 'iso');
    await waitForText('read as Year-month-day');
    await clickTestId('import-to-values');
    await byTestId('import-values-stage');
    await clickButton('Check (dry run)');
    await waitForText('Every row is ready to import.', { within: 'import-verdict' });
    assert.match(await (await byTestId('import-stat-identities')).getText(), /New customers\s*2$/);
    await clickTestId('import-run');
    await waitForText('5 opportunities imported.', { within: 'import-result', timeout: 30000 });

    // Export everything to CSV into the chosen folder.
    await clickTestId('export-button');
    await clickTestId('export-csv');
    await waitForText('Saved 5 rows to', { within: 'export-result', timeout: 30000 });
    const files = readdirSync(exportDir).filter((f) => /^opportunities-\d{4}-\d{2}-\d{2}\.csv$/.test(f));
    assert.equal(files.length, 1, `export folder: ${readdirSync(exportDir).join(', ')}`);
    const bytes = readFileSync(path.join(exportDir, files[0]));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the CSV starts with the UTF-8 byte order mark');
    const lines = bytes.subarray(3).toString('utf8').split(/\r?\n/).filter(Boolean);
    assert.match(lines[0], /^Title,/);
    assert.equal(lines.length, 6, `export lines: ${lines.length}`);
    for (const title of ['Core switch upgrade', 'Warehouse scanners', 'Backup power', 'Office printers', 'Fleet tracking']) {
      assert.ok(lines.some((l) => l.startsWith(`${title},`)), `${title} is in the export`);
    }

    // The rows are in the app: the new customer's Records tab lists its opportunities.
    await openSection('identities');
    await fill(await byTestId('identities-search'), 'Tehran Steel Works');
    await waitForRow('identities-table', ['Tehran Steel Works']);
    await safeClick(await app().$('[data-testid="identities-table"] tbody tr .cell-name'));
    await clickTestId('tab-records');
    for (const title of ['Backup power', 'Office printers', 'Fleet tracking']) {
      await waitForRow('identity-records', [title]);
    }
  } finally {
    delete process.env.FORSAT_EXPORT_DIR;
    rmSync(dir, { recursive: true, force: true });
  }
});

// A file shaped like another CRM's export: its own column names, US dates, empty
// accounts, a product spelled apart from the catalogue, agents who are not users yet,
// closed rows without reasons and open rows without values.
const MOVE_IN = [
  'opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value',
  'MV001,Darius Kamali,GTXPlus Pro,Kavir Steel,Prospecting,10/20/2025,3/15/2027,1200',
  'MV002,Nina Parsa,GTXPlus Pro,,Prospecting,10/25/2025,4/1/2027,',
  'MV003,Darius Kamali,GTXPlus Pro,Kavir Steel,Won,11/2/2025,11/30/2025,5000',
  'MV004,Nina Parsa,GTXPlus Pro,Alborz Co,Lost,1/5/2026,2/14/2026,700',
  'MV005,Darius Kamali,GTXPlus Pro,,Won,2/1/2026,3/13/2026,2500',
  'MV006,Nina Parsa,GTXPlus Pro,Alborz Co,Prospecting,3/3/2026,5/5/2027,300',
].join('\n');

async function selectValue(el, value) {
  await app().execute((n, v) => {
    n.value = v;
    n.dispatchEvent(new Event('change', { bubbles: true }));
  }, el, value);
}

async function ok(cmd, args) {
  const r = await invokeCommand(cmd, args);
  assert.ok(r.ok, `${cmd}: ${JSON.stringify(r.error)}`);
  return r.value;
}

journey('import: a team moves in from another CRM in one pass, values mapped, history kept', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forsat-move-in-'));
  const file = path.join(dir, 'crm-export.csv');
  writeFileSync(file, MOVE_IN);
  try {
    await startApp({ name: 'move-in' });
    await setLanguage('en');
    // What the team already has: the product (spelled with a space) and a placeholder customer.
    const category = await ok('create_category', { input: { name: 'Hardware', parentId: null } });
    const product = await ok('create_product', {
      input: { code: 'GTX-PP', name: 'GTX Plus Pro', categoryId: category.id, kind: 'product', unitId: null, salePrice: '4821', taxable: true, saleable: true, active: true },
    });
    await ok('create_identity', {
      input: { kind: 'organization', organizationName: 'Unknown account', isCustomer: true, isCompetitor: false, isSupplier: false, phones: [], emails: [], addresses: [] },
    });

    await clickTestId('nav-opportunities-import');
    await byTestId('import-page');
    await pickFile(file);
    await byTestId('import-mapping');
    await waitForText('6 rows', { within: 'import-file-name' });
    // The other CRM's names are understood, and its dates are month first.
    assert.equal(await (await byLabel('Field for the column “sales_agent”')).getValue(), 'assigned_user');
    assert.equal(await (await byLabel('Field for the column “account”')).getValue(), 'identity_name');
    assert.equal(await (await byLabel('Field for the column “engage_date”')).getValue(), 'created_on');
    assert.equal(await (await byLabel('Field for the column “close_value”')).getValue(), 'estimated_amount');
    assert.equal(await (await byLabel('Dates in the file')).getValue(), 'mdy');
    for (const label of ['Create customers that do not exist yet', 'Create the agents who are not users yet']) {
      const box = await byLabel(label);
      if (!(await box.isSelected())) await domClick(box);
    }
    for (const label of ['Win reason for won rows without one', 'Loss reason for lost rows without one']) {
      const select = await byLabel(label);
      const first = await app().execute((n) => [...n.options].map((o) => o.value).find(Boolean), select);
      await selectValue(select, first);
    }

    // The values: the near product is suggested, the file's own stage is mapped by hand.
    await clickTestId('import-to-values');
    await byTestId('import-values-product_name');
    assert.equal(await (await byLabel('What “GTXPlus Pro” becomes')).getValue(), `id:${product.id}`);
    await waitForText('near match', { within: 'import-values-product_name' });
    const prospecting = await byLabel('What “Prospecting” becomes');
    assert.equal(await prospecting.getValue(), '', 'no stage has that name');
    const contact = await app().execute((n) => [...n.options].find((o) => o.text === 'Establishing contact')?.value, prospecting);
    await selectValue(prospecting, contact);
    assert.equal(await (await byLabel('What “Darius Kamali” becomes')).getValue(), 'create');
    assert.equal(await (await byLabel('What “Kavir Steel” becomes')).getValue(), 'create');
    // Two rows have no account: they go to the placeholder customer.
    await waitForText('2 rows have no customer at all', { within: 'import-values' });
    await fill(await byTestId('import-placeholder'), 'Unknown');
    await clickButton('Unknown account');
    await app().waitUntil(async () => !(await app().$('[data-testid="import-placeholder-missing"]').isExisting()), { timeoutMsg: 'the placeholder was not taken' });

    // One dry run, clean; then the import.
    await clickButton('Check (dry run)');
    await waitForText('Every row is ready to import.', { within: 'import-verdict' });
    await clickTestId('import-run');
    await waitForText('6 opportunities imported.', { within: 'import-result', timeout: 30000 });
    await waitForText('New users: 2', { within: 'import-created-more' });

    // The placeholder holds the rows without an account; the product is the catalogue's.
    await openSection('identities');
    await fill(await byTestId('identities-search'), 'Unknown account');
    await waitForRow('identities-table', ['Unknown account']);
    await safeClick(await app().$('//table[@data-testid="identities-table"]//tbody//tr[contains(., "Unknown account")]//*[contains(@class, "cell-name")]'));
    await waitForText('Unknown account', { within: 'identity-name' });
    await clickTestId('tab-records');
    for (const title of ['MV002', 'MV005']) await waitForRow('identity-records', [title]);
    const products = await ok('list_products', { query: { search: 'GTX', categoryId: null, forSale: false, page: 1, pageSize: 10 } });
    assert.equal(products.total, 1, 'no near-duplicate product was created');
    // History kept: the won row closed on the file's day, opened on its engage day.
    const list = await ok('list_opportunities', { request: { filter: { text: 'MV003' }, sort: [], page: 1, pageSize: 5 } });
    const won = list.page.items[0];
    assert.equal(won.wonOn, '2025-11-30');
    assert.equal(won.daysOpen, 28);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

journey('import: customers and products come in from their own lists', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'forsat-lists-'));
  const customers = path.join(dir, 'accounts.csv');
  writeFileSync(customers, [
    'Account Name,Phone,Email,Billing City,Billing Street',
    'Kavir Steel,021-44556677,sales@kavir.example,Tehran,12 Azadi St',
    'Pars Office Co.,021-88776655,,Isfahan,',
  ].join('\n'));
  const catalogue = path.join(dir, 'products.csv');
  writeFileSync(catalogue, ['SKU,Item,Product group,List price', 'GTX-B,GTX Basic,Hardware,1200000', 'GTX-P,GTX Pro,Hardware,2500000'].join('\n'));
  try {
    await startApp({ name: 'import-lists' });
    await setLanguage('en');
    await clickTestId('nav-opportunities-import');
    await selectValue(await byTestId('import-kind'), 'identities');
    await pickFile(customers);
    await byTestId('import-mapping');
    assert.equal(await (await byLabel('Field for the column “Account Name”')).getValue(), 'identity_name');
    assert.equal(await (await byLabel('Field for the column “Billing City”')).getValue(), 'city');
    // No values step for a customer list: straight to the check.
    await clickButton('Check (dry run)');
    await waitForText('Every row is ready to import.', { within: 'import-verdict' });
    await clickTestId('import-run');
    await waitForText('2 customers imported.', { within: 'import-result', timeout: 30000 });

    await clickButton('Import another file');
    await selectValue(await byTestId('import-kind'), 'products');
    await pickFile(catalogue);
    await byTestId('import-mapping');
    await clickButton('Check (dry run)');
    await waitForText('Every row is ready to import.', { within: 'import-verdict' });
    await clickTestId('import-run');
    await waitForText('2 products imported.', { within: 'import-result', timeout: 30000 });

    await openSection('identities');
    await fill(await byTestId('identities-search'), 'Kavir');
    await waitForRow('identities-table', ['Kavir Steel']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
