/**
 * `npm start`: starts the server under its memory ceiling (`MEMORY_LIMIT_MB`, see
 * memory-limit.mjs) by running this script again in a Node process with that heap limit; there it
 * builds the dashboard when its build is missing or stale, then runs the server in that process
 * (signals reach it through the first, and its exit code is the command's).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { ensureClientBuild } from './client-build.mjs';
import { ceilingArgs, memoryLimitMb, runUnderCeiling } from './memory-limit.mjs';

let limitMb;
try {
  limitMb = memoryLimitMb(process.env);
} catch (err) {
  process.stderr.write(`City Brain cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const args = ceilingArgs(process.execArgv, process.argv.slice(1), limitMb);
if (args) {
  process.exit(await runUnderCeiling(args, limitMb));
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  await ensureClientBuild({ root, log: (message) => process.stdout.write(`${message}\n`) });
} catch (err) {
  process.stderr.write(`City Brain: building the dashboard failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
register();
await import('../server/main.ts');
