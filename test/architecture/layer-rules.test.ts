/**
 * The import checker on small made-up trees: each rule catches its breach and lets the legal
 * import through. Expected breaches are written out by hand from the fixture table below.
 */
import { describe, expect, it } from 'vitest';
import { aliasesFrom, importsOf, resolveImport, type Alias } from './import-graph.ts';
import { parseLayerTable, rowFor } from './layer-table.ts';
import { checkLayers, type Breach } from './layer-rules.ts';

const DOC = `# Architecture

## The pieces, by folder

Some words first.

| layer | folder | job |
|---|---|---|
| 0 | \`server/contract/\` | schemas |
| 1 | \`server/domain/\` | pure logic |
| 2 | \`server/store/\`, \`server/config.ts\` | the store, and the settings it reads |
| 3 | \`server/http/\` | routes |
| 3 | \`server/live/\` | sockets |
| 4 | \`server/app.ts\` | composition root |

| name | meaning |
|---|---|
| x | a table without layer and folder columns, left alone |

| layer | folder | job |
|---|---|---|
| 0 | \`client/src/\` | shared files at the top |
| 1 | \`client/src/map/\` | map core |
| 2 | \`client/src/features/\` | panels |
| 3 | \`client/src/pages/\` | one per route |

## Next section

| layer | folder |
|---|---|
| 9 | \`server/elsewhere/\` |
`;

const ROWS = parseLayerTable(DOC);
const ALIASES: Alias[] = [{ pattern: '#contract/*', targets: ['server/contract/*'] }, { pattern: '#server/*', targets: ['server/*'] }];

/** Files every fixture tree has, so no table row is left without code. */
const BASE: Record<string, string> = {
  'server/contract/events.ts': 'export type E = 1;\n',
  'server/domain/risk.ts': "import type { E } from '../contract/events.ts';\n",
  'server/store/db.ts': "import { risk } from '../domain/risk.ts';\n",
  'server/config.ts': 'export const c = 1;\n',
  'server/http/errors.ts': "import { db } from '../store/db.ts';\n",
  'server/live/hub.ts': "import { risk } from '../domain/risk.ts';\n",
  'server/app.ts': "import { hub } from './live/hub.ts';\nimport { errors } from './http/errors.ts';\n",
  'client/src/i18n.ts': "import type { E } from '../../server/contract/events.ts';\n",
  'client/src/map/view.tsx': "import { t } from '../i18n.ts';\n",
  'client/src/features/panel.tsx': "import { View } from '../map/view.tsx';\n",
  'client/src/pages/console.tsx': "import { Panel } from '../features/panel.tsx';\n",
};

function check(extra: Record<string, string>): Breach[] {
  const files = new Map(Object.entries({ ...BASE, ...extra }));
  return checkLayers({ files, rows: ROWS, aliases: ALIASES, exists: (file) => files.has(file) });
}

/** Breaches without their messages, which are checked on their own. */
function brief(breaches: Breach[]): Array<Omit<Breach, 'message'>> {
  return breaches.map(({ message: _message, ...rest }) => rest);
}

describe('the layer table in the document', () => {
  it('reads every row with a layer and a folder in the section, one row per line', () => {
    expect(ROWS).toEqual([
      { paths: ['server/contract/'], layer: 0 },
      { paths: ['server/domain/'], layer: 1 },
      { paths: ['server/store/', 'server/config.ts'], layer: 2 },
      { paths: ['server/http/'], layer: 3 },
      { paths: ['server/live/'], layer: 3 },
      { paths: ['server/app.ts'], layer: 4 },
      { paths: ['client/src/'], layer: 0 },
      { paths: ['client/src/map/'], layer: 1 },
      { paths: ['client/src/features/'], layer: 2 },
      { paths: ['client/src/pages/'], layer: 3 },
    ]);
  });

  it('places a file by its most specific row', () => {
    expect(rowFor(ROWS, 'client/src/map/layers/risk.ts')?.paths).toEqual(['client/src/map/']);
    expect(rowFor(ROWS, 'client/src/routes.ts')?.paths).toEqual(['client/src/']);
    expect(rowFor(ROWS, 'server/config.ts')?.layer).toBe(2);
    expect(rowFor(ROWS, 'server/main.ts')).toBeUndefined();
  });

  it('refuses a table it cannot read as a rule', () => {
    expect(() => parseLayerTable('# x\n')).toThrow('no "## The pieces, by folder" section');
    const table = (rows: string) => `## The pieces, by folder\n\n| layer | folder |\n|---|---|\n${rows}`;
    expect(() => parseLayerTable(table('| low | `server/a/` |\n'))).toThrow('"low" is not a whole number');
    expect(() => parseLayerTable(table('| 1 | server/a/ |\n'))).toThrow('names no path');
    expect(() => parseLayerTable(table('| 1 | `server/a/` |\n| 2 | `server/a/` |\n'))).toThrow('names server/a/ twice');
  });
});

