import { describe, expect, it } from 'vitest';
import type { KpiGroup } from '#contract/index.ts';
import { cellText, formatMinutes, formatShare, kpiCsv, kpiRows, nextOrder, periodRange, sortKpiRows, type KpiColumn } from './kpi-table-model.ts';

const clock = (median: number | null) => ({ median, p90: median === null ? null : median * 2, samples: median === null ? 0 : 3 });
function group(key: string | null, count: number, onTimeShare: number | null, arrive: number | null): KpiGroup {
  return {
    key,
    count,
    resolved: Math.floor(count / 2),
    resolutionRate: count === 0 ? null : Math.floor(count / 2) / count,
    onTimeShare,
    judged: onTimeShare === null ? 0 : count,
    overdueOpen: count % 3,
    backlog: count - Math.floor(count / 2),
    ack: clock(60),
    dispatch: clock(null),
    arrive: clock(arrive),
    resolve: clock(3600),
  };
}

const names: Record<string, string> = { a: 'Alpha', b: 'Beta', c: 'Gamma' };
const nameOf = (key: string | null) => (key === null ? 'Outside' : (names[key] ?? key));
const rows = kpiRows([group('b', 4, 0.5, 600), group('a', 10, null, 90), group('c', 4, 0.75, null), group(null, 1, 1, 30)], nameOf);
const order = (list: { name: string }[]) => list.map((r) => r.name);

describe('KPI table rows', () => {
  it('names each key and takes the medians', () => {
    expect(rows[1]).toEqual({
      key: 'a', name: 'Alpha', count: 10, resolved: 5, resolutionRate: 0.5, onTimeShare: null, overdueOpen: 1, backlog: 5,
      ack: 60, dispatch: null, arrive: 90, resolve: 3600,
    });
    expect(rows[3]?.name).toBe('Outside');
  });

  it('sorts by a figure either way with empty figures last and ties by name', () => {
    // count: Alpha 10, then Beta and Gamma tie at 4 (by name), Outside 1.
    expect(order(sortKpiRows(rows, { column: 'count', descending: true }, 'en'))).toEqual(['Alpha', 'Beta', 'Gamma', 'Outside']);
    expect(order(sortKpiRows(rows, { column: 'count', descending: false }, 'en'))).toEqual(['Outside', 'Beta', 'Gamma', 'Alpha']);
    // on-time share: Outside 1, Gamma 0.75, Beta 0.5, Alpha none: last both ways.
    expect(order(sortKpiRows(rows, { column: 'onTimeShare', descending: true }, 'en'))).toEqual(['Outside', 'Gamma', 'Beta', 'Alpha']);
    expect(order(sortKpiRows(rows, { column: 'onTimeShare', descending: false }, 'en'))).toEqual(['Beta', 'Gamma', 'Outside', 'Alpha']);
    // arrive: 30 (Outside), 90 (Alpha), 600 (Beta), Gamma none.
    expect(order(sortKpiRows(rows, { column: 'arrive', descending: false }, 'en'))).toEqual(['Outside', 'Alpha', 'Beta', 'Gamma']);
    expect(order(sortKpiRows(rows, { column: 'name', descending: true }, 'en'))).toEqual(['Outside', 'Gamma', 'Beta', 'Alpha']);
  });

  it('flips the same column and starts a new figure column largest first, names A–Z', () => {
    expect(nextOrder({ column: 'count', descending: true }, 'count')).toEqual({ column: 'count', descending: false });
    expect(nextOrder({ column: 'count', descending: true }, 'arrive')).toEqual({ column: 'arrive', descending: true });
    expect(nextOrder({ column: 'count', descending: true }, 'name')).toEqual({ column: 'name', descending: false });
  });

  it('shows seconds as minutes and shares as percentages', () => {
    expect(formatMinutes(90)).toBe('1.5');
    expect(formatMinutes(3600)).toBe('60.0');
    expect(formatMinutes(null)).toBe('—');
    expect(formatShare(0.875)).toBe('87.5%');
    expect(formatShare(null)).toBe('—');
    const alpha = rows[1]!;
    expect((['name', 'count', 'resolutionRate', 'onTimeShare', 'ack', 'dispatch', 'resolve'] as KpiColumn[]).map((c) => cellText(alpha, c))).toEqual([
      'Alpha', '10', '50.0%', '—', '1.0', '—', '60.0',
    ]);
  });

  it('writes CSV with a BOM, plain numbers, empty fields for no figure and formula-safe names', () => {
    const headers = {
      name: 'District', count: 'Count', resolved: 'Resolved', resolutionRate: 'Resolution %', onTimeShare: 'On time %', overdueOpen: 'Overdue',
      backlog: 'Backlog', ack: 'Ack min', dispatch: 'Dispatch min', arrive: 'Arrive min', resolve: 'Resolve min',
    };
    const risky = { ...rows[1]!, name: '=SUM(A1), "x"' };
    const csv = kpiCsv([risky, rows[0]!], headers);
    expect(csv).toBe(
      '\uFEFFDistrict,Count,Resolved,Resolution %,On time %,Overdue,Backlog,Ack min,Dispatch min,Arrive min,Resolve min\r\n' +
        `"'=SUM(A1), ""x""",10,5,50.0,,1,5,1.0,,1.5,60.0\r\n` +
        'Beta,4,2,50.0,50.0,1,2,1.0,,10.0,60.0\r\n',
    );
  });

  it('counts today from the centre\'s midnight and a week as the six days before it too', () => {
    // 2026-12-07 21:15:30.250 UTC is 2026-12-08 05:15:30.250 in Shanghai (UTC+8): midnight there is 2026-12-07 16:00 UTC.
    const now = Date.UTC(2026, 11, 7, 21, 15, 30, 250);
    expect(periodRange('today', now, 'Asia/Shanghai')).toEqual({ fromMs: Date.UTC(2026, 11, 7, 16), toMs: now });
    expect(periodRange('week', now, 'Asia/Shanghai')).toEqual({ fromMs: Date.UTC(2026, 11, 1, 16), toMs: now });
    expect(periodRange('today', now, 'UTC').fromMs).toBe(Date.UTC(2026, 11, 7));
  });
});
