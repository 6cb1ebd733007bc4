// Starting and stopping the built Forsat app under WebDriver.
//
// Each startApp() gets its own tauri-driver (which starts WebKitWebDriver, which
// starts the app) on free ports, and its own throwaway SQLite database: the app
// inherits the driver's environment, so FORSAT_DATABASE_URL set here is the one
// the app opens, and private XDG folders keep the webview's storage apart too. stopApp() ends the session (closing the app), stops the driver
// with SIGTERM (SIGKILL would leave WebKitWebDriver holding its port) and removes
// the database.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

const here = path.dirname(fileURLToPath(import.meta.url));
export const E2E_DIR = path.resolve(here, '..');
export const REPO_ROOT = path.resolve(E2E_DIR, '..', '..');
export const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');

/** How long helpers wait for the UI by default (ms). */
export const WAIT_MS = Number(process.env.FORSAT_E2E_WAIT_MS || 15000);

let current = null; // { browser, driver, tmpDir, logPath }
/** Apps started `alongside` the current one (two people on one database), by browser. */
const others = [];

/** Absolute path of the app binary under test. */
export function appPath() {
  if (process.env.FORSAT_E2E_APP) return path.resolve(process.env.FORSAT_E2E_APP);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO_ROOT, process.env.CARGO_TARGET_DIR)
    : path.join(REPO_ROOT, 'target');
  return path.join(targetDir, 'debug', process.platform === 'win32' ? 'forsat.exe' : 'forsat');
}

function findOnPath(name, extra = []) {
  const dirs = [...(process.env.PATH || '').split(path.delimiter), ...extra];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => { sock.destroy(); resolve(true); });
    sock.once('error', () => resolve(false));
  });
}

