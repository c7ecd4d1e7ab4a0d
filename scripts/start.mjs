/**
 * `npm start`: builds the dashboard when its build is missing or stale, then runs the server in
 * this same process (so signals and exit codes are the server's own).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { ensureClientBuild } from './client-build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  await ensureClientBuild({ root, log: (message) => process.stdout.write(`${message}\n`) });
} catch (err) {
  process.stderr.write(`City Brain: building the dashboard failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
register();
await import('../server/main.ts');