describe('finding and resolving imports', () => {
  it('finds static, re-exported, type, dynamic and worker imports with their lines, and nothing in comments or strings', () => {
    const source = [
      "import { a } from './a.ts';",
      "export { b } from './b.ts';",
      "import type { C } from './c.ts';",
      "const d = await import('./d.ts');",
      "const worker = new URL('./entry.mjs', import.meta.url);",
      "const data = new URL('./fixtures/in', import.meta.url);",
      "// import { e } from './e.ts';",
      "const text = \"import { f } from './f.ts'\";",
      "type G = typeof import('./g.ts');",
    ].join('\n');
    expect(importsOf('server/x.ts', source)).toEqual([
      { specifier: './a.ts', kind: 'import', line: 1 },
      { specifier: './b.ts', kind: 'export', line: 2 },
      { specifier: './c.ts', kind: 'type import', line: 3 },
      { specifier: './d.ts', kind: 'dynamic import', line: 4 },
      { specifier: './entry.mjs', kind: 'worker URL', line: 5 },
      { specifier: './g.ts', kind: 'type import', line: 9 },
    ]);
  });

  it('resolves relative paths, extension-less paths, folder indexes and aliases from package.json and tsconfig', () => {
    const exists = (file: string) => ['client/src/features/panel.tsx', 'server/store/index.ts', 'server/contract/events.ts'].includes(file);
    const aliases = aliasesFrom(
      { imports: { '#contract/*': { types: './server/contract/*', default: './server/contract/*' } } },
      { compilerOptions: { baseUrl: '.', paths: { '@server/*': ['server/*'] } } },
    );
    expect(aliases).toEqual([
      { pattern: '#contract/*', targets: ['server/contract/*'] },
      { pattern: '@server/*', targets: ['server/*'] },
    ]);
    expect(resolveImport('../features/panel', 'client/src/map/a.ts', aliases, exists)).toEqual({ kind: 'file', path: 'client/src/features/panel.tsx' });
    expect(resolveImport('../store', 'server/http/a.ts', aliases, exists)).toEqual({ kind: 'file', path: 'server/store/index.ts' });
    expect(resolveImport('#contract/events.ts', 'client/src/a.ts', aliases, exists)).toEqual({ kind: 'file', path: 'server/contract/events.ts' });
    expect(resolveImport('@server/store', 'client/src/a.ts', aliases, exists)).toEqual({ kind: 'file', path: 'server/store/index.ts' });
    expect(resolveImport('maplibre-gl/dist/worker.mjs?url', 'client/src/a.ts', aliases, exists)).toEqual({ kind: 'package' });
    expect(resolveImport('#nowhere', 'client/src/a.ts', aliases, exists)).toEqual({ kind: 'unresolved' });
  });
});

