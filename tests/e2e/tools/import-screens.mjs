// Screenshots of the import screen's steps (columns, values, check) in Persian and
// English, with a file shaped like another CRM's export; for review, not a test.
// Usage: node tools/import-screens.mjs → tests/e2e/artifacts/screen-<lang>-import-*.png

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, stopApp, app, setLanguage, screenshot, byTestId } from '../lib/index.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'forsat-screens-'));
const file = path.join(dir, 'crm-export.csv');
const rows = ['opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value'];
const agents = ['Darius Kamali', 'Nina Parsa', 'مریم کریمی'];
const stages = ['Prospecting', 'Engaging', 'Won', 'Lost'];
for (let i = 0; i < 40; i += 1) {
  rows.push(`OP${String(i).padStart(4, '0')},${agents[i % 3]},${i % 2 ? 'GTXPlus Pro' : 'MG Special'},${i % 5 ? `Account ${i % 7}` : ''},${stages[i % 4]},${1 + (i % 12)}/${1 + (i % 28)}/2025,${1 + ((i + 3) % 12)}/${1 + (i % 28)}/2026,${i % 3 ? 1000 + i : ''}`);
}
writeFileSync(file, rows.join('\n'));

await startApp({ name: 'import-screens', demo: true });
try {
  for (const lang of ['fa', 'en']) {
    await setLanguage(lang);
    await app().execute(() => { window.location.hash = '#/opportunities/import'; });
    await app().pause(800);
    await (await byTestId('import-file')).addValue(file);
    await byTestId('import-mapping');
    await app().pause(600);
    console.log(await screenshot(`screen-${lang}-import-columns`));
    await app().execute(() => document.querySelector('[data-testid="import-to-values"]')?.click());
    await byTestId('import-values-stage');
    await app().execute(() => document.querySelector('[data-testid="import-values"] .transfer-values__placeholder')?.scrollIntoView());
    await app().pause(800);
    console.log(await screenshot(`screen-${lang}-import-values`));
  }
} finally {
  await stopApp();
}
