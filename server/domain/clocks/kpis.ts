/**
 * KPIs of a period from incidents' clocks (docs/domain.md §15.4): counts, resolution rate, on-time
 * share, backlog and overdue open incidents, and nearest-rank median and p90 of each clock, per group.
 */
import type { ClockTargets, ClockKpi, KpiGroup } from '../../contract/sla.ts';
import { CLOCKS } from '../../contract/sla.ts';
import { readClocks, type Milestones } from './clocks.ts';
import type { WorkingCalendar } from './working-hours.ts';

/**
 * The `p`-th percentile (`p` a whole number 1–100) of values sorted ascending, by nearest rank:
 * the value at rank ⌈p·n/100⌉ (1-based). The median is p = 50, the lower middle value when n is even.
 * `null` for no values.
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  // p·n is a whole number, so the division is exact enough for ceil (0.9·30 in floating point is not).
  const rank = Math.ceil((p * sorted.length) / 100);
  return sorted[Math.max(1, rank) - 1] ?? null;
}

export function clockKpi(values: readonly number[]): ClockKpi {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), samples: sorted.length };
}

/** An incident as the KPIs read it: its milestones at the period's `asOfMs`, its targets, its groups. */
export interface KpiIncident {
  /** The groups it counts in: one region or category; each agency or unit assigned to it (`null`: none). */
  keys: readonly (string | null)[];
  milestones: Milestones;
  targets: ClockTargets;
}

/** `[fromMs, toMs)`, read as things stood at `asOfMs` (the end, or now when the period has not ended). */
export interface KpiPeriod {
  fromMs: number;
  toMs: number;
  asOfMs: number;
}

interface Tally {
  count: number;
  resolved: number;
  onTime: number;
  late: number;
  backlog: number;
  overdueOpen: number;
  samples: Record<(typeof CLOCKS)[number], number[]>;
}

const emptyTally = (): Tally => ({ count: 0, resolved: 0, onTime: 0, late: 0, backlog: 0, overdueOpen: 0, samples: { ack: [], dispatch: [], arrive: [], resolve: [] } });

/**
 * Counted: reported in `[fromMs, toMs)` and not rejected or cancelled by `asOfMs`. Backlog: reported
 * before `toMs` (in the period or earlier) and still open at `asOfMs`; overdue open: backlog with a
 * clock running past its due time. Clock times: of counted incidents whose clock stopped, in seconds.
 * On-time share: of counted incidents whose resolve clock is decided (stopped, or running past due),
 * the share resolved in time; `judged` says how many were decided. A group exists when an incident in it is counted or in the backlog;
 * groups are sorted by key, `null` last.
 */
export function kpiGroups(incidents: readonly KpiIncident[], period: KpiPeriod, calendar: WorkingCalendar, arrivals: boolean): KpiGroup[] {
  const tallies = new Map<string | null, Tally>();
  for (const { keys, milestones: m, targets } of incidents) {
    if (m.reportedMs > period.asOfMs || m.reportedMs >= period.toMs) continue;
    const clocks = readClocks(m, targets, calendar, period.asOfMs, arrivals);
    const counted = m.reportedMs >= period.fromMs && m.status !== 'rejected' && m.status !== 'cancelled';
    const open = m.closedMs === null;
    const overdueNow = open && CLOCKS.some((c) => clocks[c]?.state === 'overdue' && clocks[c]?.stopMs === null);
    const resolve = clocks.resolve;
    // An incident neither counted nor open (closed before the period) makes no group.
    if (!counted && !open) continue;
    for (const key of new Set(keys)) {
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = emptyTally()));
      if (open) t.backlog++;
      if (overdueNow) t.overdueOpen++;
      if (!counted) continue;
      t.count++;
      if (m.status === 'resolved') t.resolved++;
      if (resolve && resolve.state === 'met') t.onTime++;
      else if (resolve && resolve.state === 'overdue') t.late++;
      for (const c of CLOCKS) {
        const r = clocks[c];
        if (r && r.stopMs !== null) t.samples[c].push(r.elapsedMs / 1000);
      }
    }
  }
  const keys = [...tallies.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((key) => {
    const t = tallies.get(key)!;
    return {
      key,
      count: t.count,
      resolved: t.resolved,
      resolutionRate: t.count === 0 ? null : t.resolved / t.count,
      onTimeShare: t.onTime + t.late === 0 ? null : t.onTime / (t.onTime + t.late),
      judged: t.onTime + t.late,
      overdueOpen: t.overdueOpen,
      backlog: t.backlog,
      ack: clockKpi(t.samples.ack),
      dispatch: clockKpi(t.samples.dispatch),
      arrive: clockKpi(t.samples.arrive),
      resolve: clockKpi(t.samples.resolve),
    };
  });
}
