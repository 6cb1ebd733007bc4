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
  tableRows, waitForRow, fill, safeClick, openSection,
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

    // Step 3: the dry run lists the three problems with their lines.
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
