// The desktop program: the installed package opens its window; a second launch hands
// its file to the running window instead of opening another; the window's size is
// remembered; updates are found, downloaded and checked against their signature (a
// forged one is refused, and the app goes on working).
//
// The package journey needs the .deb (scripts/test builds it with scripts/package
// --debug; FORSAT_E2E_DEB names another one).

import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import {
  existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, copyFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  journey, startApp, stopApp, app, appPath, setLanguage, clickTestId, byTestId, WAIT_MS,
} from '../lib/index.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..', '..');
const TAURI = path.join(ROOT, 'ui', 'node_modules', '.bin', 'tauri');
const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'tauri.conf.json'), 'utf8')).version;

function tmp(prefix) {
  return mkdtempSync(path.join(process.env.FORSAT_E2E_TMP || os.tmpdir(), prefix));
}

/** The profile folders (config, data) and the database of one "user", shared by launches. */
function profile() {
  const dir = tmp('forsat-profile-');
  return {
    dir,
    env: {
      XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_DATA_HOME: path.join(dir, 'data'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
    },
    databaseUrl: `sqlite:${path.join(dir, 'forsat.sqlite')}?mode=rwc`,
  };
}

function wait(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** A process's exit (code), or null if it is still running after `ms`. */
function exitWithin(proc, ms) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve(proc.exitCode);
    const timer = setTimeout(() => resolve(null), ms);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** X windows whose name is exactly `name` (xdotool). */
function windowsNamed(name) {
  try {
    return execFileSync('xdotool', ['search', '--name', `^${name}$`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function findDeb() {
  if (process.env.FORSAT_E2E_DEB) return path.resolve(process.env.FORSAT_E2E_DEB);
  const target = process.env.CARGO_TARGET_DIR ? path.resolve(ROOT, process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target');
  for (const profileDir of ['debug', 'release']) {
    const dir = path.join(target, profileDir, 'bundle', 'deb');
    if (!existsSync(dir)) continue;
    const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
    if (deb) return path.join(dir, deb);
  }
  throw new Error('no .deb found: build it with scripts/package --debug (scripts/test does), or set FORSAT_E2E_DEB');
}

journey('package: the .deb holds the app, its menu entry and icons, and its binary opens the window', async () => {
  const deb = findDeb();
  const root = tmp('forsat-deb-');
  execFileSync('dpkg-deb', ['-x', deb, root]);
  const info = execFileSync('dpkg-deb', ['-f', deb, 'Package', 'Version', 'Depends'], { encoding: 'utf8' });
  assert.match(info, /Package: forsat/);
  assert.match(info, new RegExp(`Version: ${VERSION.replace(/\./g, '\\.')}`));
  assert.match(info, /libwebkit2gtk-4\.1/);
  const bin = path.join(root, 'usr', 'bin', 'forsat');
  assert.ok(existsSync(bin), 'usr/bin/forsat is in the package');
  const desktopFile = readdirSync(path.join(root, 'usr', 'share', 'applications')).find((f) => f.endsWith('.desktop'));
  assert.ok(desktopFile, 'a .desktop entry is in the package');
  const entry = readFileSync(path.join(root, 'usr', 'share', 'applications', desktopFile), 'utf8');
  assert.match(entry, /^Name=Forsat$/m);
  assert.match(entry, /^Exec=forsat/m);
  assert.match(entry, /application\/x-forsat-backup/, 'the .forsat backups open with Forsat');
  assert.ok(existsSync(path.join(root, 'usr', 'share', 'icons', 'hicolor', '128x128', 'apps', 'forsat.png')), 'the app icon');

  // Started as the package installs it, on a new profile, the window opens and stays.
  const p = profile();
  const proc = spawn(bin, ['--demo'], {
    env: { ...process.env, ...p.env, FORSAT_DATABASE_URL: p.databaseUrl },
    stdio: 'ignore',
  });
  try {
    let windows = [];
    const deadline = Date.now() + 60000;
    while (windows.length === 0 && Date.now() < deadline) {
      if (proc.exitCode !== null) assert.fail(`the installed binary exited with code ${proc.exitCode}`);
      await wait(500);
      windows = windowsNamed('Forsat');
    }
    assert.ok(windows.length > 0, 'no window named Forsat appeared within 60 s');
    await wait(2000);
    assert.equal(proc.exitCode, null, 'the app is still running with its window');
    // Its log file is written where the docs say.
    const logDir = path.join(p.env.XDG_DATA_HOME, 'app.forsat.crm', 'logs');
    assert.ok(existsSync(path.join(logDir, 'forsat.log')), `the log file is in ${logDir}`);
    assert.match(readFileSync(path.join(logDir, 'forsat.log'), 'utf8'), /Forsat .* starting/);
  } finally {
    proc.kill('SIGTERM');
    await exitWithin(proc, 5000);
  }
}, { timeout: 120000 });

journey('window: its size is remembered from one start to the next', async () => {
  const p = profile();
  await startApp({ name: 'window-state-1', demo: true, env: p.env, databaseUrl: p.databaseUrl });
  await app().setWindowRect(null, null, 1111, 711);
  const set = await app().getWindowRect();
  // Written shortly after the change (not only on a clean exit).
  const stateFile = path.join(p.env.XDG_CONFIG_HOME, 'app.forsat.crm', '.window-state.json');
  await app().waitUntil(async () => existsSync(stateFile) && /1111|"width"/.test(readFileSync(stateFile, 'utf8')), {
    timeout: WAIT_MS,
    timeoutMsg: `the window's size was not written to ${stateFile}`,
  });
  await stopApp();

  await startApp({ name: 'window-state-2', env: p.env, databaseUrl: p.databaseUrl });
  await app().waitUntil(async () => {
    const r = await app().getWindowRect();
    return Math.abs(r.width - set.width) <= 2 && Math.abs(r.height - set.height) <= 2;
  }, { timeout: WAIT_MS, timeoutMsg: `the window did not open at ${set.width}×${set.height}` });
});

journey('single instance: a second launch hands its file to the running window and exits', async () => {
  const p = profile();
  // A private session bus, as a desktop session has one (the lock lives there on Linux).
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const address = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('dbus-daemon gave no address')), 10000);
      bus.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(out.trim());
        }
      });
      bus.on('error', (e) => reject(new Error(`cannot start dbus-daemon (apt package dbus): ${e.message}`)));
    });
    const env = { ...p.env, DBUS_SESSION_BUS_ADDRESS: address };
    await startApp({ name: 'single-instance', demo: true, env, databaseUrl: p.databaseUrl });
    await setLanguage('en');
    await byTestId('nav-settings');

    const csv = path.join(p.dir, 'handed-over.csv');
    writeFileSync(csv, 'Title,Customer,Stage\nHanded over deal,Bahar Trading,New\n');
    const second = spawn(appPath(), [csv], {
      env: { ...process.env, ...env, FORSAT_DATABASE_URL: p.databaseUrl },
      stdio: 'ignore',
    });
    const code = await exitWithin(second, 20000);
    if (code === null) second.kill('SIGKILL');
    assert.equal(code, 0, 'the second launch exits at once, leaving the first window');

    // The running window shows the import of the handed-over file.
    const name = await byTestId('import-file-name');
    await app().waitUntil(async () => (await name.getText()).includes('handed-over.csv'), {
      timeoutMsg: 'the handed-over file is not on the import page',
    });
  } finally {
    bus.kill('SIGTERM');
  }
});

