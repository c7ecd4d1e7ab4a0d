/**
 * A throwaway PostgreSQL cluster for tests and local trials: `initdb` into a temporary folder,
 * started on a free loopback port with its socket in that folder, trust auth for the local user
 * only, stopped and deleted by `stop()`. PostgreSQL refuses to run as root, so as root it runs as
 * the `postgres` user Debian's package creates.
 *
 *   node scripts/postgres-cluster.mjs            # starts one, prints its URL, stops on Ctrl-C
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const PG_VERSION = 15;
const BIN = process.env.PG_BIN ?? `/usr/lib/postgresql/${PG_VERSION}/bin`;

/**
 * What the PostgreSQL tests, bench and cluster need from apt: the server alone. The store's SQL uses
 * no extension (spatial work is done in JS, so PGlite and a server run the same SQL).
 */
export const POSTGRES_PACKAGES = [`postgresql-${PG_VERSION}`];

export function postgresInstalled() {
  return fs.existsSync(path.join(BIN, 'initdb')) && fs.existsSync(path.join(BIN, 'pg_ctl'));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as the cluster's owner. */
function run(binary, args, options = {}) {
  const full = path.join(BIN, binary);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
  const result = spawnSync(cmd, argv, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/**
 * Starts a cluster and returns the URL of its `postgres` database (user `postgres` as root, else
 * the current user) and a `stop` that removes it.
 */
export async function startCluster({ log = () => undefined } = {}) {
  if (!postgresInstalled()) {
    throw new Error(`PostgreSQL ${PG_VERSION} is not installed: run 'sudo apt-get install -y ${POSTGRES_PACKAGES.join(' ')}'`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-pg-'));
  const dataDir = path.join(dir, 'data');
  if (asRoot) execFileSync('chown', ['postgres:', dir]);
  const user = asRoot ? 'postgres' : os.userInfo().username;
  const started = Date.now();
  run('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // Durability off: a throwaway cluster for tests, never for data anyone keeps.
  const settings = [
    `-p ${port}`, '-h 127.0.0.1', `-k ${dir}`, '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off',
    '-c max_connections=300', '-c shared_buffers=128MB',
  ].join(' ');
  const start = () => run('pg_ctl', ['-D', dataDir, '-o', settings, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  start();
  log(`postgres: throwaway cluster on 127.0.0.1:${port} (${Date.now() - started} ms)`);
  let stopped = false;
  // Whoever started it forgot, or its hook timed out: the cluster still goes when the process does.
  const atExit = () => cluster.stop();
  process.once('exit', atExit);
  const cluster = {
    url: `postgres://${encodeURIComponent(user)}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    /** Stops the server but keeps its data (an outage); `resume` starts it again on the same port. */
    pause() {
      run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
    resume() {
      start();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', atExit);
      try {
        run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch (err) {
        log(String(err));
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cluster = await startCluster({ log: (m) => console.error(m) });
  console.log(cluster.url);
  const stop = () => {
    cluster.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}
