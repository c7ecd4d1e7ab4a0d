/**
 * Spatial access per population cell by the two-step floating catchment area method (docs/domain.md §7.2):
 * plain 2SFCA, or E2SFCA with Gaussian distance decay on both steps. The indexed path walks a
 * KDBush over the cells for each facility's catchment, so its cost grows with the pairs within d0,
 * not with cells × facilities; `naiveAccess` is the double loop it must agree with.
 */
import KDBush from 'kdbush';
import { EARTH_RADIUS_M } from '../spatial/haversine.ts';
import { CatchmentPairs, cosines, floatingCatchment, pairTest, pairWeight, RAD_PER_DEG, type PairTest } from './catchment.ts';
import type { AccessOptions, CellSet, FacilityPoint } from './types.ts';

const DEG_PER_RAD = 180 / Math.PI;
/**
 * Widening of the query box: a cell whose haversine distance rounds to exactly d0 may sit a few
 * ulps outside the mathematically exact box, and it must still be found, as the naive loop finds it.
 */
const BOX_MARGIN = 1 + 1e-9;

/**
 * KDBush over the cells' (lon, lat), built once per population version and shared by every query.
 * The catchment search works on the tree's own (kd-sorted) order, "slots", where cells near each
 * other sit near each other in memory; access is put back in cell order at the end.
 */
export class CellIndex {
  readonly cells: CellSet;
  /** `null` when there are no cells. */
  private readonly tree: KDBush | null;
  /** Cell of each slot, and the slot's lon/lat (interleaved), cos(lat) and population. */
  private readonly slotCell: ArrayLike<number>;
  private readonly slotCoords: ArrayLike<number>;
  private readonly slotCos: Float64Array;
  private readonly slotPopulation: Float64Array;
  /** A longitude outside [−180, 180] defeats the antimeridian split: such an index scans every slot. */
  private readonly scanAll: boolean;
  /** Depth-first stack of (left, right, axis) frames; a kd-tree of 2³² points is 32 levels deep. */
  private readonly stack = new Int32Array(3 * 66);
  /** Pairs found by the last search: the next one (another kind, a what-if) sizes its buffers by it. */
  private pairsHint = 0;

  constructor(cells: CellSet) {
    this.cells = cells;
    const n = cells.lon.length;
    let outOfRange = false;
    let tree: KDBush | null = null;
    if (n > 0) {
      tree = new KDBush(n);
      for (let i = 0; i < n; i++) {
        const lon = cells.lon[i] as number;
        if (!(lon >= -180 && lon <= 180)) outOfRange = true;
        tree.add(lon, cells.lat[i] as number);
      }
      tree.finish();
    }
    this.tree = tree;
    this.scanAll = outOfRange;
    this.slotCell = tree?.ids ?? new Uint32Array(0);
    this.slotCoords = tree?.coords ?? new Float64Array(0);
    this.slotCos = new Float64Array(n);
    this.slotPopulation = new Float64Array(n);
    for (let s = 0; s < n; s++) {
      const cell = this.slotCell[s] as number;
      this.slotCos[s] = Math.cos((cells.lat[cell] as number) * RAD_PER_DEG);
      this.slotPopulation[s] = cells.population[cell] as number;
    }
  }

  /** Access per cell (cell order) for `facilities`: the catchments found by box, then steps 1 and 2. */
  access(facilities: readonly FacilityPoint[], options: AccessOptions): Float64Array {
    const n = this.cells.lon.length;
    const access = new Float64Array(n);
    if (this.tree === null) return access;
    const test = pairTest(options);
    const pairs = new CatchmentPairs(facilities.length, this.pairsHint);
    for (let j = 0; j < facilities.length; j++) {
      pairs.start[j] = pairs.size;
      this.collect(facilities[j] as FacilityPoint, test, pairs);
    }
    pairs.start[facilities.length] = pairs.size;
    this.pairsHint = pairs.size;
    const bySlot = floatingCatchment(this.slotPopulation, facilities, pairs);
    for (let s = 0; s < n; s++) access[this.slotCell[s] as number] = bySlot[s] as number;
    return access;
  }

