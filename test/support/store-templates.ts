/**
 * PGlite stores built once per test run, then copied into each test's data folder:
 * - `demo`: the Hangzhou demo loaded (1,500 incidents, 20,000 parcels, population and facilities:
 *   ~12 s to load), only for stores on the real clock (a test with its own clock loads its own);
 * - `empty`: a new cluster with every migration applied. PGlite's initdb runs in WASM and takes
 *   8 s on an idle 2-core machine (25 s while browsers render beside it); copying the stopped
 *   folder and reopening it takes a fraction of that, and most server tests start from empty.
 * The first worker that needs a template builds it under a lock directory; the others wait for
 * its `ready` marker.
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

export type StoreTemplate = 'demo' | 'empty';

/**
 * Copies the run's `name` store into `dataDir` (building it first if no worker has), or returns
 * false when there is no run to share with (then the server builds its store itself).
 */
export async function copyStoreTemplate(name: StoreTemplate, dataDir: string, build: (dir: string) => Promise<void>): Promise<boolean> {
  const id = runId();
  if (!id) return false;
  const root = path.join(runDir(id), name);
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
      if (Date.now() > deadline) throw new Error(`the shared ${name} store was not ready within 3 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const marker = fs.readFileSync(path.join(root, READY), 'utf8');
    if (marker) throw new Error(`the shared ${name} store could not be built: ${marker}`);
  }
  fs.cpSync(template, dataDir, { recursive: true, filter: (src) => path.basename(src) !== 'server.lock' });
  return true;
}
