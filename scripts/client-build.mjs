/**
 * Builds the browser client with Vite when `dist/client` is missing or older than its sources, so
 * `npm start` and the browser tests never serve a stale client and never rebuild needlessly.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** What the client build depends on, relative to the repository root. */
// server/domain: the client imports pure modules from it too (land codes, the parcel lifecycle).
const SOURCES = ['client', 'server/contract', 'server/domain', 'vite.config.ts', 'package.json', 'package-lock.json'];
const LOCK_STALE_MS = 10 * 60_000;

/** Newest modification time (ms) of a file or of any file under a folder; 0 when absent. */
async function newestMtime(target) {
  let info;
  try {
    info = await stat(target);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs; // a deleted file shows only as a newer folder
  for (const entry of await readdir(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

async function isFresh(root, dist) {
  const built = await newestMtime(path.join(dist, 'index.html'));
  if (built === 0) return false;
  const sources = await Promise.all(SOURCES.map((source) => newestMtime(path.join(root, source))));
  return sources.every((mtime) => mtime <= built);
}

/** A folder as a cross-process lock (mkdir is atomic): parallel test workers build only once. */
async function withLock(lockDir, fn) {
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(lockDir).then((s) => s.mtimeMs, () => Date.now()));
      if (age > LOCK_STALE_MS) await rmdir(lockDir).catch(() => {});
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await fn();
  } finally {
    await rmdir(lockDir).catch(() => {});
  }
}

function logger(log) {
  if (typeof log === 'function') return log;
  if (log && typeof log.info === 'function') return (message) => log.info(message);
  return () => {};
}

/**
 * `vite build` into `outDir`, in a child process with `NODE_ENV=production`: under vitest this
 * process has `NODE_ENV=test`, which Vite keeps, and the browser tests would then drive React's
 * development build (double effects, dev-only checks) instead of what `npm start` serves.
 */
function viteBuild(root, outDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'vite.config.ts'), '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      { cwd: root, env: { ...process.env, NODE_ENV: 'production' }, stdio: ['ignore', 'inherit', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  });
}

/**
 * Builds the client unless `dist/client/index.html` is newer than every file under `client/`,
 * `server/contract/`, `server/domain/`, `vite.config.ts` and `package-lock.json`.
 * @param {{ root: string, log?: ((message: string) => void) | { info(message: string): void } }} options
 * @returns {Promise<string>} absolute path of `dist/client`
 */
export async function ensureClientBuild({ root, log }) {
  const say = logger(log);
  const dist = path.join(root, 'dist', 'client');
  if (await isFresh(root, dist)) return dist;
  await mkdir(path.join(root, 'dist'), { recursive: true });
  return withLock(path.join(root, 'dist', '.client-build.lock'), async () => {
    if (await isFresh(root, dist)) return dist; // another process built it while we waited
    say('building the client (vite build)…');
    const started = Date.now();
    // Build beside the served folder and swap, so a running server never serves a half-written client.
    const staging = path.join(root, 'dist', `client.building-${process.pid}`);
    await viteBuild(root, staging);
    const old = path.join(root, 'dist', `client.old-${process.pid}`);
    await rename(dist, old).catch((error) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(staging, dist);
    await rm(old, { recursive: true, force: true });
    say(`client built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dist}`);
    return dist;
  });
}
