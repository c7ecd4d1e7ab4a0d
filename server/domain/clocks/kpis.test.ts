import { describe, expect, it } from 'vitest';
import type { Status } from '../../contract/incidents.ts';
import type { ClockTargets } from '../../contract/sla.ts';
import { milestonesOf } from './clocks.ts';
import { kpiGroups, nearestRank, type KpiIncident } from './kpis.ts';
import { workingCalendar } from './working-hours.ts';

const MIN = 60_000;
const H = 60 * MIN;
const T0 = Date.parse('2026-11-30T00:00:00Z');
const TARGETS: ClockTargets = { ackWithin: 600, dispatchWithin: 1200, arriveWithin: 1800, resolveWithin: 3600 };
const cal = workingCalendar({ timeZone: 'UTC', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' });
const period = { fromMs: T0, toMs: T0 + 10 * H, asOfMs: T0 + 10 * H };

/** An incident reported at `reportedMs` whose status steps follow at the given minutes after it. */
function incident(key: string | null, reportedMs: number, steps: [minutes: number, to: Status][]): KpiIncident {
  const history = [{ at: reportedMs, from: null, to: 'reported' as Status }, ...steps.map(([min, to]) => ({ at: reportedMs + min * MIN, from: null, to }))];
  return { keys: [key], milestones: milestonesOf(history, period.asOfMs)!, targets: TARGETS };
}

describe('nearest-rank percentiles', () => {
  it('take the value at rank ⌈p·n/100⌉', () => {
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([nearestRank(ten, 50), nearestRank(ten, 90)]).toEqual([5, 9]);
    const thirty = Array.from({ length: 30 }, (_, i) => i + 1);
    // 0.9 × 30 is 27.000000000000004 in floating point; the rank is 27, not 28.
    expect(nearestRank(thirty, 90)).toBe(27);
    expect([nearestRank([7], 50), nearestRank([7], 90)]).toEqual([7, 7]);
    expect(nearestRank([3, 8], 50)).toBe(3);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('KPIs of a period', () => {
  const incidents = [
    incident('r1', T0, [[5, 'acknowledged'], [10, 'dispatched'], [50, 'resolved']]),
    incident('r1', T0 + H, [[20, 'acknowledged'], [30, 'dispatched'], [120, 'resolved']]),
    // Its resolve clock is used up exactly at the period's end (running, undecided), but it waits
    // for dispatch 40 minutes past due: overdue and open.
    incident('r1', T0 + 9 * H, [[5, 'acknowledged']]),
    incident('r1', T0 + 10 * H, []),
    incident('r2', T0 + 2 * H, []),
    incident('r2', T0 - 5 * H, []),
    incident('r2', T0 + 3 * H, [[10, 'rejected']]),
    incident(null, T0 + 4 * H, [[1, 'resolved']]),
  ];
  const groups = kpiGroups(incidents, period, cal, false);

  it('counts, resolution rate and on-time share per group, computed by hand', () => {
    expect(groups.map((g) => g.key)).toEqual(['r1', 'r2', null]);
    const [r1, r2, none] = groups;
    // r1 judges two resolve clocks (one in time, one late); the third is still running at the end.
    expect(r1).toMatchObject({ count: 3, resolved: 2, resolutionRate: 2 / 3, onTimeShare: 0.5, judged: 2, backlog: 1, overdueOpen: 1 });
    // The one reported before the period is backlog, not counted; the rejected one is neither.
    expect(r2).toMatchObject({ count: 1, resolved: 0, resolutionRate: 0, onTimeShare: 0, judged: 1, backlog: 2, overdueOpen: 2 });
    expect(none).toMatchObject({ count: 1, resolved: 1, resolutionRate: 1, onTimeShare: 1, judged: 1, backlog: 0, overdueOpen: 0 });
  });

  it('median and p90 of the clocks that stopped, in seconds', () => {
    const [r1, r2, none] = groups;
    expect(r1!.ack).toEqual({ median: 300, p90: 1200, samples: 3 });
    expect(r1!.dispatch).toEqual({ median: 600, p90: 1800, samples: 2 });
    expect(r1!.resolve).toEqual({ median: 3000, p90: 7200, samples: 2 });
    expect(r1!.arrive).toEqual({ median: null, p90: null, samples: 0 });
    expect(r2!.ack).toEqual({ median: null, p90: null, samples: 0 });
    expect(none!.resolve).toEqual({ median: 60, p90: 60, samples: 1 });
  });

  it('an incident closed before the period makes no group of its own', () => {
    const before = incident('old', T0 - 5 * H, [[10, 'acknowledged'], [20, 'dispatched'], [30, 'resolved']]);
    expect(kpiGroups([before, incidents[0]!], period, cal, false).map((g) => g.key)).toEqual(['r1']);
  });

  it('an incident in several groups counts once in each, and once only in a group named twice', () => {
    const shared = { ...incidents[0]!, keys: ['u1', 'u2', 'u1'] };
    expect(kpiGroups([shared], period, cal, false).map((g) => [g.key, g.count])).toEqual([
      ['u1', 1],
      ['u2', 1],
    ]);
  });
});
