/**
 * Entry of the intake parse worker thread. A worker starts with Node's plain loader, whatever the
 * main thread runs under (tsx in `npm start`, vitest in tests), so it registers tsx itself before
 * it loads the TypeScript worker.
 */
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
