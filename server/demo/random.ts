/** Seeded randomness for the demo generator: the same seed always gives the same city. */

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny 32-bit PRNG, good enough for synthetic data and identical on every platform
 * (it uses only 32-bit integer arithmetic), unlike `Math.random`, which cannot be seeded.
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform integer in [min, max], both included. */
export function randomInt(rand: Random, min: number, max: number): number {
  return min + Math.floor(rand() * (max - min + 1));
}

/** Uniform number in [min, max). */
export function uniform(rand: Random, min: number, max: number): number {
  return min + rand() * (max - min);
}

/** Standard normal variate (Box–Muller). */
export function gaussian(rand: Random): number {
  const u = 1 - rand(); // (0, 1]: keeps log finite
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** One key of a table of `{key: weight}`, with probability proportional to its weight. */
export function pickWeighted<K extends string>(rand: Random, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as [K, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [key, w] of entries) {
    r -= w;
    if (r < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('pickWeighted needs at least one entry');
  return last[0];
}

/** Draws indices with probability proportional to fixed weights, in O(log n) per draw. */
export class WeightedSampler {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      sum += w > 0 ? w : 0;
      this.cumulative[i] = sum;
    });
    if (!(sum > 0)) throw new Error('WeightedSampler needs at least one positive weight');
  }

  sample(rand: Random): number {
    const c = this.cumulative;
    const target = rand() * (c[c.length - 1] ?? 0);
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((c[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