async function waitForPort(port, child, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (code ${child.exitCode}, signal ${child.signalCode}) before listening on port ${port}`);
    }
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

function logTail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function stopProcess(child, timeoutMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      // Last resort: the driver did not react to SIGTERM.
      try { child.kill('SIGKILL'); } catch { /* already gone */ }
      resolve();
    }, timeoutMs);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

function safeName(name) {
  return String(name).replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'test';
}

/**
 * Start the app with a fresh database and return the WebdriverIO browser.
 * @param {{demo?: boolean, databaseUrl?: string, firstStart?: boolean, alongside?: boolean, env?: object, name?: string, args?: string[], url?: string}} [opts]
 *   demo: load the demo data (`--demo`); databaseUrl: use this database instead
 *   of a fresh SQLite file; firstStart: no database named at all (a new install:
 *   the app asks where to work); name: used for the driver log file name; args: more
 *   command-line arguments for the app; url: open this page first (only for
 *   trying the harness on a plain WebKit browser instead of the app).
 */
export async function startApp({
  demo = false, databaseUrl, firstStart = false, alongside = false, env: extraEnv = {}, name = 'app', args = [], url,
} = {}) {
  if (current && alongside) {
    // A second app beside the first: the first keeps running; app() is the new one
    // until useApp() switches back.
    others.push(current);
    current = null;
  } else if (current) await stopApp();

  const application = appPath();
  if (!existsSync(application)) {
    throw new Error(`app binary not found: ${application}\nBuild it first (scripts/test e2e builds it), or set FORSAT_E2E_APP.`);
  }
  const tauriDriver = process.env.TAURI_DRIVER
    || findOnPath('tauri-driver', [path.join(os.homedir(), '.cargo', 'bin')]);
  if (!tauriDriver) throw new Error('tauri-driver not found: run scripts/setup (cargo install tauri-driver --locked)');
  const nativeDriver = process.env.WEBKIT_WEBDRIVER || findOnPath('WebKitWebDriver');
  if (!nativeDriver && process.platform === 'linux') {
    throw new Error('WebKitWebDriver not found: run scripts/setup (apt package webkit2gtk-driver)');
  }

  // run.mjs gives every run one parent folder and removes it at the end.
  const tmpDir = mkdtempSync(path.join(process.env.FORSAT_E2E_TMP || os.tmpdir(), 'forsat-e2e-'));
  const dbUrl = databaseUrl || `sqlite:${path.join(tmpDir, 'forsat.sqlite')}?mode=rwc`;
  // Private XDG folders: the webview's storage (localStorage, caches) and the
  // app-data folder start empty for every journey and never touch the user's.
  const env = {
    ...process.env,
    FORSAT_DATABASE_URL: dbUrl,
    // Files the app saves go straight into this folder: a native save dialog cannot be
    // driven through WebDriver (a journey may name its own folder).
    FORSAT_EXPORT_DIR: process.env.FORSAT_EXPORT_DIR || path.join(tmpDir, 'exports'),
    // No update check against the internet from the journeys (the updates journey
    // turns it on with its own local server).
    FORSAT_UPDATES: process.env.FORSAT_UPDATES || 'off',
    XDG_DATA_HOME: path.join(tmpDir, 'data'),
    XDG_CONFIG_HOME: path.join(tmpDir, 'config'),
    XDG_CACHE_HOME: path.join(tmpDir, 'cache'),
  };
  delete env.FORSAT_DEMO;
  if (demo) env.FORSAT_DEMO = '1';
  if (firstStart) delete env.FORSAT_DATABASE_URL;
  Object.assign(env, extraEnv);

  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logPath = path.join(ARTIFACTS_DIR, `${safeName(name)}.driver.log`);
  const logFd = openSync(logPath, 'w');

  const port = await freePort();
  let nativePort = await freePort();
  while (nativePort === port) nativePort = await freePort();

  const driverArgs = ['--port', String(port), '--native-port', String(nativePort)];
  if (nativeDriver) driverArgs.push('--native-driver', nativeDriver);
  const driver = spawn(tauriDriver, driverArgs, { env, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  current = { browser: null, driver, tmpDir, logPath };

  try {
    await waitForPort(port, driver, 20000, 'tauri-driver');
    await waitForPort(nativePort, driver, 20000, 'WebKitWebDriver');
    const browser = await remote({
      hostname: '127.0.0.1',
      port,
      logLevel: process.env.FORSAT_E2E_LOG_LEVEL || 'error',
      connectionRetryTimeout: 60000,
      connectionRetryCount: 1,
      waitforTimeout: WAIT_MS,
      capabilities: {
        browserName: process.env.FORSAT_E2E_BROWSER_NAME || 'wry',
        'wdio:enforceWebDriverClassic': true,
        'tauri:options': {
          application,
          args: [...(demo ? ['--demo'] : []), ...args],
        },
      },
    });
    current.browser = browser;
    if (url) await browser.url(url);
    // The page is there once the UI has rendered something into the document.
    const deadline = Date.now() + 60000;
    for (;;) {
      const page = await browser.execute(() => ({
        href: location.href,
        text: document.body ? document.body.innerText.slice(0, 200) : '',
        ready: document.readyState === 'complete' && !!document.body
          && document.body.querySelectorAll('*').length > 3,
      }));
      if (page.ready) break;
      // WebKit's page for a failed load: the binary points at the dev server.
      if (/^\s*Could not connect to (localhost|127\.0\.0\.1)/i.test(page.text)) {
        throw new Error(`the app loads its UI from the dev server and nothing serves it ("${page.text.trim()}"): a plain `
          + '`cargo build` makes such a binary. Build the app with the UI embedded '
          + '(scripts/test e2e, or ui/node_modules/.bin/tauri build --debug --no-bundle)');
      }
      if (Date.now() > deadline) throw new Error(`the app UI did not render within 60 s (at ${page.href})`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return browser;
  } catch (err) {
    // What was on screen when the start failed (an error page, a blank window).
    await screenshot(`${name}-start`).catch(() => null);
    const tail = logTail(logPath);
    await stopApp();
    err.message += `\n--- tauri-driver / app log (${logPath}) ---\n${tail}`;
    throw err;
  }
}

/** The browser of the running app (throws when no app runs). */
export function app() {
  if (!current || !current.browser) throw new Error('no app is running: call startApp() first');
  return current.browser;
}

/** Make the app of `browser` (one started `alongside`, or the first) the one app() drives. */
export function useApp(browser) {
  if (current && current.browser === browser) return browser;
  const at = others.findIndex((o) => o.browser === browser);
  if (at < 0) throw new Error('useApp: no such app is running');
  const [next] = others.splice(at, 1);
  if (current) others.push(current);
  current = next;
  return browser;
}

/** Stop every app (the journey's end). */
export async function stopAllApps() {
  await stopApp();
  while (others.length) {
    current = others.pop();
    await stopApp();
  }
}

/** Close the app, stop the driver and remove the throwaway database. */
export async function stopApp() {
  if (!current) return;
  const { browser, driver, tmpDir } = current;
  current = null;
  if (browser) {
    try { await browser.deleteSession(); } catch { /* the app may already be gone */ }
  }
  await stopProcess(driver);
  // The webview's helper processes can outlive the app for a few seconds and
  // still write into the folder; what cannot go now goes with run.mjs's folder.
  try {
    rmSync(tmpDir, { recursive: true, force: true });
  } catch {
    if (!process.env.FORSAT_E2E_TMP) {
      process.once('exit', () => {
        try { rmSync(tmpDir, { recursive: true, force: true }); } catch { /* left in the temp folder */ }
      });
    }
  }
}

/** Wait until the browser has painted two more frames (before a screenshot). */
export async function twoFrames(browser = app()) {
  await browser.executeAsync((done) => {
    requestAnimationFrame(() => requestAnimationFrame(() => done()));
  });
}

/**
 * Save a screenshot of the app window to tests/e2e/artifacts/<name>.png and
 * return its path. Falls back to a screenshot of the whole X display when the
 * WebDriver session cannot take one.
 */
export async function screenshot(name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${safeName(name)}.png`);
  try {
    const browser = app();
    await twoFrames(browser);
    await browser.saveScreenshot(file);
    return file;
  } catch (err) {
    if (process.env.DISPLAY) {
      const ok = await new Promise((resolve) => {
        const p = spawn('import', ['-window', 'root', file], { stdio: 'ignore' });
        p.on('error', () => resolve(false));
        p.on('exit', (code) => resolve(code === 0));
      });
      if (ok) return file;
    }
    console.error(`could not save screenshot ${file}: ${err.message}`);
    return null;
  }
}

