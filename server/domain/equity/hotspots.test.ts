import { describe, expect, it } from 'vitest';
import { findHotspots } from './hotspots.ts';
import { DEFAULT_SILENT_THRESHOLDS, type CellSet } from './types.ts';

interface FixtureCell { lon: number; lat: number; population: number; access: number; region: string | null }

// City mean access 1.0 (given), low-access line 0.5. Bins of 0.05°:
//   bin P (lon 120.00–120.05, lat 30.00–30.05): p1 100 @ 0 (R1), p2 300 @ 0.1 (R2), p3 200 @ 0.1 (R2), p4 1000 @ 5 (served)
//   bin Q (lon 120.10–120.15):                  q1 400 @ 0.2 (R1), q2 100 @ 0 (R1)
//   bin S (lon 120.20–120.25, lat 30.10–30.15): s1  50 @ 0 (R3)
//   empty low-access cell z (0 people) and two served cells of 100 people each
// Populated cells: 50, 100, 100, 100, 100, 200, 300, 400, 1000 → median 100 → a hotspot needs ≥ 300 low-access residents.
//   P: 600 residents, mean access (0 + 30 + 20) / 600 = 1/12, mostly R2  → hotspot-1
//   Q: 500 residents, mean access (80 + 0) / 500 = 0.16, R1              → hotspot-2
//   S:  50 residents                                                      → dropped
const list: FixtureCell[] = [
  { lon: 120.01, lat: 30.01, population: 100, access: 0, region: 'R1' },
  { lon: 120.11, lat: 30.01, population: 400, access: 0.2, region: 'R1' },
  { lon: 120.02, lat: 30.03, population: 300, access: 0.1, region: 'R2' },
  { lon: 120.21, lat: 30.11, population: 50, access: 0, region: 'R3' },
  { lon: 120.04, lat: 30.02, population: 200, access: 0.1, region: 'R2' },
  { lon: 120.03, lat: 30.03, population: 1000, access: 5, region: 'R2' },
  { lon: 120.12, lat: 30.02, population: 100, access: 0, region: 'R1' },
  { lon: 120.31, lat: 30.11, population: 0, access: 0, region: 'R3' },
  { lon: 120.21, lat: 30.21, population: 100, access: 2, region: null },
  { lon: 120.22, lat: 30.21, population: 100, access: 3, region: null },
];
const cells: CellSet = {
  ids: list.map((_, i) => `c${i}`),
  lon: Float64Array.from(list, (c) => c.lon),
  lat: Float64Array.from(list, (c) => c.lat),
  population: Float64Array.from(list, (c) => c.population),
  regionCodes: list.map((c) => c.region),
};
const access = Float64Array.from(list, (c) => c.access);

describe('findHotspots', () => {
  it('keeps the bins with enough low-access residents, largest first', () => {
    const spots = findHotspots(cells, access, 1.0, DEFAULT_SILENT_THRESHOLDS);
    expect(spots.map((h) => [h.id, h.cells, h.population, h.regionCode])).toEqual([
      ['hotspot-1', 3, 600, 'R2'],
      ['hotspot-2', 2, 500, 'R1'],
    ]);
    const [p, q] = spots;
    expect(p?.meanAccess).toBeCloseTo(1 / 12, 14);
    expect(p?.lon).toBeCloseTo((100 * 120.01 + 300 * 120.02 + 200 * 120.04) / 600, 12);
    expect(p?.lat).toBeCloseTo((100 * 30.01 + 300 * 30.03 + 200 * 30.02) / 600, 12);
    expect(p?.bbox).toEqual([120.01, 30.01, 120.04, 30.03]);
    expect(q?.meanAccess).toBeCloseTo(0.16, 14);
    expect(q?.bbox).toEqual([120.11, 30.01, 120.12, 30.02]);
  });

  it('honours max and binDegrees', () => {
    expect(findHotspots(cells, access, 1.0, DEFAULT_SILENT_THRESHOLDS, { max: 1 }).map((h) => h.population)).toEqual([600]);
    // One 1° bin holds all six low-access populated cells: 1,150 residents, R1 600, R2 500, R3 50.
    const one = findHotspots(cells, access, 1.0, DEFAULT_SILENT_THRESHOLDS, { binDegrees: 1 });
    expect(one.map((h) => [h.cells, h.population, h.regionCode])).toEqual([[6, 1150, 'R1']]);
  });

  it('finds none when the city mean is 0, or when too few residents are below the line (0.05: p1, q2, s1 only)', () => {
    expect(findHotspots(cells, new Float64Array(list.length), 0, DEFAULT_SILENT_THRESHOLDS)).toEqual([]);
    expect(findHotspots(cells, access, 0.1, DEFAULT_SILENT_THRESHOLDS)).toEqual([]);
  });
});
