/**
 * The layering rules, as a function of source text: which imports break them, in sentences a
 * maintainer can act on. Pure (a map of files in, a list of breaches out), so it is tested on small
 * made-up trees as well as run on the real one.
 */
import path from 'node:path';
import { importsOf, resolveImport, type Alias, type ImportKind } from './import-graph.ts';
import { rowFor, TABLE_SECTION, type LayerRow } from './layer-table.ts';

export const SERVER_ROOT = 'server/';
export const CLIENT_ROOT = 'client/src/';
export const CONTRACT = 'server/contract/';

/** Source files the rules read: TypeScript, TSX and ES modules. */
export const CODE_FILE = /\.(?:ts|tsx|mts|mjs)$/;

export type Rule =
  | 'lower layers only'
  | 'one layer, independent folders'
  | 'client takes only the contract from the server'
  | 'server stays in server/'
  | 'client stays in client/src/ and the contract'
  | 'alias resolves'
  | 'every folder in the table'
  | 'every table row names code';

export interface Breach {
  /** The importing file (or the folder or row the breach is about). */
  readonly file: string;
  /** 1-based line of the import; 0 when the breach is not about one import. */
  readonly line: number;
  /** As written in the file, or '' when not about one import. */
  readonly specifier: string;
  /** The repository file the import resolves to, or '' when not about one import. */
  readonly target: string;
  readonly rule: Rule;
  readonly message: string;
}

export interface Tree {
  /** Repository-relative path → source text of every checked file. */
  readonly files: ReadonlyMap<string, string>;
  readonly rows: readonly LayerRow[];
  readonly aliases: readonly Alias[];
  /** Whether a repository path is a file (for extension-less and aliased imports). */
  readonly exists: (repoPath: string) => boolean;
}

const WHERE = `the table in docs/architecture.md, "${TABLE_SECTION}"`;

/** A test beside the code, or a worker a test starts, may reach across layers to set its scene. */
export function isTestFile(file: string): boolean {
  return /\.test[.-]/.test(path.posix.basename(file));
}