export { safeName };

/**
 * Calls a command of the app the way its window does, through the real IPC; resolves
 * to {ok, value | error, ms}, or {ok: false, hung: true} when no answer came within
 * `limitMs`. An argument "$channel" stands for a progress channel.
 */
export async function invokeCommand(cmd, args = {}, limitMs = 10000) {
  const answer = await app().executeAsync((cmd, args, limit, reply) => {
    // Sent back as text: the driver then has nothing to convert.
    const done = (r) => reply(JSON.stringify(r));
    const started = Date.now();
    const timer = setTimeout(() => done({ ok: false, hung: true, ms: Date.now() - started }), limit);
    // A Channel argument is a callback id in this form (what @tauri-apps/api's Channel sends).
    const channel = () => `__CHANNEL__:${window.__TAURI_INTERNALS__.transformCallback(() => {})}`;
    const filled = JSON.parse(JSON.stringify(args), (k, v) => (v === '$channel' ? channel() : v));
    window.__TAURI_INTERNALS__.invoke(cmd, filled).then(
      (value) => { clearTimeout(timer); done({ ok: true, value, ms: Date.now() - started }); },
      (error) => { clearTimeout(timer); done({ ok: false, error, ms: Date.now() - started }); },
    );
  }, cmd, args, limitMs);
  return JSON.parse(answer);
}
