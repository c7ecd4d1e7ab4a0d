/**
 * A uniform 3D grid over points on the sphere, sized for one search radius: it picks the candidate
 * pairs a radius search must measure and tells when a whole cell lies within the radius, so the
 * cluster finder measures few pairs however dense the points are. It decides nothing by itself:
 * every pair decision stays with `haversineM` (see clusters.ts).
 *
 * Why 3D: a point at (lon, lat) sits at the unit vector (cos lat cos lon, cos lat sin lon, sin lat).
 * Great-circle distance d and chord length k are tied by k = 2·sin(d / 2R), a strictly increasing
 * function for d ≤ πR, so "d ≤ r" is "k ≤ 2·sin(r / 2R)" and a plain Euclidean grid answers radius
 * questions on the sphere, with no special case at the poles or the antimeridian.
 *
 * Rounding: the 3D coordinates are off by at most ~1e-15 (a few ulps of values ≤ 1) and haversine
 * by a relative ~1e-14 (more near antipodes, where the chord is flat). Two bounds absorb that with
 * margins orders of magnitude wider:
 * - `reach` = chord·(1 + 1e-9) + 1e-13: every pair haversine puts within r is within `reach` here,
 *   so pruning by `reach` never loses a pair;
 * - a cell whose diagonal is chord·(1 − 1e-9) − 1e-13 holds only points haversine puts within r of
 *   each other (`clique`). With that side a pair within `reach` is at most 2 cells apart per axis.
 * Below a radius of ~10 µm the two cannot both hold; the grid then uses cells of half `reach`
 * (still ±2) and says `clique: false`, and callers measure inside cells as well.
 */

/** Cells of points near each other, with what a radius search needs to know about them. */
export interface SphereGrid {
  /** Unit-sphere position of point i at [3i, 3i + 1, 3i + 2]. */
  xyz: Float64Array;
  /** Number of non-empty cells. */
  cellCount: number;
  /** Points of cell c are `cellItems[cellStart[c] … cellStart[c + 1])`, in input order. */
  cellStart: Int32Array;
  cellItems: Int32Array;
  /** Axis-aligned box of cell c's points: min x, y, z at [6c …], max x, y, z at [6c + 3 …]. */
  cellBox: Float64Array;
  /** Other cells that may hold a point within reach of one in cell c: `near[nearStart[c] … nearStart[c + 1])`. */
  nearStart: Int32Array;
  near: Int32Array;
  /** Chord length (unit sphere) beyond which haversine never reports "within the radius". */
  reach: number;
  /** True when any two points of one cell are within the radius (haversine), so cells need no measuring. */
  clique: boolean;
}

const RELATIVE_MARGIN = 1e-9;
const ABSOLUTE_MARGIN = 1e-13;
const DEG = Math.PI / 180;

