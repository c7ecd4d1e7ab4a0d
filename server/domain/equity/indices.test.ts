import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../demo/random.ts';
import { equityIndices, lorenzCurve } from './indices.ts';

/** docs/domain.md §7 literally: the O(n²) pair sum and the Theil sum, written apart from the module. */
function referenceIndices(access: readonly number[], population: readonly number[]) {
  const P = population.reduce((s, p) => s + p, 0);
  const mu = P > 0 ? access.reduce((s, a, i) => s + population[i]! * a, 0) / P : 0;
  if (P === 0 || mu === 0) return { P, mu, gini: 0, theil: 0 };
  let pairs = 0;
  for (let i = 0; i < access.length; i++) for (let j = 0; j < access.length; j++) pairs += population[i]! * population[j]! * Math.abs(access[i]! - access[j]!);
  let theil = 0;
  for (let i = 0; i < access.length; i++) {
    const r = access[i]! / mu;
    theil += r === 0 ? 0 : population[i]! * r * Math.log(r);
  }
  return { P, mu, gini: pairs / (2 * P * P * mu), theil: theil / P };
}

const relative = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));

describe('equityIndices', () => {
  it('matches a hand-computed town', () => {
    // The town of access.test.ts: A = [1/3, 1/3 + 0.12, 0.12, 0], p = [100, 200, 300, 400], P = 1,000
    // Σ p·A = 100/3 + 200·(1/3 + 0.12) + 300·0.12 = 160  →  μ = 0.16; zero-access share 400/1000
    // Σ_{i<j} p_i p_j |A_i − A_j|, sorted by A (c3 0, c2 .12, c0 1/3, c1 .45333…):
    //   c3–c2 14,400   c3–c0 13,333.33   c3–c1 36,266.67   c2–c0 6,400   c2–c1 20,000   c0–c1 2,400
    //   = 92,800; gini = 2 · 92,800 / (2 · 1,000² · 0.16) = 0.58
    // theil = (1/1000)·[100·(25/12)·ln(25/12) + 200·(17/6)·ln(17/6) + 300·0.75·ln 0.75]
    const r = equityIndices([1 / 3, 1 / 3 + 0.12, 0.12, 0], [100, 200, 300, 400]);
    expect(r.population).toBe(1000);
    expect(r.meanAccess).toBeCloseTo(0.16, 14);
    expect(r.zeroAccessShare).toBeCloseTo(0.4, 14);
    expect(r.gini).toBeCloseTo(0.58, 12);
    const theil = (100 * (25 / 12) * Math.log(25 / 12) + 200 * (17 / 6) * Math.log(17 / 6) + 300 * 0.75 * Math.log(0.75)) / 1000;
    expect(r.theil).toBeCloseTo(theil, 12);
    expect(r.theil).toBeCloseTo(0.67834, 4);
  });

  it('equals the O(n²) definition within 1e-9 on 2,000 random cells (ties, zeros, empty cells)', () => {
    const rand = mulberry32(4242);
    for (let round = 0; round < 3; round++) {
      const n = 2_000;
      const access = Array.from({ length: n }, () => (rand() < 0.2 ? 0 : rand() < 0.1 ? 0.5 : rand() * rand() * 3));
      const population = Array.from({ length: n }, () => (rand() < 0.1 ? 0 : Math.round(rand() * 1000)));
      const expected = referenceIndices(access, population);
      const r = equityIndices(Float64Array.from(access), Float64Array.from(population));
      expect(relative(r.population, expected.P)).toBeLessThanOrEqual(1e-12);
      expect(relative(r.meanAccess, expected.mu)).toBeLessThanOrEqual(1e-9);
      expect(relative(r.gini, expected.gini)).toBeLessThanOrEqual(1e-9);
      expect(relative(r.theil, expected.theil)).toBeLessThanOrEqual(1e-9);
      expect(r.gini).toBeGreaterThan(0.2);
    }
  });

  it('is 0 when everyone is equally without service, equally served, or nobody lives anywhere', () => {
    expect(equityIndices([0, 0, 0], [10, 20, 30])).toEqual({ population: 60, meanAccess: 0, gini: 0, theil: 0, zeroAccessShare: 1 });
    const equal = equityIndices([0.2, 0.2, 0.2], [10, 20, 30]);
    expect(equal.gini).toBeCloseTo(0, 15);
    expect(equal.theil).toBeCloseTo(0, 15);
    expect(equal.zeroAccessShare).toBe(0);
    expect(equityIndices([1, 2], [0, 0])).toEqual({ population: 0, meanAccess: 0, gini: 0, theil: 0, zeroAccessShare: 0 });
    expect(equityIndices([], [])).toEqual({ population: 0, meanAccess: 0, gini: 0, theil: 0, zeroAccessShare: 0 });
  });

  it('approaches 1 − 1/n and ln n when one of n equal groups has everything', () => {
    // n equal groups, one with all access: gini = (n − 1)/n, theil = ln n.
    const r = equityIndices([5, 0, 0, 0], [10, 10, 10, 10]);
    expect(r.gini).toBeCloseTo(0.75, 14);
    expect(r.theil).toBeCloseTo(Math.log(4), 14);
    expect(r.zeroAccessShare).toBeCloseTo(0.75, 14);
  });
});

