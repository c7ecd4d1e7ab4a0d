import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UnitPosition } from '../contract/units.ts';
import { PositionCoalescer } from './position-coalescer.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const pos = (unitId: string, atMs: number, lon = 120): UnitPosition => ({ unitId, lon, lat: 30, at: new Date(T0 + atMs).toISOString(), speed: null, heading: null });
const ats = (list: UnitPosition[]) => list.map((p) => [p.unitId, Date.parse(p.at) - T0]);

describe('PositionCoalescer', () => {
  it("sends a unit's first position at once", () => {
    const c = new PositionCoalescer(1000);
    c.offer(pos('a', 0));
    expect(c.nextDueMs()).toBeLessThanOrEqual(T0);
    expect(ats(c.take(T0))).toEqual([['a', 0]]);
    expect(c.size).toBe(0);
    expect(c.nextDueMs()).toBeNull();
  });

  it('holds later ones until a second after the last send, then sends only the newest', () => {
    const c = new PositionCoalescer(1000);
    c.offer(pos('a', 0));
    c.take(T0);
    c.offer(pos('a', 250));
    c.offer(pos('a', 500));
    expect(c.take(T0 + 999)).toEqual([]);
    expect(c.nextDueMs()).toBe(T0 + 1000);
    c.offer(pos('a', 750));
    expect(ats(c.take(T0 + 1000))).toEqual([['a', 750]]);
  });

  it('never lets an older position replace a newer one, waiting or sent', () => {
    const c = new PositionCoalescer(1000);
    c.offer(pos('a', 500));
    c.offer(pos('a', 400));
    expect(ats(c.take(T0))).toEqual([['a', 500]]);
    c.offer(pos('a', 500));
    c.offer(pos('a', 100));
    expect(c.size).toBe(0);
  });

  it('keeps each unit to its own pace', () => {
    const c = new PositionCoalescer(1000);
    c.offer(pos('a', 0));
    c.take(T0);
    c.offer(pos('a', 100));
    c.offer(pos('b', 100));
    expect(ats(c.take(T0 + 100))).toEqual([['b', 100]]);
    expect(c.nextDueMs()).toBe(T0 + 1000);
  });

  it('over any schedule: at most one position per unit per interval, in time order, and the newest always arrives in the end', () => {
    const step = fc.record({ unit: fc.constantFrom('a', 'b', 'c', 'd'), atMs: fc.integer({ min: 0, max: 10_000 }), advanceMs: fc.integer({ min: 0, max: 700 }), take: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 80 }), (steps) => {
        const c = new PositionCoalescer(1000);
        let now = T0;
        const sent: { unitId: string; atMs: number; sentMs: number }[] = [];
        const record = (list: UnitPosition[]) => list.forEach((p) => sent.push({ unitId: p.unitId, atMs: Date.parse(p.at) - T0, sentMs: now }));
        for (const s of steps) {
          c.offer(pos(s.unit, s.atMs));
          now += s.advanceMs;
          if (s.take) record(c.take(now));
        }
        // Drain: whatever waits falls due within one interval.
        now += 1000;
        record(c.take(now));
        expect(c.size).toBe(0);
        for (const unit of ['a', 'b', 'c', 'd']) {
          const mine = sent.filter((x) => x.unitId === unit);
          for (let i = 1; i < mine.length; i++) {
            expect(mine[i]!.sentMs - mine[i - 1]!.sentMs).toBeGreaterThanOrEqual(1000);
            expect(mine[i]!.atMs).toBeGreaterThan(mine[i - 1]!.atMs);
          }
          const offered = steps.filter((s) => s.unit === unit).map((s) => s.atMs);
          expect(mine.at(-1)?.atMs).toBe(offered.length > 0 ? Math.max(...offered) : undefined);
        }
      }),
      { numRuns: 300 },
    );
  });
});