describe('the layering rules', () => {
  it('finds nothing in a tree where every import goes down', () => {
    expect(check({})).toEqual([]);
  });

  it('refuses an import of a higher layer, naming file, line, path and both layers', () => {
    const breaches = check({ 'server/domain/risk.ts': "import type { E } from '../contract/events.ts';\nimport { fail } from '../http/errors.ts';\n" });
    expect(brief(breaches)).toEqual([
      { file: 'server/domain/risk.ts', line: 2, specifier: '../http/errors.ts', target: 'server/http/errors.ts', rule: 'lower layers only' },
    ]);
    expect(breaches[0]?.message).toBe(
      "server/domain/risk.ts:2 imports '../http/errors.ts' (server/http/errors.ts), but server/domain/ (layer 1) may import only its own row and lower layers, " +
        'and server/http/ is on layer 3 (the table in docs/architecture.md, "The pieces, by folder"). Move what is needed down a layer, or have the layer above pass it in.',
    );
  });

  it('counts every way of importing: re-export, type import, dynamic import and worker entry', () => {
    const breaches = check({
      'server/store/db.ts': [
        "export { fail } from '../http/errors.ts';",
        "import type { Hub } from '../live/hub.ts';",
        "const app = await import('../app.ts');",
        "const entry = new URL('../http/worker.mjs', import.meta.url);",
      ].join('\n'),
      'server/http/worker.mjs': '',
    });
    expect(brief(breaches).map(({ line, target, rule }) => ({ line, target, rule }))).toEqual([
      { line: 1, target: 'server/http/errors.ts', rule: 'lower layers only' },
      { line: 2, target: 'server/live/hub.ts', rule: 'lower layers only' },
      { line: 3, target: 'server/app.ts', rule: 'lower layers only' },
      { line: 4, target: 'server/http/worker.mjs', rule: 'lower layers only' },
    ]);
    expect(breaches.map((breach) => breach.message.split(' (')[0])).toEqual([
      "server/store/db.ts:1 re-exports from '../http/errors.ts'",
      "server/store/db.ts:2 imports types from '../live/hub.ts'",
      "server/store/db.ts:3 dynamically imports '../app.ts'",
      "server/store/db.ts:4 starts a worker from '../http/worker.mjs'",
    ]);
  });

  it('keeps the rows of one layer apart, but lets one row import itself', () => {
    const breaches = check({
      'server/live/hub.ts': "import { fail } from '../http/errors.ts';\n",
      'server/store/db.ts': "import { c } from '../config.ts';\n",
      'server/config.ts': "import { db } from './store/db.ts';\n",
    });
    expect(brief(breaches)).toEqual([
      { file: 'server/live/hub.ts', line: 1, specifier: '../http/errors.ts', target: 'server/http/errors.ts', rule: 'one layer, independent folders' },
    ]);
    expect(breaches[0]?.message).toContain('server/live/ and server/http/ are both on layer 3');
  });

  it('lets the client take the contract from the server, by path or alias, and nothing else', () => {
    const breaches = check({
      'client/src/map/view.tsx': [
        "import type { E } from '../../../server/contract/events.ts';",
        "import type { F } from '#contract/events.ts';",
        "import { risk } from '../../../server/domain/risk.ts';",
        "import { db } from '#server/store/db.ts';",
      ].join('\n'),
    });
    expect(brief(breaches).map(({ line, target, rule }) => ({ line, target, rule }))).toEqual([
      { line: 3, target: 'server/domain/risk.ts', rule: 'client takes only the contract from the server' },
      { line: 4, target: 'server/store/db.ts', rule: 'client takes only the contract from the server' },
    ]);
  });

  it('keeps the map core below features and pages, and features below pages', () => {
    const breaches = check({
      'client/src/map/view.tsx': "import { Panel } from '../features/panel.tsx';\nimport { Console } from '../pages/console.tsx';\n",
      'client/src/features/panel.tsx': "import { View } from '../map/view.tsx';\nimport { Console } from '../pages/console.tsx';\n",
    });
    expect(brief(breaches).map(({ file, line, target }) => ({ file, line, target }))).toEqual([
      { file: 'client/src/features/panel.tsx', line: 2, target: 'client/src/pages/console.tsx' },
      { file: 'client/src/map/view.tsx', line: 1, target: 'client/src/features/panel.tsx' },
      { file: 'client/src/map/view.tsx', line: 2, target: 'client/src/pages/console.tsx' },
    ]);
    expect(new Set(breaches.map((breach) => breach.rule))).toEqual(new Set(['lower layers only']));
  });

  it('keeps server code inside server/ and client code inside client/src/ and the contract', () => {
    const breaches = check({
      'server/domain/risk.ts': "import { bench } from '../../scripts/bench/risk.ts';\n",
      'client/src/i18n.ts': "import { support } from '../../test/support/x.ts';\n",
    });
    expect(brief(breaches).map(({ file, target, rule }) => ({ file, target, rule }))).toEqual([
      { file: 'client/src/i18n.ts', target: 'test/support/x.ts', rule: 'client stays in client/src/ and the contract' },
      { file: 'server/domain/risk.ts', target: 'scripts/bench/risk.ts', rule: 'server stays in server/' },
    ]);
  });

  it('lets a test beside the code reach across layers', () => {
    expect(check({ 'server/domain/risk.test.ts': "import { fail } from '../http/errors.ts';\n", 'server/store/pool.test-worker.mjs': "import '../app.ts';\n" })).toEqual([]);
  });

  it('names an alias that resolves nowhere', () => {
    expect(brief(check({ 'client/src/i18n.ts': "import { x } from '#nowhere/x.ts';\n" }))).toEqual([
      { file: 'client/src/i18n.ts', line: 1, specifier: '#nowhere/x.ts', target: '', rule: 'alias resolves' },
    ]);
  });

  it('wants a row for every folder and top-level server file, and code under every row', () => {
    const files = new Map(
      Object.entries({
        ...BASE,
        'server/cluster/leader.ts': '',
        'server/cluster/follower.ts': '',
        'server/main.ts': '',
        'server/main.test.ts': '',
        'server/scratch/notes.test.ts': '',
        'client/src/session/city.ts': '',
      }),
    );
    files.delete('server/live/hub.ts');
    files.set('server/app.ts', "import { errors } from './http/errors.ts';\n");
    const breaches = checkLayers({ files, rows: ROWS, aliases: ALIASES, exists: (file) => files.has(file) });
    expect(breaches.map(({ file, rule }) => ({ file, rule }))).toEqual([
      { file: 'client/src/session/', rule: 'every folder in the table' },
      { file: 'server/cluster/', rule: 'every folder in the table' },
      { file: 'server/main.ts', rule: 'every folder in the table' },
      { file: 'server/live/', rule: 'every table row names code' },
    ]);
  });
});
