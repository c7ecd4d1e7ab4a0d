/** What the command-line tools that talk to a running server read the same way. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Prints the message (and the tool's usage) and exits 1. */
export type Fail = (message: string) => never;

/** `--name`'s value as a number > 0, `fallback` when absent; anything else ends the tool with a message. */
export function positiveNumber<T extends number | undefined>(name: string, raw: string | undefined, fallback: T, fail: Fail): number | T {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a number > 0, got "${raw}"`);
  return n;
}

/** `--token`, else `ADMIN_TOKEN`, else the token file the server writes into its data folder. */
export function resolveToken(flag: string | undefined, fail: Fail): string {
  if (flag) return flag;
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const file = join(resolve(process.env.DATA_DIR ?? './data/db'), 'admin-token');
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token) return token;
  } catch {
    // fall through to the message below
  }
  return fail(`no token: pass --token, set ADMIN_TOKEN, or start the server once so that it writes ${file}`);
}
