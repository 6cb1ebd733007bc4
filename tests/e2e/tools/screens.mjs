// Screenshots of the main screens in Persian and English, for review and for the
// README (not a test). Usage: node tools/screens.mjs [route[|testid...] ...] — each
// testid after a "|" is clicked in turn once the route is shown (e.g. a settings
// section, then a button that opens a dialog).
// Writes tests/e2e/artifacts/screen-<lang>-<name>.png.

import { startApp, stopApp, app, setLanguage, screenshot } from '../lib/index.mjs';

const routes = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['#/identities', '#/identities/1', '#/identities/1/records', '#/opportunities/5', '#/settings'];

await startApp({ name: 'screens', demo: true });
try {
  for (const lang of ['fa', 'en']) {
    await setLanguage(lang);
    for (const spec of routes) {
      const [r, ...clicks] = spec.split('|');
      await app().execute((h) => { window.location.hash = h; }, r);
      await app().pause(1200);
      for (const click of clicks) {
        await app().execute((id) => document.querySelector(`[data-testid="${id}"]`)?.click(), click);
        await app().pause(800);
      }
      if (r.startsWith('#/opportunities/')) {
        const toggle = await app().$('[data-testid="toggle-field-numbers"]');
        if ((await toggle.isExisting()) && (await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
        await app().pause(300);
      }
      const name = `screen-${lang}-${spec.replace(/[#/|]+/g, '-').replace(/^-|-$/g, '')}`;
      console.log(await screenshot(name));
      // Close a dialog the clicks opened, so the next screen starts clean.
      if (clicks.length) await app().keys('Escape');
    }
  }
} finally {
  await stopApp();
}
