#!/usr/bin/env node
// Runs the end-to-end journeys against the built app (target/debug/forsat).
//
//   node tests/e2e/run.mjs [spec files...]   (default: every specs/*.test.mjs)
//
// Starts a private Xvfb display (unless FORSAT_E2E_HEADED=1 and a display is
// available), then runs the specs one file at a time with Node's test runner.
// Each journey starts its own tauri-driver + app on a fresh database (see
// lib/app.mjs). Screenshots of failures and the driver logs land in artifacts/.
//
// Environment: FORSAT_E2E_APP (app binary), FORSAT_E2E_HEADED=1 (use $DISPLAY),
// FORSAT_E2E_WAIT_MS (UI wait timeout), FORSAT_E2E_LOG_LEVEL (WebdriverIO log level).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const artifacts = path.join(here, 'artifacts');

function log(msg) {
  console.log(`[e2e] ${msg}`);
}

/** Start Xvfb on a display number it picks itself (-displayfd); resolves to {proc, display}. */
function startXvfb() {
  return new Promise((resolve, reject) => {
    const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1920x1080x24', '-nolisten', 'tcp'], {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      reject(new Error(`Xvfb did not report a display within 15 s\n${err}`));
    }, 15000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ proc, display: `:${out.trim()}` });
      }
    });
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start Xvfb (apt package xvfb; run scripts/setup): ${e.message}`));
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited with code ${code}\n${err}`));
    });
  });
}

function specFiles(args) {
  if (args.length) return args.map((a) => path.resolve(a));
  const dir = path.join(here, 'specs');
  return readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join(dir, f));
}

async function main() {
  const specs = specFiles(process.argv.slice(2));
  for (const s of specs) {
    if (!existsSync(s)) throw new Error(`no such spec file: ${s}`);
  }
  if (!existsSync(path.join(here, 'node_modules', 'webdriverio'))) {
    throw new Error('tests/e2e/node_modules is missing: run scripts/setup (npm ci in tests/e2e)');
  }
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });

  const env = { ...process.env };
  // One folder for every journey's database and XDG folders, removed at the end.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'forsat-e2e-run-'));
  env.FORSAT_E2E_TMP = tmp;
  let xvfb = null;
  if (process.env.FORSAT_E2E_HEADED === '1' && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY)) {
    log(`using the current display ${process.env.DISPLAY || process.env.WAYLAND_DISPLAY}`);
  } else {
    xvfb = await startXvfb();
    env.DISPLAY = xvfb.display;
    delete env.WAYLAND_DISPLAY;
    log(`Xvfb on display ${xvfb.display}`);
  }
  // No accessibility bus under Xvfb: spare the app the attempt to reach one.
  // (Do not set WEBKIT_DISABLE_COMPOSITING_MODE or WEBKIT_DISABLE_DMABUF_RENDERER
  // here: with either, WebKitGTK 2.50 takes about a minute to end a session.)
  env.NO_AT_BRIDGE ??= '1';
  // Every journey starts with empty caches anyway: do not write shader caches.
  env.MESA_SHADER_CACHE_DISABLE ??= 'true';

  const stop = () => {
    // Ending the display also ends any webview helper process still around.
    if (xvfb && xvfb.proc.exitCode === null) xvfb.proc.kill('SIGTERM');
    try {
      rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (err) {
      console.error(`[e2e] could not remove ${tmp}: ${err.message}`);
    }
  };
  process.on('SIGINT', () => { stop(); process.exit(130); });
  process.on('SIGTERM', () => { stop(); process.exit(143); });

  log(`specs: ${specs.map((s) => path.relative(here, s)).join(' ')}`);
  // One file at a time: journeys drive real windows and share one display.
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--test', '--test-concurrency=1', '--test-reporter=spec', ...specs,
    ], { env, stdio: 'inherit', cwd: here });
    child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
  });
  stop();
  if (code !== 0) log(`failed; screenshots and driver logs are in ${artifacts}`);
  process.exit(code);
}

main().catch((err) => {
  console.error(`[e2e] ${err.message}`);
  process.exit(1);
});
