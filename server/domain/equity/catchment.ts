/**
 * The arithmetic both access paths share (docs/domain.md §7.2): whether a facility–cell pair is within d0 and
 * its weight, and the two floating-catchment steps over the pairs found. Shared so the indexed path
 * and the naive loop differ in how they find pairs and in nothing else.
 */
import { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';
import type { AccessOptions, FacilityPoint } from './types.ts';

export const RAD_PER_DEG = Math.PI / 180;
/**
 * Relative band around the haversine term `h` of d0 where the pair test defers to `haversineM`
 * itself. Outside it the cheap test is decided by far more than any rounding (~1e-15), so it agrees
 * with `haversineM(…) ≤ d0` on every pair; inside it, it is that very call.
 */
const EXACT_BAND = 1e-9;
const EXP_HALF = Math.exp(-0.5);
/** Read once into this module: pairWeight runs millions of times per search. */
const EARTH_DIAMETER_M = 2 * EARTH_RADIUS_M;

/** What decides a pair for one catchment: d0, the method, and d0's haversine term with its band. */
export interface PairTest {
  radiusM: number;
  gaussian: boolean;
  /** Below this `h` the pair is surely within d0; above `hBeyond` surely not; between, ask `haversineM`. */
  hInside: number;
  hBeyond: number;
}

export function pairTest(options: AccessOptions): PairTest {
  const halfAngle = options.radiusM / (2 * EARTH_RADIUS_M);
  const h0 = halfAngle >= Math.PI / 2 ? Infinity : Math.sin(halfAngle) ** 2;
  return { radiusM: options.radiusM, gaussian: options.method === 'e2sfca', hInside: h0 * (1 - EXACT_BAND), hBeyond: h0 * (1 + EXACT_BAND) };
}

/** cos(latitude) of each latitude in degrees: the part of the haversine a cell can compute once. */
export function cosines(latitudes: ArrayLike<number>): Float64Array {
  const out = new Float64Array(latitudes.length);
  for (let i = 0; i < latitudes.length; i++) out[i] = Math.cos((latitudes[i] as number) * RAD_PER_DEG);
  return out;
}

/**
 * Weight of a facility–cell pair, or −1 when the cell is beyond d0: 1 for 2SFCA, the Gaussian
 * `G(d) = (e^(−½(d/d0)²) − e^(−½)) / (1 − e^(−½))` for E2SFCA. The haversine term uses cosines
 * computed beforehand, and `haversineM` itself decides every pair within rounding of d0, so every
 * decision is the one `haversineM(…) ≤ d0` makes.
 */
export function pairWeight(test: PairTest, fLon: number, fLat: number, fCos: number, cLon: number, cLat: number, cCos: number): number {
  const sinLat = Math.sin(((cLat - fLat) * RAD_PER_DEG) / 2);
  const sinLon = Math.sin(((cLon - fLon) * RAD_PER_DEG) / 2);
  const h = sinLat * sinLat + fCos * cCos * sinLon * sinLon;
  if (h > test.hBeyond) return -1;
  let distanceM: number;
  if (h < test.hInside) {
    if (!test.gaussian) return 1;
    distanceM = EARTH_DIAMETER_M * Math.asin(Math.min(1, Math.sqrt(h)));
  } else {
    distanceM = haversineM(fLon, fLat, cLon, cLat);
    if (!(distanceM <= test.radiusM)) return -1;
    if (!test.gaussian) return 1;
  }
  const ratio = distanceM / test.radiusM;
  return (Math.exp(-0.5 * ratio * ratio) - EXP_HALF) / (1 - EXP_HALF);
}

/**
 * The (facility, cell, weight) pairs within the catchment, grouped by facility in facility order:
 * facility j's pairs are `cell[start[j]] … cell[start[j + 1] − 1]`. Step 1 reads them, step 2
 * reuses them, so no distance is computed twice.
 */
export class CatchmentPairs {
  readonly start: Int32Array;
  cell: Int32Array;
  weight: Float64Array;
  size = 0;

  /** `expectedPairs`: room to reserve, so a search of known size never regrows the buffers. */
  constructor(facilities: number, expectedPairs = 0) {
    this.start = new Int32Array(facilities + 1);
    const capacity = Math.max(4096, Math.ceil(expectedPairs * 1.05));
    this.cell = new Int32Array(capacity);
    this.weight = new Float64Array(capacity);
  }

  push(cell: number, weight: number): void {
    if (this.size === this.cell.length) this.grow();
    this.cell[this.size] = cell;
    this.weight[this.size] = weight;
    this.size++;
  }

  private grow(): void {
    const cells = new Int32Array(this.size * 2);
    cells.set(this.cell);
    this.cell = cells;
    const weights = new Float64Array(this.size * 2);
    weights.set(this.weight);
    this.weight = weights;
  }
}

/**
 * Steps 1 and 2 over the pairs: `R_j = S_j / Σ w·P` (0 when nobody is inside), then
 * `A_i = Σ w·R_j`, summed over facilities in their given order. `population` and the result are
 * indexed like the pairs' cells.
 */
export function floatingCatchment(population: ArrayLike<number>, facilities: readonly FacilityPoint[], pairs: CatchmentPairs): Float64Array {
  const { start, cell, weight } = pairs;
  const supplyPerResident = new Float64Array(facilities.length);
  for (let j = 0; j < facilities.length; j++) {
    let demand = 0;
    for (let p = start[j] as number; p < (start[j + 1] as number); p++) demand += (weight[p] as number) * (population[cell[p] as number] as number);
    supplyPerResident[j] = demand > 0 ? (facilities[j] as FacilityPoint).capacity / demand : 0;
  }
  const access = new Float64Array(population.length);
  for (let j = 0; j < facilities.length; j++) {
    const r = supplyPerResident[j] as number;
    if (r === 0) continue;
    for (let p = start[j] as number; p < (start[j + 1] as number); p++) {
      const i = cell[p] as number;
      access[i] = (access[i] as number) + (weight[p] as number) * r;
    }
  }
  return access;
}
