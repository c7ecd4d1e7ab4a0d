import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Position } from '../../contract/common.ts';
import { jitteredGrid, mulberry32, randomPoints, scatteredStars, type Extent } from '../../../scripts/bench/synthetic-polygons.ts';
import { assignRegion, createRegionIndex, type RegionShape } from './region-index.ts';

/** Closed axis-aligned rectangle ring, counter-clockwise. */
function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}
function polygon(code: string, ...rings: Position[][]): RegionShape {
  return { code, geometry: { type: 'Polygon', coordinates: rings } };
}
function assign(regions: RegionShape[], points: Position[]): (string | null)[] {
  const index = createRegionIndex(regions);
  return points.map(([lon, lat]) => assignRegion(index, lon, lat));
}

describe('assignRegion on hand-drawn regions', () => {
  const a = polygon('A', rect(0, 0, 2, 2));
  const b = polygon('B', rect(2, 0, 4, 2));

  it('finds the square containing a point, and null outside every square', () => {
    expect(assign([a, b], [[1, 1], [3, 1.5], [5, 5], [-0.0001, 1], [2, 2.0001]])).toEqual(['A', 'B', null, null, null]);
  });

  it('gives a point on a shared edge or corner to the region that comes first', () => {
    expect(assign([a, b], [[2, 1], [2, 0], [2, 2]])).toEqual(['A', 'A', 'A']);
    expect(assign([b, a], [[2, 1], [2, 0], [2, 2]])).toEqual(['B', 'B', 'B']);
  });

  it('counts points on outer edges and vertices as inside', () => {
    expect(assign([a, b], [[1, 0], [0, 1], [0, 0], [4, 2], [3, 2]])).toEqual(['A', 'A', 'A', 'B', 'B']);
  });

  it('counts a point exactly on a diagonal edge as inside', () => {
    const triangle = polygon('T', [[0, 0], [4, 2], [0, 2], [0, 0]]);
    expect(assign([triangle], [[1, 0.5], [2, 1], [1, 0.49], [1, 0.51]])).toEqual(['T', 'T', null, 'T']);
  });

  it('tells a point a hair off a diagonal edge from one on it, where plain float maths cannot', () => {
    // Points interpolated on the edge a→b for which u2·v1 − u1·v2 rounds to exactly 0 in doubles.
    // Expected values come from turf (robust-predicates' exact orient2d): the first and third lie
    // ~1e-18° outside the edge, the second on it (or just inside).
    const a: Position = [120.1234567, 30.2345678];
    const b: Position = [120.1334561, 30.2412347];
    const triangle = polygon('T', [a, b, [120.1234567, 30.2512347], a]);
    const points: Position[] = [[120.12607944226731, 30.23631646096185], [120.12707762212297, 30.236981977420804], [120.12970388673193, 30.23873298683352]];
    expect(assign([triangle], points)).toEqual([null, 'T', null]);
  });

  it('gives overlapping regions to the first one in input order', () => {
    const big = polygon('BIG', rect(0, 0, 10, 10));
    const small = polygon('SMALL', rect(4, 4, 6, 6));
    expect(assign([big, small], [[5, 5]])).toEqual(['BIG']);
    expect(assign([small, big], [[5, 5], [1, 1]])).toEqual(['SMALL', 'BIG']);
  });

  it('treats a hole as outside, its edge as inside, and gives the hole to an enclave listed later', () => {
    const ring = polygon('RING', rect(0, 0, 10, 10), rect(4, 4, 6, 6));
    const enclave = polygon('ENCLAVE', rect(4, 4, 6, 6));
    expect(assign([ring], [[5, 5], [2, 2], [4, 5], [6, 6], [8, 5]])).toEqual([null, 'RING', 'RING', 'RING', 'RING']);
    expect(assign([ring, enclave], [[5, 5], [4, 5]])).toEqual(['ENCLAVE', 'RING']);
  });

  it('treats a hole wound the same way as its outer ring as a hole (even-odd rule)', () => {
    const sameWinding = polygon('R', rect(0, 0, 10, 10), rect(4, 4, 6, 6));
    const reversed = polygon('R', rect(0, 0, 10, 10), rect(4, 4, 6, 6).reverse());
    expect(assign([sameWinding], [[5, 5], [3, 5]])).toEqual([null, 'R']);
    expect(assign([reversed], [[5, 5], [3, 5]])).toEqual([null, 'R']);
  });

  it('finds points in every part of a MultiPolygon and nothing between the parts', () => {
    const islands: RegionShape = {
      code: 'ISLANDS',
      geometry: { type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(10, 10, 11, 11), rect(10.4, 10.4, 10.6, 10.6)]] },
    };
    const index = createRegionIndex([islands, polygon('LATER', rect(0, 0, 20, 20))]);
    expect(index.size).toBe(2);
    const got = ([[0.5, 0.5], [10.2, 10.8], [5, 5], [10.5, 10.5], [30, 30]] as const).map(([x, y]) => assignRegion(index, x, y));
    expect(got).toEqual(['ISLANDS', 'ISLANDS', 'LATER', 'LATER', null]);
  });

  it('closes an unclosed ring with the edge back to its first vertex', () => {
    const triangle = polygon('T', [[0, 0], [4, 0], [0, 4]]); // closing edge runs along x = 0
    expect(assign([triangle], [[1, 1], [3, 3], [2, 2], [0, 2], [-0.5, 2], [0.01, 3.9]])).toEqual(['T', null, 'T', 'T', null, 'T']);
  });

  it('keeps the notch of a concave U shape outside', () => {
    const u = polygon('U', [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]);
    const points: Position[] = [[1.5, 2], [0.5, 2], [2.5, 2], [1.5, 0.5], [1.5, 1], [1.5, 3], [1, 2], [3.5, 2]];
    expect(assign([u], points)).toEqual([null, 'U', 'U', 'U', 'U', null, 'U', null]);
  });

  it('ignores a third value (altitude) in positions', () => {
    const withAltitude = polygon('Z', [[0, 0, 5], [2, 0, 5], [2, 2, 7], [0, 2, 5], [0, 0, 5]]);
    expect(assign([withAltitude], [[1, 1], [3, 1]])).toEqual(['Z', null]);
  });

  it('answers null for an empty index and for non-finite coordinates', () => {
    const empty = createRegionIndex([]);
    expect(empty.size).toBe(0);
    expect(assignRegion(empty, 1, 1)).toBeNull();
    const index = createRegionIndex([polygon('A', rect(0, 0, 2, 2))]);
    expect([assignRegion(index, NaN, 1), assignRegion(index, 1, Infinity)]).toEqual([null, null]);
  });
});

