/** Seeded synthetic district polygons and points, shared by the region-index tests and the bench. */
import type { Position } from '../../server/contract/common.ts';
import type { RegionShape } from '../../server/domain/spatial/region-index.ts';

// One seeded PRNG for the whole project (the demo's), so a seed means the same numbers everywhere.
export { mulberry32 } from '../../server/demo/random.ts';

/** `[minLon, minLat, maxLon, maxLat]` */
export type Extent = [number, number, number, number];

export interface GridOptions {
  cols: number;
  rows: number;
  /** Vertices per cell: 4 corners plus as many per edge as fit; 60 gives 14 per edge. */
  verticesPerCell: number;
  extent: Extent;
  /** Every n-th cell gets a hole (0 = none). */
  holeEvery: number;
  codePrefix?: string;
}

/**
 * A grid of irregular cells like districts: corners jittered, edges wiggled, and each edge shared
 * exactly (same coordinates, reversed) by the two cells it separates, so points on it belong to both.
 * Wiggles taper to zero at the corners, which keeps every cell simple (no self-intersection).
 */
export function jitteredGrid(random: () => number, o: GridOptions): RegionShape[] {
  const [minX, minY, maxX, maxY] = o.extent;
  const cw = (maxX - minX) / o.cols;
  const ch = (maxY - minY) / o.rows;
  const corner: Position[][] = [];
  for (let i = 0; i <= o.cols; i++) {
    const column: Position[] = [];
    for (let j = 0; j <= o.rows; j++) {
      column.push([minX + cw * (i + (random() - 0.5) * 0.2), minY + ch * (j + (random() - 0.5) * 0.2)]);
    }
    corner.push(column);
  }
  const perEdge = Math.max(0, Math.floor((o.verticesPerCell - 4) / 4));
  const wiggle = (a: Position, b: Position): Position[] => {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const points: Position[] = [];
    for (let k = 1; k <= perEdge; k++) {
      const t = k / (perEdge + 1);
      const offset = (random() - 0.5) * 0.2 * Math.sin(Math.PI * t); // fraction of the edge length, across it
      points.push([a[0] + dx * t - dy * offset, a[1] + dy * t + dx * offset]);
    }
    return points;
  };
  const at = (i: number, j: number): Position => corner[i]?.[j] as Position;
  // horizontal[i][j]: edge from corner (i, j) to (i + 1, j); vertical[i][j]: from (i, j) to (i, j + 1).
  const horizontal = Array.from({ length: o.cols }, (_, i) => Array.from({ length: o.rows + 1 }, (_, j) => wiggle(at(i, j), at(i + 1, j))));
  const vertical = Array.from({ length: o.cols + 1 }, (_, i) => Array.from({ length: o.rows }, (_, j) => wiggle(at(i, j), at(i, j + 1))));

  const regions: RegionShape[] = [];
  for (let j = 0; j < o.rows; j++) {
    for (let i = 0; i < o.cols; i++) {
      const bottom = horizontal[i]?.[j] ?? [];
      const right = vertical[i + 1]?.[j] ?? [];
      const top = horizontal[i]?.[j + 1] ?? [];
      const left = vertical[i]?.[j] ?? [];
      const outer: Position[] = [
        at(i, j), ...bottom, at(i + 1, j), ...right, at(i + 1, j + 1), ...[...top].reverse(), at(i, j + 1), ...[...left].reverse(), at(i, j),
      ];
      const n = regions.length;
      const rings = [outer];
      if (o.holeEvery > 0 && n % o.holeEvery === o.holeEvery - 1) {
        const center: Position = [minX + cw * (i + 0.5), minY + ch * (j + 0.5)];
        rings.push(starRing(random, center, Math.min(cw, ch) * 0.15, 12, 0.3));
      }
      regions.push({ code: `${o.codePrefix ?? 'G'}${String(n).padStart(3, '0')}`, geometry: { type: 'Polygon', coordinates: rings } });
    }
  }
  return regions;
}

/**
 * A closed star-shaped ring: `n` vertices at increasing angles, radius varying by ±`roughness`, so it
 * is simple but concave and irregular. Its first angle is random, so edges are rarely axis-aligned.
 */
export function starRing(random: () => number, center: Position, radius: number, n: number, roughness: number): Position[] {
  const start = random() * 2 * Math.PI;
  const ring: Position[] = [];
  for (let k = 0; k < n; k++) {
    const angle = start + (2 * Math.PI * (k + 0.8 * random())) / n;
    const r = radius * (1 - roughness + 2 * roughness * random());
    ring.push([center[0] + r * Math.cos(angle), center[1] + r * Math.sin(angle)]);
  }
  ring.push(ring[0] as Position);
  return ring;
}

/**
 * Overlapping irregular regions scattered over `extent`: star polygons, some with a hole, some
 * MultiPolygons of two or three stars. Overlaps exercise the "first region in input order wins" rule.
 */
export function scatteredStars(random: () => number, count: number, extent: Extent, codePrefix = 'S'): RegionShape[] {
  const [minX, minY, maxX, maxY] = extent;
  const size = Math.min(maxX - minX, maxY - minY);
  const star = (): Position[][] => {
    const center: Position = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
    const radius = size * (0.05 + 0.15 * random());
    const outer = starRing(random, center, radius, 8 + Math.floor(random() * 40), 0.5);
    // The hole stays inside: its radius is below the outer ring's smallest possible reach (about 0.38 × radius).
    return random() < 0.3 ? [outer, starRing(random, center, radius * 0.2, 6, 0.3)] : [outer];
  };
  const regions: RegionShape[] = [];
  for (let k = 0; k < count; k++) {
    const code = `${codePrefix}${String(k).padStart(3, '0')}`;
    const parts = random() < 0.25 ? 2 + Math.floor(random() * 2) : 1;
    regions.push(
      parts === 1
        ? { code, geometry: { type: 'Polygon', coordinates: star() } }
        : { code, geometry: { type: 'MultiPolygon', coordinates: Array.from({ length: parts }, star) } },
    );
  }
  return regions;
}

/**
 * `count` points: a share `outsideShare` in a frame around `extent` (10% wider on each side), the rest
 * uniform inside it. Points inside the extent may still miss every region (holes, ragged borders).
 */
export function randomPoints(random: () => number, count: number, extent: Extent, outsideShare: number): Position[] {
  const [minX, minY, maxX, maxY] = extent;
  const w = maxX - minX;
  const h = maxY - minY;
  const points: Position[] = [];
  while (points.length < count) {
    if (random() >= outsideShare) {
      points.push([minX + random() * w, minY + random() * h]);
      continue;
    }
    // Redraw until the point lands in the frame, so the outside share is what was asked for.
    for (;;) {
      const x = minX - 0.1 * w + random() * 1.2 * w;
      const y = minY - 0.1 * h + random() * 1.2 * h;
      if (x < minX || x > maxX || y < minY || y > maxY) {
        points.push([x, y]);
        break;
      }
    }
  }
  return points;
}