  /** Adds the slots within d0 of `f` to `pairs`, searching a lon/lat box around its disc. */
  private collect(f: FacilityPoint, test: PairTest, pairs: CatchmentPairs): void {
    const { lon, lat } = f;
    if (!(Number.isFinite(lon) && Number.isFinite(lat))) return; // a facility nowhere reaches nobody
    const fCos = Math.cos(lat * RAD_PER_DEG);
    if (this.scanAll) return this.scan(-Infinity, -Infinity, Infinity, Infinity, f, fCos, test, pairs);
    const dLat = (test.radiusM / EARTH_RADIUS_M) * DEG_PER_RAD * BOX_MARGIN;
    // Along any path of length d0 from the centre |lat| stays ≤ |lat| + dLat, where a metre east is
    // worth the most longitude, so dLat / cos(|lat| + dLat) bounds the disc's longitude half-width.
    const cosEdge = Math.cos(Math.min(90, Math.abs(lat) + dLat) * RAD_PER_DEG);
    const dLon = cosEdge > 1e-9 ? (dLat / cosEdge) * BOX_MARGIN : Infinity;
    const minLat = lat - dLat;
    const maxLat = lat + dLat;
    // Near a pole the disc spans every longitude; latitude still bounds it.
    if (dLon >= 180) return this.scan(-180, minLat, 180, maxLat, f, fCos, test, pairs);
    this.scan(lon - dLon, minLat, lon + dLon, maxLat, f, fCos, test, pairs);
    // With dLon < 180 at most one side wraps, and the wrapped box cannot overlap the main one.
    if (lon - dLon < -180) this.scan(lon - dLon + 360, minLat, 180, maxLat, f, fCos, test, pairs);
    if (lon + dLon > 180) this.scan(-180, minLat, lon + dLon - 360, maxLat, f, fCos, test, pairs);
  }

  /**
   * KDBush's range search over its own arrays, testing each slot in the box as it is met rather
   * than returning an array of ids per facility (allocation and a second pass at 2M pairs).
   */
  private scan(minX: number, minY: number, maxX: number, maxY: number, f: FacilityPoint, fCos: number, test: PairTest, pairs: CatchmentPairs): void {
    const coords = this.slotCoords;
    const cos = this.slotCos;
    // A local binding: a module loader may reach an imported function through a getter on every
    // call, which keeps V8 from inlining it in this loop over millions of slots.
    const weigh = pairWeight;
    const stack = this.stack;
    const nodeSize = (this.tree as KDBush).nodeSize;
    let sp = 0;
    stack[sp++] = 0;
    stack[sp++] = this.cells.lon.length - 1;
    stack[sp++] = 0;
    while (sp > 0) {
      const axis = stack[--sp] as number;
      const right = stack[--sp] as number;
      const left = stack[--sp] as number;
      if (right - left <= nodeSize) {
        for (let s = left; s <= right; s++) {
          const x = coords[2 * s] as number;
          const y = coords[2 * s + 1] as number;
          if (x >= minX && x <= maxX && y >= minY && y <= maxY) {
            const w = weigh(test, f.lon, f.lat, fCos, x, y, cos[s] as number);
            if (w >= 0) pairs.push(s, w);
          }
        }
        continue;
      }
      const m = (left + right) >> 1;
      const x = coords[2 * m] as number;
      const y = coords[2 * m + 1] as number;
      if (x >= minX && x <= maxX && y >= minY && y <= maxY) {
        const w = weigh(test, f.lon, f.lat, fCos, x, y, cos[m] as number);
        if (w >= 0) pairs.push(m, w);
      }
      if (axis === 0 ? minX <= x : minY <= y) {
        stack[sp++] = left;
        stack[sp++] = m - 1;
        stack[sp++] = 1 - axis;
      }
      if (axis === 0 ? maxX >= x : maxY >= y) {
        stack[sp++] = m + 1;
        stack[sp++] = right;
        stack[sp++] = 1 - axis;
      }
    }
  }
}

/**
 * 2SFCA / E2SFCA access per cell (cell order), finding each facility's catchment through `index`.
 * A pair counts when `haversineM(facility, cell) ≤ d0`, decided exactly as in the naive loop (see
 * `pairWeight`), so both count the same pairs.
 */
export function computeAccess(index: CellIndex, facilities: readonly FacilityPoint[], options: AccessOptions): Float64Array {
  return index.access(facilities, options);
}

/**
 * The plain double loop over every facility × cell with the same pair test: the baseline the
 * indexed path is measured against, so the difference between them is the index alone.
 */
export function naiveAccess(cells: CellSet, facilities: readonly FacilityPoint[], options: AccessOptions): Float64Array {
  const { lon, lat } = cells;
  const cosLat = cosines(lat);
  const test = pairTest(options);
  const weigh = pairWeight; // as in CellIndex.scan: a local binding the loop can inline
  const pairs = new CatchmentPairs(facilities.length);
  for (let j = 0; j < facilities.length; j++) {
    const f = facilities[j] as FacilityPoint;
    const fCos = Math.cos(f.lat * RAD_PER_DEG);
    pairs.start[j] = pairs.size;
    for (let i = 0; i < lon.length; i++) {
      const w = weigh(test, f.lon, f.lat, fCos, lon[i] as number, lat[i] as number, cosLat[i] as number);
      if (w >= 0) pairs.push(i, w);
    }
  }
  pairs.start[facilities.length] = pairs.size;
  return floatingCatchment(cells.population, facilities, pairs);
}
