/**
 * The console's KPI table as data: rows from `GET /api/v1/kpis`, the period asked for, sorting by
 * any column, figures as the table shows them (clock times in minutes) and the CSV a supervisor
 * opens in Excel. Pure: time, zone and words are parameters.
 */
import type { KpiGroup } from '#contract/index.ts';
import { wallClock } from '../../time/zoned-format.ts';
import { csvField } from '../planner/district-comparison.ts';

/** The groupings the console offers: the server also groups by category and unit. */
export type KpiGrouping = 'region' | 'agency';
/** Today since the centre's midnight, or the seven calendar days ending today. */
export type KpiPeriod = 'today' | 'week';

export const KPI_COLUMNS = [
  'name',
  'count',
  'resolved',
  'resolutionRate',
  'onTimeShare',
  'overdueOpen',
  'backlog',
  'ack',
  'dispatch',
  'arrive',
  'resolve',
] as const;
export type KpiColumn = (typeof KPI_COLUMNS)[number];
export const CLOCK_COLUMNS = ['ack', 'dispatch', 'arrive', 'resolve'] as const;
type ClockColumn = (typeof CLOCK_COLUMNS)[number];

/** One group as a row: `name` is what the table shows for its key; clock figures are medians in seconds. */
export interface KpiRow {
  key: string | null;
  name: string;
  count: number;
  resolved: number;
  resolutionRate: number | null;
  onTimeShare: number | null;
  overdueOpen: number;
  backlog: number;
  ack: number | null;
  dispatch: number | null;
  arrive: number | null;
  resolve: number | null;
}

export interface KpiOrder {
  column: KpiColumn;
  descending: boolean;
}

/** `[from, to)` in ms for a period ending at `nowMs`, days counted on the centre's calendar (`zone`). */
export function periodRange(period: KpiPeriod, nowMs: number, zone: string): { fromMs: number; toMs: number } {
  const wall = wallClock(nowMs, zone);
  const sinceMidnightMs = ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + (((nowMs % 1000) + 1000) % 1000);
  const midnightMs = nowMs - sinceMidnightMs;
  return { fromMs: period === 'today' ? midnightMs : midnightMs - 6 * 86_400_000, toMs: nowMs };
}

/** The rows, each group's key named by `nameOf` (`null` key: outside every district, or no agency). */
export function kpiRows(groups: readonly KpiGroup[], nameOf: (key: string | null) => string): KpiRow[] {
  return groups.map((g) => ({
    key: g.key,
    name: nameOf(g.key),
    count: g.count,
    resolved: g.resolved,
    resolutionRate: g.resolutionRate,
    onTimeShare: g.onTimeShare,
    overdueOpen: g.overdueOpen,
    backlog: g.backlog,
    ack: g.ack.median,
    dispatch: g.dispatch.median,
    arrive: g.arrive.median,
    resolve: g.resolve.median,
  }));
}

/**
 * Rows in the order asked for; a row without a figure (`null`) goes last either way, ties by name
 * (in the page's language's collation), so the order never depends on the server's.
 */
export function sortKpiRows(rows: readonly KpiRow[], order: KpiOrder, lang: string): KpiRow[] {
  const collator = new Intl.Collator(lang);
  const byName = (a: KpiRow, b: KpiRow) => collator.compare(a.name, b.name);
  const sign = order.descending ? -1 : 1;
  const compare = (a: KpiRow, b: KpiRow): number => {
    if (order.column === 'name') return sign * byName(a, b);
    const x = a[order.column];
    const y = b[order.column];
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * (x - y);
  };
  return [...rows].sort((a, b) => compare(a, b) || byName(a, b));
}

/** The next order after a click on `column`: the same column flips, a new one starts with the largest figure (the name A–Z). */
export function nextOrder(current: KpiOrder, column: KpiColumn): KpiOrder {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column !== 'name' };
}

/** Seconds as minutes to one decimal (`90` → `1.5`); `null` (no clock stopped) as an em dash. */
export function formatMinutes(seconds: number | null): string {
  return seconds === null ? '—' : (seconds / 60).toFixed(1);
}

/** A share as a percentage to one decimal (`0.875` → `87.5%`); `null` (nothing to judge) as an em dash. */
export function formatShare(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

/** What the table shows in a cell. */
export function cellText(row: KpiRow, column: KpiColumn): string {
  if (column === 'name') return row.name;
  if (column === 'resolutionRate' || column === 'onTimeShare') return formatShare(row[column]);
  if ((CLOCK_COLUMNS as readonly string[]).includes(column)) return formatMinutes(row[column as ClockColumn]);
  return String(row[column]);
}

/**
 * The rows as CSV, in the shown order: UTF-8 byte-order mark (Excel reads Chinese right), CRLF line
 * ends, numbers plain so a spreadsheet reads them as numbers: shares in percent to 1 decimal, clock
 * medians in minutes to 1 decimal, an empty field where there is no figure; names made formula-safe.
 */
export function kpiCsv(rows: readonly KpiRow[], headers: Readonly<Record<KpiColumn, string>>): string {
  const lines = [KPI_COLUMNS.map((c) => csvField(headers[c], true)).join(',')];
  const percent = (value: number | null) => (value === null ? '' : (value * 100).toFixed(1));
  for (const row of rows) {
    lines.push(
      KPI_COLUMNS.map((c) => {
        if (c === 'name') return csvField(row.name, true);
        if (c === 'resolutionRate' || c === 'onTimeShare') return percent(row[c]);
        if ((CLOCK_COLUMNS as readonly string[]).includes(c)) return formatMinutes(row[c as ClockColumn]).replace('—', '');
        return String(row[c]);
      }).join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
