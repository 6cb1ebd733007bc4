// Screenshots of the connection screens (first start, the server form, the retry
// screen) in Persian and English, for review (not a test). Usage:
// node tools/connection-screens.mjs — writes tests/e2e/artifacts/conn-<lang>-<name>.png.

import { startApp, stopApp, app, setLanguage, screenshot, clickTestId, byLabel, fill } from '../lib/index.mjs';

await startApp({ name: 'connection-screens', firstStart: true });
try {
  for (const lang of ['fa', 'en']) {
    await setLanguage(lang);
    await app().pause(500);
    console.log(await screenshot(`conn-${lang}-first-start`));
    await clickTestId('place-team-server');
    await app().pause(400);
    await fill(await byLabel(lang === 'en' ? 'Host' : 'میزبان'), '127.0.0.1');
    await fill(await byLabel(lang === 'en' ? 'Port' : 'درگاه'), '1');
    await clickTestId('server-test');
    await app().pause(1500);
    console.log(await screenshot(`conn-${lang}-server-form`));
    await clickTestId('server-connect');
    await app().pause(1500);
    console.log(await screenshot(`conn-${lang}-unreachable`));
    await clickTestId('unreachable-change');
    await app().pause(600);
  }
} finally {
  await stopApp();
}
