// Screenshots of the main screens in Persian and English, for review and for the
// README (not a test). Usage: node tools/screens.mjs [route[|testid] ...] — a
// testid after "|" is clicked once the route is shown (e.g. a settings section).
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
      const [r, click] = spec.split('|');
      await app().execute((h) => { window.location.hash = h; }, r);
      await app().pause(1200);
      if (click) {
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
    }
  }
} finally {
  await stopApp();
}
