/** Assigns a lon/lat point to the region containing it, fast enough to run on every incoming incident. */
import Flatbush from 'flatbush';
import type { RegionGeometry } from '../../contract/regions.ts';

/** One region to index: its code and its GeoJSON `[lon, lat]` Polygon or MultiPolygon. */
export interface RegionShape {
  code: string;
  geometry: RegionGeometry;
}

/** A packed spatial index of regions, built once by {@link createRegionIndex} and queried by {@link assignRegion}. */
export interface RegionIndex {
  /** Number of regions indexed (not polygon parts). */
  readonly size: number;
}

// Shewchuk's error bound for a·b − c·d with exact inputs: a determinant larger than this cannot
// have the wrong sign, so the exact (slow) path runs only for points practically on an edge.
const EPSILON = Number.EPSILON / 2;
const ORIENT_ERROR_BOUND = (3 + 16 * EPSILON) * EPSILON;

class PackedRegionIndex implements RegionIndex {
  constructor(
    readonly size: number,
    readonly codes: readonly string[],
    /** Bounding boxes of polygon parts, numbered in input order, or null when there is no part. */
    readonly tree: Flatbush | null,
    /** Region (position in `codes`) of each part. */
    readonly partRegion: Uint32Array,
    /** Rings of part p are `partRingStart[p] .. partRingStart[p + 1]`. */
    readonly partRingStart: Uint32Array,
    /** Vertices of ring r are `ringStart[r] .. ringStart[r + 1]` in `coords`; each ring is stored closed. */
    readonly ringStart: Uint32Array,
    /** Interleaved lon, lat of every vertex. */
    readonly coords: Float64Array,
  ) {}
}

/**
 * Builds an index over every polygon part of `regions` (each polygon of a MultiPolygon separately).
 * Rings may be unclosed and positions may carry an altitude; both are handled.
 */
export function createRegionIndex(regions: readonly RegionShape[]): RegionIndex {
  const polygons: { region: number; rings: readonly (readonly (readonly number[])[])[] }[] = [];
  regions.forEach((r, region) => {
    const parts = r.geometry.type === 'Polygon' ? [r.geometry.coordinates] : r.geometry.coordinates;
    for (const rings of parts) polygons.push({ region, rings });
  });

  let ringCount = 0;
  let vertexCount = 0;
  for (const p of polygons) {
    ringCount += p.rings.length;
    for (const ring of p.rings) vertexCount += ring.length + 1; // room to close an unclosed ring
  }

  const partRegion = new Uint32Array(polygons.length);
  const partRingStart = new Uint32Array(polygons.length + 1);
  const ringStart = new Uint32Array(ringCount + 1);
  const coords = new Float64Array(vertexCount * 2);
  const tree = polygons.length > 0 ? new Flatbush(polygons.length) : null;

  let ring = 0;
  let vertex = 0;
  polygons.forEach((p, part) => {
    partRegion[part] = p.region;
    partRingStart[part] = ring;
    // The box covers holes too: even-odd counts a (malformed) hole poking out of its outer ring as inside.
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const positions of p.rings) {
      ringStart[ring++] = vertex;
      const first = positions[0];
      const last = positions[positions.length - 1];
      for (const pos of positions) {
        const x = pos[0] ?? NaN;
        const y = pos[1] ?? NaN;
        coords[2 * vertex] = x;
        coords[2 * vertex + 1] = y;
        vertex++;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      if (first && last && (first[0] !== last[0] || first[1] !== last[1])) {
        coords[2 * vertex] = first[0] ?? NaN;
        coords[2 * vertex + 1] = first[1] ?? NaN;
        vertex++;
      }
    }
    // An empty part still takes a slot so part numbers stay equal to flatbush item numbers.
    if (minX > maxX) tree?.add(Infinity, Infinity, Infinity, Infinity);
    else tree?.add(minX, minY, maxX, maxY);
  });
  partRingStart[polygons.length] = ring;
  ringStart[ring] = vertex;
  tree?.finish();

  return new PackedRegionIndex(regions.length, regions.map((r) => r.code), tree, partRegion, partRingStart, ringStart, coords);
}