// --- updates ----------------------------------------------------------------------

/** A throwaway signing key (password "test"), made by the tauri CLI. */
function testKey(dir) {
  const key = path.join(dir, 'update-test.key');
  execFileSync(TAURI, ['signer', 'generate', '--ci', '-p', 'test', '-w', key, '-f'], { stdio: 'ignore' });
  return { key, pubkey: readFileSync(`${key}.pub`, 'utf8').trim() };
}

function sign(key, file) {
  execFileSync(TAURI, ['signer', 'sign', '-f', key, '-p', 'test', file], { stdio: 'ignore' });
  return readFileSync(`${file}.sig`, 'utf8').trim();
}

/** Serves the files of `dir` on 127.0.0.1; resolves to {url, close}. */
function serve(dir) {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      const file = path.join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, ''));
      if (!file.startsWith(dir) || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(file);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}`,
      close: () => new Promise((r) => server.close(r)),
    }));
  });
}

function nextVersion(v) {
  const [a, b, c] = v.split('.').map(Number);
  return `${a}.${b}.${c + 1}`;
}

journey('updates: the manifest is made from signed packages, a newer version is found and verified, a forged one refused', async () => {
  const dir = tmp('forsat-update-');
  const { key, pubkey } = testKey(dir);
  const next = nextVersion(VERSION);
  // The package: the real .deb when built, else any file stands for one.
  const pkg = path.join(dir, `Forsat_${next}_amd64.deb`);
  try {
    copyFileSync(findDeb(), pkg);
  } catch {
    writeFileSync(pkg, 'a package');
  }
  sign(key, pkg);
  const server = await serve(dir);
  try {
    // The manifest, as scripts/update-manifest writes it (the unpackaged binary under
    // test looks for the plain linux-x86_64 entry).
    execFileSync(path.join(ROOT, 'scripts', 'update-manifest'), [
      '--version', next, '--notes', 'Faster board', '--base-url', server.url,
      '--out', path.join(dir, 'latest.json'), '--platform', `linux-x86_64=${pkg}`, pkg,
    ], { stdio: 'ignore' });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'));
    assert.equal(manifest.version, next);
    assert.deepEqual(Object.keys(manifest.platforms).sort(), ['linux-x86_64', 'linux-x86_64-deb']);
    assert.equal(manifest.platforms['linux-x86_64-deb'].signature, readFileSync(`${pkg}.sig`, 'utf8').trim());

    // A forged manifest: the same package with the signature of another file.
    const other = path.join(dir, 'other.bin');
    writeFileSync(other, 'something else');
    const forged = structuredClone(manifest);
    forged.platforms['linux-x86_64'].signature = sign(key, other);
    writeFileSync(path.join(dir, 'forged.json'), JSON.stringify(forged));

    const env = { FORSAT_UPDATES: 'on', FORSAT_UPDATE_ENDPOINT: `${server.url}/latest.json`, FORSAT_UPDATE_PUBKEY: pubkey };
    await startApp({ name: 'updates', demo: true, env });
    await setLanguage('en');
    await clickTestId('nav-settings');
    await clickTestId('settings-nav-about');
    assert.match(await (await byTestId('about-version')).getText(), new RegExp(VERSION.replace(/\./g, '\\.')));
    await clickTestId('update-check');
    const status = await byTestId('update-status');
    await app().waitUntil(async () => (await status.getText()).includes(next), {
      timeoutMsg: `the check did not offer ${next}`,
    });
    assert.match(await (await byTestId('update-notes')).getText(), /Faster board/);
    await clickTestId('update-download');
    // Downloaded and checked against its signature with the test key: ready to install.
    await byTestId('update-ready', { timeout: 30000 });
    await stopApp();

    // The forged one: refused in plain words, nothing installed, the app goes on.
    await startApp({ name: 'updates-forged', demo: true, env: { ...env, FORSAT_UPDATE_ENDPOINT: `${server.url}/forged.json` } });
    await setLanguage('en');
    await clickTestId('nav-settings');
    await clickTestId('settings-nav-about');
    await clickTestId('update-check');
    await app().waitUntil(async () => (await (await byTestId('update-status')).getText()).includes(next));
    await clickTestId('update-download');
    const error = await byTestId('update-error', { timeout: 30000 });
    await app().waitUntil(async () => /signature/i.test(await error.getText()), {
      timeoutMsg: 'the forged update was not refused for its signature',
    });
    assert.equal(await app().$('[data-testid="update-ready"]').isExisting(), false);
    await clickTestId('nav-opportunities');
    await byTestId('opportunity-table');
  } finally {
    await server.close();
  }
}, { timeout: 240000 });

// The journeys of this file leave nothing behind but their temporary folders.
mkdirSync(path.join(here, '..', 'artifacts'), { recursive: true });
