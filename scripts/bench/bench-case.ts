/** The shape every bench case shares, so `index.ts` can run, print and record any of them. */

/** What one case measured: our throughput and the baseline's, in the same run and the same unit. */
export interface BenchResult {
  name: string;
  /** Our throughput, in `unit` (higher is better). */
  ours: number;
  /** The baseline's throughput, in `unit`, measured in the same run. */
  baseline: number;
  /** e.g. `points/s` */
  unit: string;
  /** `ours / baseline` */
  ratio: number;
  /** The ratio this case promises; below it the case fails. */
  targetRatio?: number;
  /** How the figures were obtained (sample sizes, what is included), printed under the table. */
  notes: string[];
  /** Broken assertions (e.g. ours and the baseline disagree); any makes the bench exit non-zero. */
  failures: string[];
}

/** One benchmark; add a file exporting one of these and list it in `index.ts`. */
export interface BenchCase {
  name: string;
  run(): BenchResult | Promise<BenchResult>;
}

/** Milliseconds taken by `fn`, with its result. */
export function timed<T>(fn: () => T): { ms: number; result: T } {
  const start = performance.now();
  const result = fn();
  return { ms: performance.now() - start, result };
}

/** Median of a non-empty list; repeated runs of a fast case are noisy, and the median ignores a GC pause. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