/** The folder right under its root (`server/live/`, `client/src/map/`), or null for a file at the top. */
function topFolder(file: string): string | null {
  const root = file.startsWith(CLIENT_ROOT) ? CLIENT_ROOT : file.startsWith(SERVER_ROOT) ? SERVER_ROOT : null;
  if (root === null) return null;
  const rest = file.slice(root.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? null : root + rest.slice(0, slash + 1);
}

const VERB: Record<ImportKind, string> = {
  import: 'imports',
  export: 're-exports from',
  'dynamic import': 'dynamically imports',
  'type import': 'imports types from',
  'worker URL': 'starts a worker from',
  require: 'requires',
};

/** The path, as the table writes it, by which a row covers a file (a row may name several). */
function rowName(row: LayerRow, file: string): string {
  const covering = row.paths.filter((named) => (named.endsWith('/') ? file.startsWith(named) : file === named));
  return covering.sort((a, b) => b.length - a.length)[0] ?? row.paths.join(', ');
}

/** The breach of one import, or null when the rules allow it. */
function judgeImport(file: string, target: string, rows: readonly LayerRow[]): { rule: Rule; why: string } | null {
  const fromClient = file.startsWith(CLIENT_ROOT);
  if (fromClient && target.startsWith(SERVER_ROOT)) {
    if (target.startsWith(CONTRACT)) return null;
    return {
      rule: 'client takes only the contract from the server',
      why: `the client may import only ${CONTRACT} from the server; the rest is server code the browser bundle must not carry. Move what both sides need into ${CONTRACT}`,
    };
  }
  const root = fromClient ? CLIENT_ROOT : SERVER_ROOT;
  if (!target.startsWith(root)) {
    return fromClient
      ? { rule: 'client stays in client/src/ and the contract', why: `client code imports only from ${CLIENT_ROOT}, ${CONTRACT} and packages` }
      : { rule: 'server stays in server/', why: `server code imports only from ${SERVER_ROOT} and packages, so the server runs from its own folder` };
  }
  const from = rowFor(rows, file);
  const to = rowFor(rows, target);
  if (from === undefined || to === undefined || from === to || to.layer < from.layer) return null;
  const fromName = rowName(from, file);
  const toName = rowName(to, target);
  if (to.layer === from.layer) {
    return {
      rule: 'one layer, independent folders',
      why: `${fromName} and ${toName} are both on layer ${from.layer}, and the rows of one layer stay independent of each other (${WHERE}). Move what both need to a lower layer`,
    };
  }
  return {
    rule: 'lower layers only',
    why: `${fromName} (layer ${from.layer}) may import only its own row and lower layers, and ${toName} is on layer ${to.layer} (${WHERE}). Move what is needed down a layer, or have the layer above pass it in`,
  };
}

/**
 * Folders right under server/ and client/src/ without a row of their own, files no row covers, and
 * rows that cover no file. Tests do not count: they follow the code they test.
 */
function placementBreaches(tree: Tree): Breach[] {
  const breaches: Breach[] = [];
  const rowPaths = new Set(tree.rows.flatMap((row) => row.paths));
  const missingFolders = new Set<string>();
  const placed = [...tree.files.keys()].filter((file) => !isTestFile(file)).sort();
  for (const file of placed) {
    const folder = topFolder(file);
    if (folder !== null && !rowPaths.has(folder)) missingFolders.add(folder);
  }
  for (const folder of [...missingFolders].sort()) {
    breaches.push({
      file: folder,
      line: 0,
      specifier: '',
      target: '',
      rule: 'every folder in the table',
      message: `${folder} has no row in ${WHERE}: add one saying what it holds and which layer it sits on.`,
    });
  }
  for (const file of placed) {
    const folder = topFolder(file);
    if (folder !== null && missingFolders.has(folder)) continue;
    if (rowFor(tree.rows, file) === undefined) {
      breaches.push({
        file,
        line: 0,
        specifier: '',
        target: '',
        rule: 'every folder in the table',
        message: `${file} has no row in ${WHERE}: add one saying what it holds and which layer it sits on.`,
      });
    }
  }
  for (const named of [...rowPaths]) {
    const used = named.endsWith('/') ? placed.some((file) => file.startsWith(named)) : placed.includes(named);
    if (!used) {
      breaches.push({
        file: named,
        line: 0,
        specifier: '',
        target: '',
        rule: 'every table row names code',
        message: `${WHERE} names ${named}, but there is no code there: correct the row or remove it.`,
      });
    }
  }
  return breaches;
}

/** Every breach of the layering rules in a tree, placement first, then imports by file and line. */
export function checkLayers(tree: Tree): Breach[] {
  const breaches = placementBreaches(tree);
  for (const [file, source] of [...tree.files].sort(([a], [b]) => a.localeCompare(b))) {
    if (isTestFile(file)) continue;
    for (const site of importsOf(file, source)) {
      const resolved = resolveImport(site.specifier, file, tree.aliases, tree.exists);
      const at = `${file}:${site.line} ${VERB[site.kind]}`;
      if (resolved.kind === 'package') continue;
      if (resolved.kind === 'unresolved') {
        breaches.push({
          file,
          line: site.line,
          specifier: site.specifier,
          target: '',
          rule: 'alias resolves',
          message: `${at} '${site.specifier}', which no package.json "imports" entry or tsconfig path resolves.`,
        });
        continue;
      }
      const verdict = judgeImport(file, resolved.path, tree.rows);
      if (verdict === null) continue;
      breaches.push({
        file,
        line: site.line,
        specifier: site.specifier,
        target: resolved.path,
        rule: verdict.rule,
        message: `${at} '${site.specifier}' (${resolved.path}), but ${verdict.why}.`,
      });
    }
  }
  return breaches;
}
