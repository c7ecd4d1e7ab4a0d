/**
 * The district comparison table worked out from the API's answers without React: one row per
 * region (GET /regions) with its rating (GET /risk), open incidents (GET /incidents) and access
 * (GET /equity), sorting by any column, and the CSV a planner opens in Excel.
 */
import { RISK_LEVELS, type EquityRegion, type Incident, type RegionCollection, type RegionRisk, type RiskLevel } from '#contract/index.ts';
import { isDrill, isOpen } from '../../session/incident-status.ts';
import { localDay } from '../../time/zoned-format.ts';

export interface ComparisonRow {
  code: string;
  name: string;
  /** The region's census figure; `null` when unknown. */
  population: number | null;
  level: RiskLevel | null;
  score: number | null;
  openIncidents: number;
  /** Capacity per resident (the API's unit); `null` until the equity answer is in. */
  meanAccess: number | null;
  /** 0–1. */
  zeroAccessShare: number | null;
  silent: boolean | null;
}

export function comparisonRows(
  regions: RegionCollection,
  ratings: ReadonlyMap<string, RegionRisk>,
  incidents: readonly (Pick<Incident, 'regionCode' | 'status'> & Partial<Pick<Incident, 'drill'>>)[],
  equity: readonly EquityRegion[] | null,
): ComparisonRow[] {
  const open = new Map<string, number>();
  for (const incident of incidents) {
    // Drills never count (the store leaves them out already; a caller's list might not).
    if (incident.regionCode === null || !isOpen(incident) || isDrill(incident)) continue;
    open.set(incident.regionCode, (open.get(incident.regionCode) ?? 0) + 1);
  }
  const access = new Map((equity ?? []).map((r) => [r.code, r]));
  return regions.features.map(({ properties: { code, name, population } }) => {
    const rating = ratings.get(code);
    const served = access.get(code);
    return {
      code,
      name,
      population,
      level: rating?.level ?? null,
      score: rating?.score ?? null,
      openIncidents: open.get(code) ?? 0,
      meanAccess: served?.meanAccess ?? null,
      zeroAccessShare: served?.zeroAccessShare ?? null,
      silent: served ? served.silent : null,
    };
  });
}

export type SortKey = 'name' | 'population' | 'risk' | 'open' | 'access' | 'zero' | 'silent';
export interface SortOrder {
  key: SortKey;
  descending: boolean;
}

/** The level's rank, green 0 … red 4, so "risk" sorts by level first and score within it. */
const LEVEL_RANK = new Map<RiskLevel, number>(RISK_LEVELS.map((level, rank) => [level, rank]));

const sortValue = (row: ComparisonRow, key: Exclude<SortKey, 'name' | 'risk'>): number | null => {
  switch (key) {
    case 'population': return row.population;
    case 'open': return row.openIncidents;
    case 'access': return row.meanAccess;
    case 'zero': return row.zeroAccessShare;
    case 'silent': return row.silent === null ? null : Number(row.silent);
  }
};

function compareNumbers(a: number | null, b: number | null, descending: boolean): number {
  // Unknown values stay at the bottom whichever way the column is sorted: they are not "smallest".
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return descending ? b - a : a - b;
}

/** The rows in `order`; ties (and unknowns) fall back to the district name, so the order is stable. */
export function sortRows(rows: readonly ComparisonRow[], order: SortOrder, locale: string): ComparisonRow[] {
  const collator = new Intl.Collator(locale);
  const byName = (a: ComparisonRow, b: ComparisonRow) => collator.compare(a.name, b.name) || a.code.localeCompare(b.code);
  const { key, descending } = order;
  const compare = (a: ComparisonRow, b: ComparisonRow): number => {
    if (key === 'name') return descending ? byName(b, a) : byName(a, b);
    if (key === 'risk') {
      const rank = (row: ComparisonRow) => (row.level === null ? null : (LEVEL_RANK.get(row.level) ?? 0));
      return compareNumbers(rank(a), rank(b), descending) || compareNumbers(a.score, b.score, descending);
    }
    return compareNumbers(sortValue(a, key), sortValue(b, key), descending);
  };
  return [...rows].sort((a, b) => compare(a, b) || byName(a, b));
}

/** The CSV's column headers and words, in the page's language. */
export interface CsvText {
  headers: readonly [code: string, name: string, population: string, level: string, score: string, open: string, access: string, zero: string, silent: string];
  levelName: (level: RiskLevel) => string;
  yes: string;
  no: string;
}

/** Access per 1,000 residents, as the table shows it. */
export const ACCESS_PER = 1000;

/**
 * One CSV field. Quoted when it holds a separator, quote or line break; text that a spreadsheet
 * would run as a formula (`=`, `+`, `-`, `@` first) gets a leading apostrophe, as OWASP advises.
 */
export function csvField(value: string, text: boolean): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows as CSV: UTF-8 byte-order mark first (Excel otherwise reads Chinese as mojibake), CRLF
 * line ends, numbers plain (a dot, no thousands separator) so any spreadsheet reads them as numbers;
 * score to 2 decimals, access per 1,000 residents to 3, the zero-access share in percent to 1.
 */
export function comparisonCsv(rows: readonly ComparisonRow[], text: CsvText): string {
  const num = (value: number | null, digits: number, scale = 1) => (value === null ? '' : (value * scale).toFixed(digits));
  const lines = [text.headers.map((h) => csvField(h, true)).join(',')];
  for (const row of rows) {
    lines.push(
      [
        csvField(row.code, true),
        csvField(row.name, true),
        row.population === null ? '' : String(Math.round(row.population)),
        row.level === null ? '' : csvField(text.levelName(row.level), true),
        num(row.score, 2),
        String(row.openIncidents),
        num(row.meanAccess, 3, ACCESS_PER),
        num(row.zeroAccessShare, 1, 100),
        row.silent === null ? '' : row.silent ? text.yes : text.no,
      ].join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** `city-brain-{what}-2026-11-23.{ext}`, dated by the centre's calendar (`zone`), like every date on the desk. */
export function exportFileName(what: string, ext: string, nowMs: number, zone: string): string {
  return `city-brain-${what}-${localDay(nowMs, zone)}.${ext}`;
}
