/**
 * The Hangzhou demo loaded once per test run, then copied: loading it (1,500 incidents, 20,000
 * parcels, population and facilities) takes ~12 s, copying the stopped store's folder well under
 * one. The first worker that needs it builds it under a lock directory; the others wait for its
 * `ready` marker. Only for PGlite stores on the real clock (a test with its own clock loads its own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { runDir } from './run-setup.ts';

const READY = 'ready';

function runId(): string | undefined {
  try {
    return inject('testRunId');
  } catch {
    return undefined;
  }
}

/**
 * Copies the run's demo store into `dataDir` (building it first if no worker has), or returns
 * false when there is no run to share with (then the caller loads the demo itself).
 */
export async function copyDemoStore(dataDir: string, build: (dir: string) => Promise<void>): Promise<boolean> {
  const id = runId();
  if (!id) return false;
  const root = path.join(runDir(id), 'demo');
  const template = path.join(root, 'store');
  fs.mkdirSync(runDir(id), { recursive: true });
  let builder = false;
  try {
    fs.mkdirSync(root);
    builder = true;
  } catch {
    // another worker is building (or has built) it
  }
  if (builder) {
    try {
      fs.mkdirSync(template);
      await build(template);
      fs.writeFileSync(path.join(root, READY), '');
    } catch (err) {
      fs.writeFileSync(path.join(root, READY), `failed: ${String(err)}`);
      throw err;
    }
  } else {
    const deadline = Date.now() + 180_000;
    while (!fs.existsSync(path.join(root, READY))) {
      if (Date.now() > deadline) throw new Error('the shared demo store was not ready within 3 minutes');
      await new Promise((r) => setTimeout(r, 200));
    }
    const marker = fs.readFileSync(path.join(root, READY), 'utf8');
    if (marker) throw new Error(`the shared demo store could not be built: ${marker}`);
  }
  fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== 'server.lock' });
  return true;
}
