/**
 * The layering of the real tree: every import in server/ and client/src/ against the folder table
 * in docs/architecture.md ("The pieces, by folder"). The table is the rule; this test only reads it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aliasesFrom } from './import-graph.ts';
import { parseLayerTable } from './layer-table.ts';
import { checkLayers, CLIENT_ROOT, CODE_FILE, SERVER_ROOT, type Breach, type Rule } from './layer-rules.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** An import the rules forbid that the tree still has, kept visible here until the code changes. */
interface Allowed {
  readonly file: string;
  readonly target: string;
  readonly rule: Rule;
  /** Why it is there, and what change would remove it. */
  readonly reason: string;
}

/** Known breaches. Each entry must still match a breach, so one fixed is one to delete here. */
const ALLOWED: readonly Allowed[] = [];

function codeFilesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(REPO, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !CODE_FILE.test(entry.name)) continue;
    const file = path.relative(REPO, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (!file.split('/').includes('node_modules')) found.push(file);
  }
  return found.sort();
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(REPO, file), 'utf8')) as T;
}

function isAllowed(breach: Breach): boolean {
  return ALLOWED.some((entry) => entry.file === breach.file && entry.target === breach.target && entry.rule === breach.rule);
}

describe('the import layering of server/ and client/src/', () => {
  const files = new Map([...codeFilesUnder(SERVER_ROOT), ...codeFilesUnder(CLIENT_ROOT)].map((file) => [file, fs.readFileSync(path.join(REPO, file), 'utf8')]));
  const rows = parseLayerTable(fs.readFileSync(path.join(REPO, 'docs/architecture.md'), 'utf8'));
  const aliases = aliasesFrom(readJson('package.json'), readJson('tsconfig.json'));
  const breaches = checkLayers({ files, rows, aliases, exists: (file) => fs.statSync(path.join(REPO, file), { throwIfNoEntry: false })?.isFile() === true });

  it('reads a table that places both sides', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(rows.some((row) => row.paths.some((named) => named.startsWith(SERVER_ROOT)))).toBe(true);
    expect(rows.some((row) => row.paths.some((named) => named.startsWith(CLIENT_ROOT)))).toBe(true);
  });

  it('has no import the table forbids', () => {
    const unexpected = breaches.filter((breach) => !isAllowed(breach)).map((breach) => breach.message);
    if (unexpected.length > 0) expect.fail(`${unexpected.length} ${unexpected.length === 1 ? 'breach' : 'breaches'} of the layering:\n\n${unexpected.join('\n\n')}\n`);
  });

  it('allows only breaches that still exist', () => {
    const stale = ALLOWED.filter((entry) => !breaches.some((breach) => entry.file === breach.file && entry.target === breach.target && entry.rule === breach.rule));
    expect(stale, 'these allow-list entries no longer match a breach: delete them').toEqual([]);
  });
});