/** Builds the grid for points `lon[i], lat[i]` (degrees) and a search radius in metres on a sphere of `earthRadiusM`. */
export function buildSphereGrid(lon: Float64Array, lat: Float64Array, radiusM: number, earthRadiusM: number): SphereGrid {
  const n = lon.length;
  const angle = radiusM / earthRadiusM;
  const chord = angle >= Math.PI ? 2 : 2 * Math.sin(angle / 2);
  const reach = chord * (1 + RELATIVE_MARGIN) + ABSOLUTE_MARGIN;
  const cliqueSide = (chord * (1 - RELATIVE_MARGIN) - ABSOLUTE_MARGIN) / Math.sqrt(3);
  // The 2% keeps "within reach ⇒ at most 2 cells apart" true after the division rounds.
  const clique = 2 * cliqueSide >= reach * 1.02;
  const side = clique ? cliqueSide : reach * 0.51;

  const xyz = new Float64Array(3 * n);
  const cellIndex = new Float64Array(3 * n);
  const low = [Infinity, Infinity, Infinity];
  const high = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const cosLat = Math.cos(lat[i]! * DEG);
    xyz[3 * i] = cosLat * Math.cos(lon[i]! * DEG);
    xyz[3 * i + 1] = cosLat * Math.sin(lon[i]! * DEG);
    xyz[3 * i + 2] = Math.sin(lat[i]! * DEG);
    for (let axis = 0; axis < 3; axis++) {
      const at = Math.floor(xyz[3 * i + axis]! / side);
      cellIndex[3 * i + axis] = at;
      low[axis] = Math.min(low[axis]!, at);
      high[axis] = Math.max(high[axis]!, at);
    }
  }
  const span = low.map((l, axis) => high[axis]! - l + 1);
  // One number per cell when the occupied block allows it (fast Map keys), else a string.
  const numeric = span[0]! * span[1]! * span[2]! <= Number.MAX_SAFE_INTEGER;
  const keyOf = (x: number, y: number, z: number): number | string =>
    numeric ? ((x - low[0]!) * span[1]! + (y - low[1]!)) * span[2]! + (z - low[2]!) : `${x},${y},${z}`;

  const cellByKey = new Map<number | string, number>();
  const cellOf = new Int32Array(n);
  const cellAtList: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = keyOf(cellIndex[3 * i]!, cellIndex[3 * i + 1]!, cellIndex[3 * i + 2]!);
    let cell = cellByKey.get(key);
    if (cell === undefined) {
      cell = counts.length;
      cellByKey.set(key, cell);
      cellAtList.push(cellIndex[3 * i]!, cellIndex[3 * i + 1]!, cellIndex[3 * i + 2]!);
      counts.push(0);
    }
    cellOf[i] = cell;
    counts[cell]!++;
  }
  const cellCount = counts.length;

  // Counting sort by cell; filling in index order keeps every cell's points in input order.
  const cellStart = new Int32Array(cellCount + 1);
  for (let c = 0; c < cellCount; c++) cellStart[c + 1] = cellStart[c]! + counts[c]!;
  const fill = cellStart.slice(0, cellCount);
  const cellItems = new Int32Array(n);
  const cellBox = new Float64Array(6 * cellCount);
  for (let c = 0; c < cellCount; c++) cellBox.fill(Infinity, 6 * c, 6 * c + 3).fill(-Infinity, 6 * c + 3, 6 * c + 6);
  for (let i = 0; i < n; i++) {
    const c = cellOf[i]!;
    cellItems[fill[c]!++] = i;
    for (let axis = 0; axis < 3; axis++) {
      const v = xyz[3 * i + axis]!;
      if (v < cellBox[6 * c + axis]!) cellBox[6 * c + axis] = v;
      if (v > cellBox[6 * c + 3 + axis]!) cellBox[6 * c + 3 + axis] = v;
    }
  }

  const { nearStart, near } = nearCells(Float64Array.from(cellAtList), cellBox, low, high, reach);
  return { xyz, cellCount, cellStart, cellItems, cellBox, nearStart, near, reach, clique };
}

/**
 * For each cell, the other cells at most 2 steps away per axis whose boxes are within reach. The
 * cells are sorted by their (u, v, w) indices, w being the axis the points spread least on (the
 * sphere's normal there): for each of the 5 values of u next to a cell, the cells with v within ±2
 * are one run of that order, found by binary search, and their w differs little, so few cells are
 * read besides the ones wanted, and no hashing is needed.
 */
function nearCells(cellAt: Float64Array, cellBox: Float64Array, low: readonly number[], high: readonly number[], reach: number): { nearStart: Int32Array; near: Int32Array } {
  const cellCount = cellAt.length / 3;
  const spread = [0, 1, 2].map((axis) => high[axis]! - low[axis]!);
  const w = spread.indexOf(Math.min(...spread));
  const [u, v] = [0, 1, 2].filter((axis) => axis !== w) as [number, number];
  const order = new Int32Array(cellCount);
  for (let c = 0; c < cellCount; c++) order[c] = c;
  order.sort((a, b) => cellAt[3 * a + u]! - cellAt[3 * b + u]! || cellAt[3 * a + v]! - cellAt[3 * b + v]! || cellAt[3 * a + w]! - cellAt[3 * b + w]!);
  const sortedU = new Float64Array(cellCount);
  const sortedV = new Float64Array(cellCount);
  const sortedW = new Float64Array(cellCount);
  for (let k = 0; k < cellCount; k++) {
    sortedU[k] = cellAt[3 * order[k]! + u]!;
    sortedV[k] = cellAt[3 * order[k]! + v]!;
    sortedW[k] = cellAt[3 * order[k]! + w]!;
  }

  const reachSquared = reach * reach;
  const nearStart = new Int32Array(cellCount + 1);
  let found = new Int32Array(Math.max(16, 8 * cellCount));
  let count = 0;
  for (let c = 0; c < cellCount; c++) {
    const cu = cellAt[3 * c + u]!;
    const cv = cellAt[3 * c + v]!;
    const cw = cellAt[3 * c + w]!;
    for (let a = cu - 2; a <= cu + 2; a++) {
      // First position at or after (a, cv - 2) in the (u, v) order.
      let lo = 0;
      let hi = cellCount;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sortedU[mid]! < a || (sortedU[mid] === a && sortedV[mid]! < cv - 2)) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < cellCount && sortedU[k] === a && sortedV[k]! <= cv + 2; k++) {
        const other = order[k]!;
        if (Math.abs(sortedW[k]! - cw) > 2 || other === c || boxToBoxSquared(cellBox, c, other) > reachSquared) continue;
        if (count === found.length) found = grown(found);
        found[count++] = other;
      }
    }
    nearStart[c + 1] = count;
  }
  return { nearStart, near: found.slice(0, count) };
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Squared distance between the boxes of cells a and b (0 when they overlap). */
export function boxToBoxSquared(box: Float64Array, a: number, b: number): number {
  let sum = 0;
  for (let axis = 0; axis < 3; axis++) {
    const gap = Math.max(0, box[6 * a + axis]! - box[6 * b + 3 + axis]!, box[6 * b + axis]! - box[6 * a + 3 + axis]!);
    sum += gap * gap;
  }
  return sum;
}

