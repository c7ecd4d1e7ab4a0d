import { describe, expect, it } from 'vitest';
import type { RegionCollection } from '#contract/index.ts';
import { incidentPosition, labelAnchor, regionsBounds } from './geometry.ts';

const square = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]] as [number, number][];
// A "U": the centroid of its outline lies in the notch, outside the shape.
const u = [[0, 0], [6, 0], [6, 6], [4, 6], [4, 2], [2, 2], [2, 6], [0, 6], [0, 0]] as [number, number][];

describe('map geometry', () => {
  it('bounds every region, parts of multipolygons included', () => {
    const regions: RegionCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', id: 'a', geometry: { type: 'Polygon', coordinates: [square] }, properties: { code: 'a', name: 'A', population: null, populationSource: null } },
        { type: 'Feature', id: 'b', geometry: { type: 'MultiPolygon', coordinates: [[square.map(([x, y]) => [x + 10, y - 3] as [number, number])]] }, properties: { code: 'b', name: 'B', population: null, populationSource: null } },
      ],
    };
    expect(regionsBounds(regions)).toEqual([[0, -3], [14, 4]]);
    expect(regionsBounds({ type: 'FeatureCollection', features: [] })).toBeNull();
  });

  it('puts a convex region label at its centroid', () => {
    expect(labelAnchor({ type: 'Polygon', coordinates: [square] })?.position).toEqual([2, 2]);
  });

  it('keeps a concave region label inside the region', () => {
    // By hand: area 28, centroid y = (6·6·3 − 2·4·4)/28 = 76/28 ≈ 2.714, x = 3 (symmetric) — in the notch.
    const [x, y] = labelAnchor({ type: 'Polygon', coordinates: [u] })?.position ?? [NaN, NaN];
    expect(y).toBeCloseTo(76 / 28, 9);
    expect(x === 1 || x === 5).toBe(true);
  });

  it('measures a region in square metres', () => {
    // 0.1° × 0.1° at the equator ≈ 11.132 km × 11.132 km.
    const cell = [[0, 0], [0.1, 0], [0.1, 0.1], [0, 0.1], [0, 0]] as [number, number][];
    const areaM2 = labelAnchor({ type: 'Polygon', coordinates: [cell] })?.areaM2 ?? 0;
    expect(areaM2 / 1e6).toBeCloseTo(123.9, 0);
  });

  it('places a polygon incident at its centroid', () => {
    expect(incidentPosition({ type: 'Polygon', coordinates: [square] })).toEqual([2, 2]);
    expect(incidentPosition({ type: 'Point', coordinates: [120.17, 30.25] })).toEqual([120.17, 30.25]);
  });

  it('places a multipolygon incident at the area-weighted centroid of its parts', () => {
    // The 4 × 4 square (area 16, centroid (2, 2)) and a 2 × 2 square at x 10–12 (area 4, centroid (11, 1)):
    // x = (16·2 + 4·11) / 20 = 3.8, y = (16·2 + 4·1) / 20 = 1.8 — nearer the big part, as a CAP area's weight is.
    const small = [[10, 0], [12, 0], [12, 2], [10, 2], [10, 0]] as [number, number][];
    const [x, y] = incidentPosition({ type: 'MultiPolygon', coordinates: [[square], [small]] });
    expect(x).toBeCloseTo(3.8, 12);
    expect(y).toBeCloseTo(1.8, 12);
    // One part alone is that part's centroid, as for a Polygon.
    expect(incidentPosition({ type: 'MultiPolygon', coordinates: [[small]] })).toEqual([11, 1]);
  });
});