/**
 * Code of the region containing (`lon`, `lat`), or `null` outside every region. A point on an edge or
 * vertex counts as inside (as turf `booleanPointInPolygon` does by default); when several regions
 * contain it, the one that came first in the input wins.
 */
export function assignRegion(index: RegionIndex, lon: number, lat: number): string | null {
  if (!(index instanceof PackedRegionIndex)) throw new TypeError('assignRegion needs an index made by createRegionIndex');
  // NaN would pass every box test of flatbush (all comparisons false) and never be inside anything.
  if (index.tree === null || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const candidates = index.tree.search(lon, lat, lon, lat);
  // Part numbers follow input order; sorting the (few) candidates lets the first hit be the answer.
  for (let i = 1; i < candidates.length; i++) {
    const c = candidates[i] as number;
    let j = i - 1;
    while (j >= 0 && (candidates[j] as number) > c) {
      candidates[j + 1] = candidates[j] as number;
      j--;
    }
    candidates[j + 1] = c;
  }
  for (const part of candidates) {
    if (partContains(index, part, lon, lat)) return index.codes[index.partRegion[part] as number] ?? null;
  }
  return null;
}

/**
 * Even-odd crossing test over all rings of one part. It follows point-in-polygon-hao (what turf uses)
 * step by step — half-open crossing rule, boundary detection, exact orientation of the rounded
 * offsets — so the two agree even for points exactly on an edge.
 */
function partContains(index: PackedRegionIndex, part: number, x: number, y: number): boolean {
  const { coords, ringStart } = index;
  const ringEnd = index.partRingStart[part + 1] as number;
  let inside = false;
  for (let r = index.partRingStart[part] as number; r < ringEnd; r++) {
    const start = ringStart[r] as number;
    const end = ringStart[r + 1] as number;
    if (end <= start) continue;
    let u1 = (coords[2 * start] as number) - x;
    let v1 = (coords[2 * start + 1] as number) - y;
    for (let i = start + 1; i < end; i++) {
      const u2 = (coords[2 * i] as number) - x;
      const v2 = (coords[2 * i + 1] as number) - y;
      if (v1 === 0 && v2 === 0) {
        // Horizontal edge through the point: on it exactly when the point lies between its ends.
        if ((u2 <= 0 && u1 >= 0) || (u1 <= 0 && u2 >= 0)) return true;
      } else if ((v2 >= 0 && v1 <= 0) || (v2 <= 0 && v1 >= 0)) {
        const f = orientation(u1, v1, u2, v2);
        if (f === 0) return true;
        if ((f > 0 && v2 > 0 && v1 <= 0) || (f < 0 && v2 <= 0 && v1 > 0)) inside = !inside;
      }
      u1 = u2;
      v1 = v2;
    }
  }
  return inside;
}

/** Sign-correct value of u2·v1 − u1·v2: the float result when it is certain, else the exact sign. */
function orientation(u1: number, v1: number, u2: number, v2: number): number {
  const left = u2 * v1;
  const right = u1 * v2;
  const det = left - right;
  const bound = ORIENT_ERROR_BOUND * (Math.abs(left) + Math.abs(right));
  if (det > bound || -det > bound) return det;
  return exactOrientationSign(u1, v1, u2, v2);
}

/** Exact sign of u2·v1 − u1·v2, using the fact that every finite double is m·2^−e with integer m. */
function exactOrientationSign(u1: number, v1: number, u2: number, v2: number): number {
  // Non-finite offsets come only from broken input (Infinity in a ring): count neither crossing nor edge.
  if (!Number.isFinite(u1) || !Number.isFinite(v1) || !Number.isFinite(u2) || !Number.isFinite(v2)) return NaN;
  const a = dyadic(u2);
  const b = dyadic(v1);
  const c = dyadic(u1);
  const d = dyadic(v2);
  const leftExp = a.e + b.e;
  const rightExp = c.e + d.e;
  const exp = Math.max(leftExp, rightExp);
  const diff = ((a.m * b.m) << BigInt(exp - leftExp)) - ((c.m * d.m) << BigInt(exp - rightExp));
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** `x` as `m / 2^e` with an integer `m`; doubling a double is exact, so the loop loses nothing. */
function dyadic(x: number): { m: bigint; e: number } {
  let e = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    e++;
  }
  return { m: BigInt(x), e };
}