describe('lorenzCurve', () => {
  it('gives the hand-computed town’s breakpoints', () => {
    // Sorted by A: c3 (p 400, pA 0), c2 (300, 36), c0 (100, 33.33), c1 (200, 90.67); Σp = 1000, ΣpA = 160
    const curve = lorenzCurve([1 / 3, 1 / 3 + 0.12, 0.12, 0], [100, 200, 300, 400]);
    const expected = [[0, 0], [0.4, 0], [0.7, 36 / 160], [0.8, (36 + 100 / 3) / 160], [1, 1]];
    expect(curve).toHaveLength(expected.length);
    curve.forEach(([x, y], k) => {
      expect(x).toBeCloseTo(expected[k]![0]!, 14);
      expect(y).toBeCloseTo(expected[k]![1]!, 14);
    });
  });

  it('runs from (0,0) to (1,1), non-decreasing and convex, within maxPoints, with area giving the Gini', () => {
    const rand = mulberry32(99);
    const n = 5_000;
    const access = Float64Array.from({ length: n }, () => (rand() < 0.15 ? 0 : rand() ** 3));
    const population = Float64Array.from({ length: n }, () => (rand() < 0.1 ? 0 : 1 + Math.round(rand() * 500)));
    const full = lorenzCurve(access, population, Infinity);
    const curve = lorenzCurve(access, population);
    expect(curve.length).toBeLessThanOrEqual(201);
    expect(curve.length).toBeGreaterThan(100);
    expect(curve[0]).toEqual([0, 0]);
    expect(curve[curve.length - 1]).toEqual([1, 1]);
    for (let k = 1; k < curve.length; k++) {
      expect(curve[k]![0]).toBeGreaterThan(curve[k - 1]![0]);
      expect(curve[k]![1]).toBeGreaterThanOrEqual(curve[k - 1]![1]);
      expect(curve[k]![1]).toBeLessThanOrEqual(curve[k]![0] + 1e-12); // below the line of equality
    }
    const slope = (k: number): number => (curve[k]![1] - curve[k - 1]![1]) / (curve[k]![0] - curve[k - 1]![0]);
    for (let k = 2; k < curve.length; k++) expect(slope(k)).toBeGreaterThanOrEqual(slope(k - 1) - 1e-6);
    // For a population-weighted Lorenz curve, gini = 1 − 2·(area under the full curve): an
    // independent route to the same number.
    let area = 0;
    for (let k = 1; k < full.length; k++) area += ((full[k]![0] - full[k - 1]![0]) * (full[k]![1] + full[k - 1]![1])) / 2;
    expect(1 - 2 * area).toBeCloseTo(equityIndices(access, population).gini, 9);
    // The downsampled curve lies on the full one (it is read off the same segments).
    const yAt = (x: number): number => {
      const k = full.findIndex(([fx]) => fx >= x);
      const [x0, y0] = full[k - 1] ?? full[0]!;
      const [x1, y1] = full[k]!;
      return x1 > x0 ? y0 + ((y1 - y0) * (x - x0)) / (x1 - x0) : y1;
    };
    for (const [x, y] of curve) expect(y).toBeCloseTo(yAt(x), 12);
  });

  it('is the line of equality when nobody has access or nobody lives anywhere', () => {
    expect(lorenzCurve([0, 0], [5, 5])).toEqual([[0, 0], [1, 1]]);
    expect(lorenzCurve([1, 2], [0, 0])).toEqual([[0, 0], [1, 1]]);
    expect(lorenzCurve([], [])).toEqual([[0, 0], [1, 1]]);
  });
});
