/**
 * `npm run cluster [-- N]`: N server nodes (default 3) on this machine against one PostgreSQL, for
 * local trials of a multi-node set-up. Uses DATABASE_URL when set; otherwise starts a throwaway
 * PostgreSQL cluster (deleted on exit). Node i listens on PORT + i (PORT default 8080) with its own
 * folder DATA_DIR/node-i; all share one ADMIN_TOKEN (generated if unset). Ctrl-C stops everything.
 * A real deployment puts a load balancer in front (docs/operations.md).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBuild } from './client-build.mjs';
import { startCluster } from './postgres-cluster.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.argv[2] ?? 3);
if (!Number.isInteger(count) || count < 1 || count > 32) {
  process.stderr.write(`usage: npm run cluster -- N   (N from 1 to 32, got "${process.argv[2]}")\n`);
  process.exit(2);
}
const basePort = Number(process.env.PORT ?? 8080);
const dataRoot = path.resolve(process.env.DATA_DIR ?? path.join(root, 'data', 'cluster'));
const adminToken = process.env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');

await ensureClientBuild({ root, log: (m) => process.stdout.write(`${m}\n`) });
let pg;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  pg = await startCluster({ log: (m) => process.stdout.write(`${m}\n`) });
  databaseUrl = pg.url;
}

const children = [];
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => {
    pg?.stop();
    process.exit(code);
  });
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

// The first node migrates (and loads the demo when the database is empty); the rest start after it.
for (let i = 0; i < count; i++) {
  const dataDir = path.join(dataRoot, `node-${i}`);
  fs.mkdirSync(dataDir, { recursive: true });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(basePort + i), DATA_DIR: dataDir, DATABASE_URL: databaseUrl, ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const tag = `[node ${i}] `;
  let ready;
  const up = new Promise((r) => (ready = r));
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      for (const line of chunk.split('\n')) if (line) process.stdout.write(tag + line + '\n');
      if (chunk.includes('?token=')) ready();
    });
  }
  child.once('exit', (code) => {
    process.stdout.write(`${tag}exited with ${code}\n`);
    ready();
    if (!stopping) stop(1);
  });
  await up;
}
process.stdout.write(
  `\n${count} node(s) on ${pg ? 'a throwaway PostgreSQL (deleted on exit)' : 'DATABASE_URL'}:\n` +
    Array.from({ length: count }, (_, i) => `  http://127.0.0.1:${basePort + i}/?token=${adminToken}`).join('\n') +
    '\nCtrl-C stops them all.\n',
);
