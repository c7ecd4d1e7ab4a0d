/**
 * The imports of a source file, found with the TypeScript parser (not a regular expression, so
 * comments and strings that look like imports are not taken for them), and resolved to the
 * repository file they name: relative paths, the package.json `imports` (`#…`) and tsconfig
 * `paths` aliases.
 */
import path from 'node:path';
import ts from 'typescript';

export type ImportKind = 'import' | 'export' | 'dynamic import' | 'type import' | 'worker URL' | 'require';

/** One import as written: what, how, and on which line (1-based). */
export interface ImportSite {
  readonly specifier: string;
  readonly kind: ImportKind;
  readonly line: number;
}

/** Files whose `new URL('…', import.meta.url)` names code to run (a worker entry), not data. */
const CODE_URL = /\.(?:[cm]?[jt]sx?)$/;

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.ts') || file.endsWith('.mts')) return ts.ScriptKind.TS;
  return ts.ScriptKind.JS;
}

function isImportMetaUrl(node: ts.Node): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/**
 * Every static import and re-export, dynamic `import('…')`, `import('…')` type, `require('…')`
 * and `new URL('….ts|.mjs', import.meta.url)` (how a worker thread's entry is named) in a file.
 */
export function importsOf(file: string, source: string): ImportSite[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const sites: ImportSite[] = [];
  const add = (literal: ts.Node, kind: ImportKind): void => {
    if (!ts.isStringLiteralLike(literal)) return;
    const line = sourceFile.getLineAndCharacterOfPosition(literal.getStart(sourceFile)).line + 1;
    sites.push({ specifier: literal.text, kind, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node.moduleSpecifier, node.importClause?.isTypeOnly ? 'type import' : 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node.moduleSpecifier, 'export');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, 'require');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, 'type import');
    } else if (ts.isCallExpression(node) && node.arguments[0] !== undefined) {
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'dynamic import');
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'require');
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.length === 2 &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      CODE_URL.test(node.arguments[0].text) &&
      isImportMetaUrl(node.arguments[1] as ts.Node)
    ) {
      add(node.arguments[0], 'worker URL');
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return sites;
}

/** One alias: a pattern with at most one `*`, and the repository paths it stands for. */
export interface Alias {
  readonly pattern: string;
  readonly targets: readonly string[];
}

/** Where an import leads: a repository file, a package (outside the rules), or nowhere known. */
export type Resolved =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'package' }
  | { readonly kind: 'unresolved' };

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.mjs', '.js', '.d.ts'];

function normal(repoPath: string): string {
  return path.posix.normalize(repoPath).replace(/^\.\//, '');
}

/**
 * The file a repository path names, trying what TypeScript's bundler resolution tries: the path
 * itself, with a source extension, `.js` written for `.ts`, and a folder's index. A path that
 * matches no file is still returned as written, so a missing file is judged by its folder.
 */
function fileAt(repoPath: string, exists: (repoPath: string) => boolean): string {
  const bare = normal(repoPath.replace(/[?#].*$/, ''));
  const candidates = [bare, ...EXTENSIONS.map((ext) => bare + ext)];
  if (/\.[cm]?js$/.test(bare)) candidates.push(bare.replace(/\.([cm]?)js$/, '.$1ts'), bare.replace(/\.js$/, '.tsx'));
  candidates.push(...['index.ts', 'index.tsx'].map((index) => path.posix.join(bare, index)));
  return candidates.find(exists) ?? bare;
}

function matchAlias(specifier: string, alias: Alias): string | null {
  const star = alias.pattern.indexOf('*');
  if (star < 0) return specifier === alias.pattern ? '' : null;
  const prefix = alias.pattern.slice(0, star);
  const suffix = alias.pattern.slice(star + 1);
  if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix) || specifier.length < prefix.length + suffix.length) return null;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

/** Resolves one specifier written in `importer` (both repository-relative, `/`-separated). */
export function resolveImport(
  specifier: string,
  importer: string,
  aliases: readonly Alias[],
  exists: (repoPath: string) => boolean,
): Resolved {
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    return { kind: 'file', path: fileAt(path.posix.join(path.posix.dirname(importer), specifier), exists) };
  }
  for (const alias of aliases) {
    const captured = matchAlias(specifier, alias);
    if (captured === null) continue;
    const targets = alias.targets.map((target) => fileAt(target.replace('*', captured), exists));
    return { kind: 'file', path: targets.find(exists) ?? targets[0] ?? specifier };
  }
  // A `#` specifier is always the package's own; one no alias names would not resolve at all.
  return specifier.startsWith('#') ? { kind: 'unresolved' } : { kind: 'package' };
}

type ImportsField = string | null | { readonly [condition: string]: ImportsField };

function firstTarget(value: ImportsField): string | null {
  if (value === null || typeof value === 'string') return value;
  for (const condition of ['types', 'import', 'default', 'browser', 'node']) {
    const chosen = value[condition];
    if (chosen !== undefined) return firstTarget(chosen);
  }
  return null;
}

/** The aliases a package.json `imports` field and a tsconfig's `compilerOptions.paths` declare. */
export function aliasesFrom(
  packageJson: { readonly imports?: Record<string, ImportsField> },
  tsconfig: { readonly compilerOptions?: { readonly baseUrl?: string; readonly paths?: Record<string, readonly string[]> } },
): Alias[] {
  const aliases: Alias[] = [];
  for (const [pattern, value] of Object.entries(packageJson.imports ?? {})) {
    const target = firstTarget(value);
    if (target !== null) aliases.push({ pattern, targets: [normal(target)] });
  }
  const base = tsconfig.compilerOptions?.baseUrl ?? '.';
  for (const [pattern, targets] of Object.entries(tsconfig.compilerOptions?.paths ?? {})) {
    aliases.push({ pattern, targets: targets.map((target) => normal(path.posix.join(base, target))) });
  }
  return aliases;
}
