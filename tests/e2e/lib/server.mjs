// A team server for a journey: a new database on the PostgreSQL that the test
// command started (FORSAT_TEST_PG_URL, a superuser's URL), set up the way an office
// would, with `forsat server init` (and `--demo` for the demo company).

import { execFileSync } from 'node:child_process';

/** One value from the team server, as its owner (test setup only). */
export function ownerQuery(server, sql) {
  return execFileSync('psql', [server.ownerUrl, '-Atqc', sql], { encoding: 'utf8' }).trim();
}
import { appPath } from './app.mjs';

export const ADMIN_PASSWORD = 'admin-secret-1';

/**
 * Creates and initialises a team server database. Resolves to its host, port and
 * database (what a user types on the connection screen).
 */
export function teamServer({ demo = false } = {}) {
  const admin = process.env.FORSAT_TEST_PG_URL;
  if (!admin) throw new Error('FORSAT_TEST_PG_URL is not set: scripts/test e2e starts a PostgreSQL for the team-server journeys');
  const url = new URL(admin);
  const database = `forsat_e2e_${process.pid}_${Date.now() % 1e8}`;
  execFileSync('psql', [admin, '-q', '-c', `CREATE DATABASE ${database}`], { stdio: 'pipe' });
  const ownerUrl = `${url.protocol}//${url.username}:${url.password}@${url.host}/${database}`;
  execFileSync(appPath(), ['server', 'init', '--url', ownerUrl, ...(demo ? ['--demo'] : [])], {
    env: { ...process.env, FORSAT_PASSWORD: ADMIN_PASSWORD },
    stdio: 'pipe',
  });
  return {
    host: url.hostname, port: url.port || '5432', database, ownerUrl,
    /** The URL a copy of the app is given: the server, without a user (it asks who signs in). */
    appUrl: `postgres://${url.hostname}:${url.port || '5432'}/${database}`,
  };
}

/** Runs pg_ctl on the test command's PostgreSQL (as its owner when we are root). */
function pgCtl(args) {
  const ctl = process.env.FORSAT_TEST_PG_CTL;
  if (!ctl) throw new Error('FORSAT_TEST_PG_CTL is not set: scripts/test e2e starts the PostgreSQL these journeys stop and start');
  const [bin, ...rest] = ctl.split(' ');
  const owner = process.env.FORSAT_TEST_PG_OWNER;
  const cmd = owner ? 'runuser' : bin;
  const argv = owner ? ['-u', owner, '--', bin, ...rest, ...args] : [...rest, ...args];
  execFileSync(cmd, argv, { stdio: 'pipe', cwd: '/' });
}

/** The team server goes away (every connection to it drops). */
export function stopServer() {
  pgCtl(['-m', 'fast', '-w', '-t', '30', 'stop']);
}

/** The team server is back, on the same port. */
export function startServer() {
  pgCtl(['-w', '-t', '60', '-o', process.env.FORSAT_TEST_PG_OPTS, 'start']);
}