describe('assignRegion against brute force over every region (turf)', () => {
  const extent: Extent = [120.0, 30.0, 120.3, 30.2];
  const random = mulberry32(20260423);
  // 24 grid cells with shared borders and holes, then 16 overlapping stars (some MultiPolygons, some holes).
  const regions = [
    ...jitteredGrid(random, { cols: 6, rows: 4, verticesPerCell: 60, extent, holeEvery: 5 }),
    ...scatteredStars(random, 16, [119.98, 29.98, 120.32, 30.22]),
  ];
  const rings = regions.flatMap((r) => (r.geometry.type === 'Polygon' ? r.geometry.coordinates : r.geometry.coordinates.flat()));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  // Exact vertices and points interpolated along edges sit on or within rounding of a boundary: the
  // cases where a sloppy orientation test or boundary rule would disagree with the reference.
  const vertices = Array.from({ length: 500 }, () => pick(pick(rings)));
  const onEdges = Array.from({ length: 500 }, (): Position => {
    const ring = pick(rings);
    const k = Math.floor(random() * (ring.length - 1));
    const [p, q] = [ring[k] as Position, ring[k + 1] as Position];
    const t = random();
    return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
  });
  const points = [...randomPoints(random, 4000, [119.97, 29.97, 120.33, 30.23], 0.1), ...vertices, ...onEdges];

  const expected = points.map((p) => regions.find((r) => booleanPointInPolygon(p, r.geometry))?.code ?? null);

  it('uses a fixture that covers misses, grid cells, stars and boundaries', () => {
    expect(points).toHaveLength(5000);
    expect(regions).toHaveLength(40);
    expect(expected.filter((c) => c === null).length).toBeGreaterThan(100);
    expect(new Set(expected.filter((c) => c?.startsWith('G'))).size).toBe(24);
    expect(new Set(expected.filter((c) => c?.startsWith('S'))).size).toBeGreaterThan(8);
    expect(expected.slice(4000, 4500).every((c) => c !== null)).toBe(true); // a vertex is always inside
  });

  it('assigns all 5,000 seeded points exactly as the brute-force reference does', () => {
    const got = assign(regions, points);
    const mismatches = points.flatMap((p, i) => (got[i] === expected[i] ? [] : [{ point: p, got: got[i], expected: expected[i] }]));
    expect(mismatches).toEqual([]);
  });
});
