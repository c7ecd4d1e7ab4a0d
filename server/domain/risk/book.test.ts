/**
 * The book's incremental re-rating must give exactly what re-rating every region gives. Book A
 * behaves like the service (timer re-rates all when time moves on, each event re-rates only the
 * regions it touches); book B re-rates every region after every event. After each step their
 * snapshots must be equal, whatever the sequence of new incidents, status changes and moves.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Category, Severity, Status } from '../../contract/incidents.ts';
import { RiskBook, type RiskRegion } from './book.ts';
import { DEFAULT_RISK_CONFIG } from './config.ts';
import { rateRegion } from './rate.ts';
import type { RiskIncident } from './score.ts';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-20T00:00:00Z');
const REGIONS: RiskRegion[] = [
  { code: 'A', name: 'A', population: 1_000 },
  { code: 'B', name: 'B', population: 5_000 },
  { code: 'C', name: 'C', population: null },
  { code: 'D', name: 'D', population: 200 },
];
const SEVERITIES: Severity[] = ['unknown', 'minor', 'moderate', 'severe', 'extreme'];
const CATEGORIES: Category[] = ['fire', 'traffic', 'hotline', 'hazmat'];

type Step =
  | { kind: 'tick'; hours: number }
  | { kind: 'add'; region: string | null; severity: Severity; category: Category; ageHours: number; dx: number; dy: number }
  | { kind: 'status'; pick: number; status: Status }
  | { kind: 'move'; pick: number; region: string | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('tick' as const), hours: fc.integer({ min: 1, max: 30 }) }),
  fc.record({
    kind: fc.constant('add' as const),
    region: fc.constantFrom('A', 'B', 'C', 'D', null),
    severity: fc.constantFrom(...SEVERITIES),
    category: fc.constantFrom(...CATEGORIES),
    ageHours: fc.integer({ min: -2, max: 200 }),
    dx: fc.integer({ min: 0, max: 3 }),
    dy: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom<Status>('acknowledged', 'resolved', 'rejected') }),
  fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), region: fc.constantFrom('A', 'B', 'C', 'D', null) }),
);

describe('RiskBook', () => {
  it('incremental re-rating equals re-rating every region, step by step', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
        const incremental = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
        const full = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
        let now = T0;
        incremental.rateAll(now);
        full.rateAll(now);
        const held: RiskIncident[] = [];
        steps.forEach((s, i) => {
          let changed: RiskIncident | null = null;
          if (s.kind === 'tick') {
            now += s.hours * HOUR;
            incremental.rateAll(now); // the decay timer
            full.rateAll(now);
          } else if (s.kind === 'add') {
            // Points on a 250 m grid: some land within 500 m of each other and form clusters.
            changed = { id: `i${i}`, regionCode: s.region, category: s.category, severity: s.severity, status: 'reported', occurredAtMs: now - s.ageHours * HOUR, lon: 120 + s.dx * 0.0026, lat: 30 + s.dy * 0.00225 };
            held.push(changed);
          } else if (held.length > 0) {
            const at = s.pick % held.length;
            const before = held[at]!;
            changed = s.kind === 'status' ? { ...before, status: s.status } : { ...before, regionCode: s.region };
            held[at] = changed;
          }
          if (changed) {
            incremental.rate(incremental.put(changed), now);
            full.put(changed);
            full.rateAll(now);
          }
          expect(incremental.snapshot()).toEqual(full.snapshot());
        });
      }),
      { numRuns: 200, seed: 20261123 },
    );
  });

  it('an incident in one region leaves the others untouched', () => {
    const book = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
    book.rateAll(T0);
    const touched = book.put({ id: 'x', regionCode: 'D', category: 'fire', severity: 'severe', status: 'reported', occurredAtMs: T0, lon: 120, lat: 30 });
    expect(touched).toEqual(['D']);
    // 5 × 10,000 / 200 = 250 ≥ 10: red, found by re-rating D alone.
    expect(book.rate(touched, T0).map((c) => [c.code, c.from, c.to])).toEqual([['D', 'green', 'red']]);
    // Moving it to A touches both; rejecting it afterwards touches A only.
    expect(book.put({ id: 'x', regionCode: 'A', category: 'fire', severity: 'severe', status: 'reported', occurredAtMs: T0, lon: 120, lat: 30 }).sort()).toEqual(['A', 'D']);
    expect(book.put({ id: 'x', regionCode: 'A', category: 'fire', severity: 'severe', status: 'rejected', occurredAtMs: T0, lon: 120, lat: 30 })).toEqual(['A']);
    expect(book.size).toBe(0);
  });

  it('restored levels are the previous state of the first rating (hysteresis across restarts)', () => {
    const book = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
    book.restore('A', { level: 'red', sinceMs: T0 - 2 * HOUR });
    const [change] = book.rateAll(T0).filter((c) => c.code === 'A');
    // No incidents: the rules say green, but red was taken 2 h ago: held for 24 h.
    expect(change).toBeUndefined();
    expect(book.snapshot().find((r) => r.code === 'A')?.level).toBe('red');
    const later = book.rateAll(T0 + 23 * HOUR).find((c) => c.code === 'A');
    expect(later).toMatchObject({ from: 'red', to: 'orange' });
  });

  it('prune forgets what no rule reads any more, and ratings do not change by it', () => {
    const book = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
    const old = { id: 'old', regionCode: 'B', category: 'fire' as const, severity: 'minor' as const, status: 'reported' as const, occurredAtMs: T0 - 169 * HOUR, lon: 120, lat: 30 };
    const recent = { ...old, id: 'recent', occurredAtMs: T0 - HOUR };
    book.put(old);
    book.put(recent);
    book.rateAll(T0);
    const before = book.snapshot();
    expect(book.prune(T0)).toBe(1);
    book.rateAll(T0);
    expect(book.snapshot()).toEqual(before);
    // Independent check of B's score: one minor incident 1 h old, 5,000 residents.
    expect(before.find((r) => r.code === 'B')?.score).toBeCloseTo((10_000 * 0.5 ** (1 / 24)) / 5_000, 12);
  });

  it('rates incidents in arrival order, a changed one counting as the latest arrival', () => {
    // Order decides which cluster a point between two joins (its first core in input order), so it
    // shows in the biggest cluster's size. With minCount 4, x at 500 m has 3 within 500 m (itself,
    // w4 at 1 m and e0 at 999 m): a border point of west (5 cores) or east (4 cores).
    const config = { ...DEFAULT_RISK_CONFIG, cluster: { ...DEFAULT_RISK_CONFIG.cluster, minCount: 4 } };
    const metre = 180 / Math.PI / 6_371_008.8 / Math.cos((30 * Math.PI) / 180);
    const at = (id: string, m: number): RiskIncident => ({ id, regionCode: 'A', category: 'fire', severity: 'minor', status: 'reported', occurredAtMs: T0 - HOUR, lon: 120 + m * metre, lat: 30 });
    const east = [999, 1010, 1020, 1030].map((m, i) => at(`e${i}`, m));
    const west = [-40, -30, -20, -10, 1].map((m, i) => at(`w${i}`, m));
    const book = new RiskBook(config, REGIONS);
    for (const x of [...east, ...west, at('x', 500)]) book.put(x);
    const clusterRule = (code: string) => book.snapshot().find((r) => r.code === code)?.explanation.rules.find((r) => r.rule === 'cluster')?.message;
    book.rateAll(T0);
    // x joins east (e0 comes before w4): 5 and 5.
    expect(clusterRule('A')).toMatch(/^cluster of 5 within 500 m/);
    book.put({ ...east[0]!, status: 'acknowledged' });
    book.rateAll(T0);
    // e0 changed, so it now comes after w4: x joins west, 6 and 4.
    expect(clusterRule('A')).toMatch(/^cluster of 6 within 500 m/);
  });

  it('a region unknown to the book is ignored, and rateRegion agrees with the book on one region', () => {
    const book = new RiskBook(DEFAULT_RISK_CONFIG, REGIONS);
    const x: RiskIncident = { id: 'y', regionCode: 'Z', category: 'fire', severity: 'extreme', status: 'reported', occurredAtMs: T0, lon: 120, lat: 30 };
    expect(book.put(x)).toEqual([]);
    const b = { ...x, id: 'b', regionCode: 'B' };
    book.put(b);
    const [rated] = book.rate(['B'], T0);
    const direct = rateRegion({ incidents: [b], population: 5_000, previous: null, nowMs: T0, config: DEFAULT_RISK_CONFIG });
    expect(rated?.region.score).toBe(direct.score);
    expect(rated?.to).toBe('red'); // 10 × 10,000 / 5,000 = 20 ≥ 10
  });
});
