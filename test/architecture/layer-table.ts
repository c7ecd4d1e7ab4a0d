/**
 * Reads the layer table out of docs/architecture.md ("The pieces, by folder"), so the document a
 * newcomer reads is the rule the import test enforces: change the table, and the rule changes.
 */

/**
 * One row: the folders (ending in `/`) and files it names, and the layer they sit on. What one row
 * names is one unit: its files may import one another.
 */
export interface LayerRow {
  /** Repository-relative paths, e.g. `server/domain/` or `server/app.ts`. */
  readonly paths: readonly string[];
  /** Smaller numbers sit lower; a file may import only its own row and rows with smaller numbers. */
  readonly layer: number;
}

/** The heading of the section whose tables are the rule. */
export const TABLE_SECTION = 'The pieces, by folder';

/** The text of one `## …` section of a markdown document, without its heading; throws if absent. */
export function sectionOf(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`the document has no "## ${heading}" section`);
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim());
}

/**
 * Every row of every table in the section that has a `layer` and a `folder` column. A folder cell
 * names one or more paths in backticks. Tables without those two columns are left alone, so the
 * section can hold other tables.
 */
export function parseLayerTable(markdown: string, heading: string = TABLE_SECTION): LayerRow[] {
  const rows: LayerRow[] = [];
  let columns: { layer: number; folder: number } | null = null;
  let inTable = false;
  for (const line of sectionOf(markdown, heading).split('\n')) {
    if (!line.trim().startsWith('|')) {
      inTable = false;
      columns = null;
      continue;
    }
    const cells = cellsOf(line);
    if (!inTable) {
      inTable = true;
      const names = cells.map((cell) => cell.toLowerCase());
      const layer = names.indexOf('layer');
      const folder = names.indexOf('folder');
      columns = layer >= 0 && folder >= 0 ? { layer, folder } : null;
      continue;
    }
    if (columns === null || cells.every((cell) => /^:?-+:?$/.test(cell))) continue;
    const layerText = cells[columns.layer] ?? '';
    if (!/^\d+$/.test(layerText)) throw new Error(`layer table row "${line.trim()}": layer "${layerText}" is not a whole number`);
    const paths = [...(cells[columns.folder] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? '');
    if (paths.length === 0) throw new Error(`layer table row "${line.trim()}" names no path in backticks`);
    rows.push({ paths, layer: Number(layerText) });
  }
  const seen = new Set<string>();
  for (const path of rows.flatMap((row) => row.paths)) {
    if (seen.has(path)) throw new Error(`layer table names ${path} twice`);
    seen.add(path);
  }
  return rows;
}

/** The most specific row covering a path (an exact file row, else the longest folder prefix). */
export function rowFor(rows: readonly LayerRow[], path: string): LayerRow | undefined {
  let best: { row: LayerRow; length: number } | undefined;
  for (const row of rows) {
    for (const named of row.paths) {
      const covers = named.endsWith('/') ? path.startsWith(named) : path === named;
      if (covers && (best === undefined || named.length > best.length)) best = { row, length: named.length };
    }
  }
  return best?.row;
}
