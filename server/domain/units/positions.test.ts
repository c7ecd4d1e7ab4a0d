import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isNewer, keepsOnTrack, planPositions, TRACK_INTERVAL_MS, type PositionState, type TimedReport } from './positions.ts';

const S = 1000;
const report = (index: number, unitId: string, atS: number): TimedReport => ({ index, unitId, atMs: atS * S });
const state = (entries: Record<string, [atS: number | null, trackAtS: number | null]>): Map<string, PositionState> =>
  new Map(Object.entries(entries).map(([id, [at, track]]) => [id, { atMs: at === null ? null : at * S, trackAtMs: track === null ? null : track * S }]));

describe('isNewer and keepsOnTrack', () => {
  it('a report moves a unit only when strictly later than its stored position', () => {
    expect(isNewer(5, null)).toBe(true);
    expect(isNewer(5, 4)).toBe(true);
    expect(isNewer(5, 5)).toBe(false);
    expect(isNewer(4, 5)).toBe(false);
  });

  it('the track keeps a point 30 s or more after the last kept one', () => {
    expect(TRACK_INTERVAL_MS).toBe(30_000);
    expect(keepsOnTrack(0, null)).toBe(true);
    expect(keepsOnTrack(29_999, 0)).toBe(false);
    expect(keepsOnTrack(30_000, 0)).toBe(true);
  });
});

describe('planPositions', () => {
  it('moves each unit to its newest report, whatever order the batch holds them in', () => {
    const plan = planPositions([report(0, 'a', 20), report(1, 'a', 50), report(2, 'b', 7), report(3, 'a', 35)], state({ a: [10, 10], b: [null, null] }));
    expect(plan.latest.map((r) => [r.unitId, r.atMs / S])).toEqual([['a', 50], ['b', 7]]);
    expect(plan.late).toEqual([]);
  });

  it('a late report does not move the unit back; an equal time is late too', () => {
    const plan = planPositions([report(0, 'a', 90), report(1, 'a', 100), report(2, 'b', 5)], state({ a: [100, 100], b: [4, 4] }));
    expect(plan.latest.map((r) => r.unitId)).toEqual(['b']);
    expect(plan.late).toEqual([0, 1]);
  });

  it('thins the track: one point at least every 30 s per unit, counted from the stored last kept point', () => {
    // Stored track point at 0 s; reports every 10 s up to 100 s keep 30, 60 and 90.
    const reports = Array.from({ length: 10 }, (_, i) => report(i, 'a', (i + 1) * 10));
    const plan = planPositions(reports, state({ a: [0, 0] }));
    expect(plan.kept.map((r) => r.atMs / S)).toEqual([30, 60, 90]);
    expect(plan.trackAtMs.get('a')).toBe(90 * S);
  });

  it('a late report can still fill the track when it is 30 s past the last kept point', () => {
    const plan = planPositions([report(0, 'a', 95)], state({ a: [100, 60] }));
    expect(plan.latest).toEqual([]);
    expect(plan.late).toEqual([0]);
    expect(plan.kept.map((r) => r.atMs / S)).toEqual([95]);
  });

  it('refuses to plan for a unit it has no state of', () => {
    expect(() => planPositions([report(0, 'ghost', 1)], state({}))).toThrow(/ghost/);
  });

  it('matches a naive replay of the reports one by one in time order', () => {
    // The naive model: reports applied one at a time, sorted by time (ties in send order).
    const arb = fc.array(fc.record({ unit: fc.constantFrom('a', 'b', 'c'), atS: fc.integer({ min: 0, max: 300 }) }), { maxLength: 40 });
    const start = fc.record({ at: fc.option(fc.integer({ min: 0, max: 300 })), track: fc.option(fc.integer({ min: 0, max: 300 })) });
    fc.assert(
      fc.property(arb, start, start, start, (raw, sa, sb, sc) => {
        const initial = { a: sa, b: sb, c: sc };
        const reports = raw.map((r, i) => report(i, r.unit, r.atS));
        const plan = planPositions(reports, state({ a: [sa.at, sa.track], b: [sb.at, sb.track], c: [sc.at, sc.track] }));
        for (const unit of ['a', 'b', 'c'] as const) {
          let at = initial[unit].at === null ? null : initial[unit].at * S;
          let kept = initial[unit].track === null ? null : initial[unit].track * S;
          let newest: number | null = null;
          const keptTimes: number[] = [];
          const mine = reports.filter((r) => r.unitId === unit).sort((x, y) => x.atMs - y.atMs || x.index - y.index);
          const lateHere: number[] = [];
          for (const r of mine) {
            if (at === null || r.atMs > at) {
              at = r.atMs;
              newest = r.atMs;
            } else if (initial[unit].at !== null && r.atMs <= initial[unit].at * S) {
              lateHere.push(r.index);
            }
            if (kept === null || r.atMs - kept >= 30 * S) {
              kept = r.atMs;
              keptTimes.push(r.atMs);
            }
          }
          expect(plan.latest.find((r) => r.unitId === unit)?.atMs ?? null).toBe(newest);
          expect(plan.kept.filter((r) => r.unitId === unit).map((r) => r.atMs)).toEqual(keptTimes);
          expect(plan.late.filter((i) => reports[i]!.unitId === unit).sort((x, y) => x - y)).toEqual(lateHere.sort((x, y) => x - y));
        }
      }),
      { numRuns: 300 },
    );
  });
});
