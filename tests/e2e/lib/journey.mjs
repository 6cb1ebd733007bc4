// A journey is one node:test test that drives the app. On failure it saves a
// screenshot to tests/e2e/artifacts/<test-name>.png before the app is closed;
// the app is always stopped afterwards.

import { test } from 'node:test';
import { screenshot, stopAllApps } from './app.mjs';

/**
 * @param {string} name  the test name (also the screenshot file name)
 * @param {(t: import('node:test').TestContext) => Promise<void>} fn
 * @param {{timeout?: number, skip?: boolean|string}} [opts]
 */
export function journey(name, fn, { timeout = 180000, skip = false } = {}) {
  return test(name, { timeout, skip }, async (t) => {
    try {
      await fn(t);
    } catch (err) {
      const file = await screenshot(name).catch(() => null);
      if (file) t.diagnostic(`screenshot: ${file}`);
      throw err;
    } finally {
      await stopAllApps();
    }
  });
}