/** Squared distance from point i to the box of cell c (0 inside it). */
export function pointToBoxSquared(grid: SphereGrid, i: number, c: number): number {
  let sum = 0;
  for (let axis = 0; axis < 3; axis++) {
    const v = grid.xyz[3 * i + axis]!;
    const gap = Math.max(0, grid.cellBox[6 * c + axis]! - v, v - grid.cellBox[6 * c + 3 + axis]!);
    sum += gap * gap;
  }
  return sum;
}

/** Squared chord between points i and j. */
export function chordSquared(grid: SphereGrid, i: number, j: number): number {
  const dx = grid.xyz[3 * i]! - grid.xyz[3 * j]!;
  const dy = grid.xyz[3 * i + 1]! - grid.xyz[3 * j + 1]!;
  const dz = grid.xyz[3 * i + 2]! - grid.xyz[3 * j + 2]!;
  return dx * dx + dy * dy + dz * dz;
}

/** Pairs measured one by one once the two sets are this small. */
const BRUTE_FORCE_PAIRS = 256;

/** Min x, y, z then max x, y, z of the points listed. */
function boxOf(grid: SphereGrid, points: Int32Array): Float64Array {
  const box = new Float64Array([Infinity, Infinity, Infinity, -Infinity, -Infinity, -Infinity]);
  for (const i of points) {
    for (let axis = 0; axis < 3; axis++) {
      const v = grid.xyz[3 * i + axis]!;
      if (v < box[axis]!) box[axis] = v;
      if (v > box[axis + 3]!) box[axis + 3] = v;
    }
  }
  return box;
}

/** Splits `points` in place at the middle of its box's longest side; null when the box is a point. */
function halve(grid: SphereGrid, points: Int32Array, box: Float64Array): [Int32Array, Int32Array] | null {
  let axis = 0;
  for (let a = 1; a < 3; a++) if (box[a + 3]! - box[a]! > box[axis + 3]! - box[axis]!) axis = a;
  const middle = (box[axis]! + box[axis + 3]!) / 2;
  let lo = 0;
  for (let k = 0; k < points.length; k++) {
    if (grid.xyz[3 * points[k]! + axis]! < middle) {
      const swap = points[lo]!;
      points[lo++] = points[k]!;
      points[k] = swap;
    }
  }
  return lo === 0 || lo === points.length ? null : [points.subarray(0, lo), points.subarray(lo)];
}

/**
 * Whether some point of `left` and some point of `right` pass `within(left point, right point)`.
 * The larger set is halved along its box's longest side and a half is dropped when its box is out
 * of reach of the other set's, so when two dense groups face each other across a gap only the
 * points near the gap are measured, not every pair. Reorders both arrays.
 */
export function hasPairWithin(grid: SphereGrid, left: Int32Array, right: Int32Array, within: (i: number, j: number) => boolean): boolean {
  if (left.length * right.length <= BRUTE_FORCE_PAIRS) {
    for (const i of left) for (const j of right) if (within(i, j)) return true;
    return false;
  }
  const leftBox = boxOf(grid, left);
  const rightBox = boxOf(grid, right);
  let gap = 0;
  for (let axis = 0; axis < 3; axis++) {
    const d = Math.max(0, leftBox[axis]! - rightBox[axis + 3]!, rightBox[axis]! - leftBox[axis + 3]!);
    gap += d * d;
  }
  if (gap > grid.reach * grid.reach) return false;
  const splitLeft = left.length >= right.length;
  const halves = halve(grid, splitLeft ? left : right, splitLeft ? leftBox : rightBox);
  // Only points at one position (to the last bit) cannot be halved; then measure.
  if (halves === null) {
    for (const i of left) for (const j of right) if (within(i, j)) return true;
    return false;
  }
  const [low, high] = halves;
  return splitLeft
    ? hasPairWithin(grid, low, right, within) || hasPairWithin(grid, high, right, within)
    : hasPairWithin(grid, left, low, within) || hasPairWithin(grid, left, high, within);
}
