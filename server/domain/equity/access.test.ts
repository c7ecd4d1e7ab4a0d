import { describe, expect, it } from 'vitest';
import { gaussian, mulberry32, type Random } from '../../demo/random.ts';
import { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';
import { CellIndex, computeAccess, naiveAccess } from './access.ts';
import type { AccessOptions, CellSet, FacilityPoint } from './types.ts';

/** Longitude of a point `m` metres east of 0° on the equator (a great circle, so d = R·Δλ). */
const equatorLon = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

function cellSet(points: ReadonlyArray<{ lon: number; lat: number; population: number }>): CellSet {
  return {
    ids: points.map((_, i) => `c${i}`),
    lon: Float64Array.from(points, (p) => p.lon),
    lat: Float64Array.from(points, (p) => p.lat),
    population: Float64Array.from(points, (p) => p.population),
    regionCodes: points.map(() => null),
  };
}

/**
 * docs/domain.md §7 read literally, written apart from the module: for each facility the (weighted) people
 * within d0 of it, then for each cell the sum over facilities within d0 of it.
 */
function referenceAccess(cells: CellSet, facilities: readonly FacilityPoint[], { radiusM, method }: AccessOptions): number[] {
  const weight = (d: number): number => {
    if (d > radiusM) return 0;
    if (method === '2sfca') return 1;
    return (Math.exp(-0.5 * (d / radiusM) ** 2) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
  };
  const n = cells.ids.length;
  const ratio = facilities.map((f) => {
    let people = 0;
    for (let k = 0; k < n; k++) people += weight(haversineM(f.lon, f.lat, cells.lon[k]!, cells.lat[k]!)) * cells.population[k]!;
    return people > 0 ? f.capacity / people : 0;
  });
  return Array.from({ length: n }, (_, i) =>
    facilities.reduce((sum, f, j) => sum + weight(haversineM(f.lon, f.lat, cells.lon[i]!, cells.lat[i]!)) * ratio[j]!, 0));
}

/** Largest |a − b| / max(|a|, |b|) over the cells (0 where both are 0). */
function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y) worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y)));
  }
  return worst;
}

/**
 * A held-out city nobody tuned against: clustered residents around a few centres (some cells empty),
 * facilities with random capacities, some placed exactly on a cell.
 */
function heldOutCity(rand: Random, centreLon: number, centreLat: number, cellCount: number, facilityCount: number) {
  const kmLat = 1 / 111.195;
  const kmLon = kmLat / Math.cos((centreLat * Math.PI) / 180);
  const centres = Array.from({ length: 6 }, () => ({ x: (rand() - 0.5) * 24, y: (rand() - 0.5) * 24, spread: 0.8 + rand() * 3 }));
  const points = Array.from({ length: cellCount }, () => {
    const c = centres[Math.floor(rand() * centres.length)]!;
    const clustered = rand() < 0.8;
    const x = clustered ? c.x + gaussian(rand) * c.spread : (rand() - 0.5) * 30;
    const y = clustered ? c.y + gaussian(rand) * c.spread : (rand() - 0.5) * 30;
    return { lon: centreLon + x * kmLon, lat: centreLat + y * kmLat, population: rand() < 0.1 ? 0 : Math.round(rand() * 800) };
  });
  const cells = cellSet(points);
  const facilities: FacilityPoint[] = Array.from({ length: facilityCount }, (_, j) => {
    const onCell = j % 5 === 0 ? points[Math.floor(rand() * points.length)]! : null;
    return {
      id: `f${j}`,
      lon: onCell?.lon ?? centreLon + (rand() - 0.5) * 28 * kmLon,
      lat: onCell?.lat ?? centreLat + (rand() - 0.5) * 28 * kmLat,
      capacity: 1 + Math.round(rand() * 999),
    };
  });
  return { cells, facilities };
}

describe('computeAccess on a hand-computed town (2SFCA, d0 = 1,000 m, along the equator)', () => {
  // Cells and facilities on the equator at x metres east of 0°:
  //   cell  x(m)   pop  | d to F1 (x=0, cap 100) | d to F2 (x=1200, cap 60)
  //   c0       0   100  |      0  in             |   1200  out
  //   c1     500   200  |    500  in             |    700  in
  //   c2    1500   300  |   1500  out            |    300  in
  //   c3    3000   400  |   3000  out            |   1800  out
  // R1 = 100 / (100 + 200) = 1/3; R2 = 60 / (200 + 300) = 0.12
  // A = [1/3, 1/3 + 0.12, 0.12, 0]
  const cells = cellSet([0, 500, 1500, 3000].map((x, i) => ({ lon: equatorLon(x), lat: 0, population: [100, 200, 300, 400][i]! })));
  const facilities: FacilityPoint[] = [
    { id: 'F1', lon: equatorLon(0), lat: 0, capacity: 100 },
    { id: 'F2', lon: equatorLon(1200), lat: 0, capacity: 60 },
  ];
  const options: AccessOptions = { radiusM: 1000, method: '2sfca' };

  it('gives the table’s access, indexed and naive', () => {
    const expected = [1 / 3, 1 / 3 + 0.12, 0.12, 0];
    for (const access of [computeAccess(new CellIndex(cells), facilities, options), naiveAccess(cells, facilities, options)]) {
      expect(access).toHaveLength(4);
      access.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
      expect(access[3]).toBe(0);
    }
  });

  it('E2SFCA weighs each pair by G(d/d0): 1 at 0, 0 at d0', () => {
    // G(r) = (e^(−r²/2) − e^(−1/2)) / (1 − e^(−1/2)); pairs in reach: F1–c0 r=0, F1–c1 r=0.5, F2–c1 r=0.7, F2–c2 r=0.3
    const g = (r: number): number => (Math.exp(-0.5 * r * r) - Math.exp(-0.5)) / (1 - Math.exp(-0.5));
    const r1 = 100 / (g(0) * 100 + g(0.5) * 200);
    const r2 = 60 / (g(0.7) * 200 + g(0.3) * 300);
    const expected = [g(0) * r1, g(0.5) * r1 + g(0.7) * r2, g(0.3) * r2, 0];
    const access = computeAccess(new CellIndex(cells), facilities, { radiusM: 1000, method: 'e2sfca' });
    access.forEach((a, i) => expect(a).toBeCloseTo(expected[i]!, 12));
    expect(g(1)).toBe(0);
  });
});

describe('computeAccess edge cases', () => {
  // A populated cell and, ~960 m east of it, an empty one.
  const cells = cellSet([{ lon: 120, lat: 30, population: 50 }, { lon: 120.01, lat: 30, population: 0 }]);
  const options: AccessOptions = { radiusM: 500, method: '2sfca' };

  it('gives zero everywhere without facilities', () => {
    expect(Array.from(computeAccess(new CellIndex(cells), [], options))).toEqual([0, 0]);
  });
  it('gives R = 0 to a facility nobody lives near, and to one whose only neighbour is an empty cell', () => {
    const far = { id: 'far', lon: 121, lat: 30, capacity: 10 };
    const nearEmptyOnly = { id: 'e', lon: 120.013, lat: 30, capacity: 10 };
    expect(haversineM(nearEmptyOnly.lon, nearEmptyOnly.lat, 120.01, 30)).toBeLessThanOrEqual(500);
    expect(haversineM(nearEmptyOnly.lon, nearEmptyOnly.lat, 120, 30)).toBeGreaterThan(500);
    expect(Array.from(computeAccess(new CellIndex(cells), [far, nearEmptyOnly], options))).toEqual([0, 0]);
    expect(Array.from(naiveAccess(cells, [far, nearEmptyOnly], options))).toEqual([0, 0]);
  });
  it('scans every cell when a longitude lies outside [−180, 180], and ignores a facility at NaN', () => {
    // −180.002° is 0.003° (~330 m) east of 179.999°, but no box around 179.999° reaches below −180.
    const odd = cellSet([{ lon: -180.002, lat: 0, population: 10 }, { lon: -179.999, lat: 0, population: 30 }, { lon: 179.998, lat: 0, population: 60 }]);
    const real = { id: 'f', lon: 179.999, lat: 0, capacity: 100 };
    const nowhere = { id: 'nan', lon: Number.NaN, lat: 0, capacity: 100 };
    const options: AccessOptions = { radiusM: 500, method: '2sfca' };
    const expected = referenceAccess(odd, [real], options);
    expect(expected.every((a) => a > 0)).toBe(true);
    expect(maxRelativeDifference(computeAccess(new CellIndex(odd), [real, nowhere], options), expected)).toBeLessThanOrEqual(1e-12);
    expect(maxRelativeDifference(naiveAccess(odd, [real, nowhere], options), expected)).toBeLessThanOrEqual(1e-12);
  });
  it('handles no cells at all', () => {
    expect(computeAccess(new CellIndex(cellSet([])), [{ id: 'f', lon: 0, lat: 0, capacity: 1 }], options)).toHaveLength(0);
  });
  it('counts a cell exactly at d0 and not one a millimetre beyond it', () => {
    const f = { id: 'f', lon: 120.3, lat: 30.2, capacity: 90 };
    const exact = { lon: 120.31234, lat: 30.21111, population: 30 };
    const radiusM = haversineM(f.lon, f.lat, exact.lon, exact.lat);
    const beyond = { lon: 120.3, lat: f.lat - ((radiusM + 0.001) / EARTH_RADIUS_M) * (180 / Math.PI), population: 60 };
    expect(haversineM(f.lon, f.lat, beyond.lon, beyond.lat)).toBeGreaterThan(radiusM);
    const access = computeAccess(new CellIndex(cellSet([exact, beyond])), [f], { radiusM, method: '2sfca' });
    expect(Array.from(access)).toEqual([3, 0]);
  });
});

describe('computeAccess equals the literal definition on held-out cities', () => {
  const rand = mulberry32(20_260_715);
  const city = heldOutCity(rand, 120.2, 30.27, 2_500, 40);
  const index = new CellIndex(city.cells);
  // Random catchments, plus one equal to an actual facility–cell distance so a pair sits exactly on d0.
  const onFacility = city.facilities[0]!;
  const distanceTo = (i: number): number => haversineM(onFacility.lon, onFacility.lat, city.cells.lon[i]!, city.cells.lat[i]!);
  let boundaryCell = 0;
  for (let i = 1; i < city.cells.ids.length; i++) if (Math.abs(distanceTo(i) - 2500) < Math.abs(distanceTo(boundaryCell) - 2500)) boundaryCell = i;
  const boundaryRadius = distanceTo(boundaryCell);
  const radii = [boundaryRadius, ...Array.from({ length: 3 }, () => 300 + rand() * 6000)];

  for (const method of ['2sfca', 'e2sfca'] as const) {
    it(`${method}: within 1e-9 relative for radii ${radii.map((r) => r.toFixed(0)).join(', ')} m`, () => {
      for (const radiusM of radii) {
        const options = { radiusM, method };
        const expected = referenceAccess(city.cells, city.facilities, options);
        const ours = computeAccess(index, city.facilities, options);
        expect(maxRelativeDifference(ours, expected)).toBeLessThanOrEqual(1e-9);
        expect(maxRelativeDifference(naiveAccess(city.cells, city.facilities, options), expected)).toBeLessThanOrEqual(1e-9);
        // Zero where the definition gives zero, and the city is not trivially all-zero or all-served.
        for (let i = 0; i < expected.length; i++) expect(ours[i] === 0).toBe(expected[i] === 0);
        expect(expected.some((a) => a === 0)).toBe(true);
        expect(expected.some((a) => a > 0)).toBe(true);
      }
    });
  }

  it('counts the pair exactly on d0: dropping that facility changes the cell on the boundary', () => {
    expect(haversineM(onFacility.lon, onFacility.lat, city.cells.lon[boundaryCell]!, city.cells.lat[boundaryCell]!)).toBe(boundaryRadius);
    const options = { radiusM: boundaryRadius, method: '2sfca' as const };
    const without = computeAccess(index, city.facilities.slice(1), options)[boundaryCell]!;
    const withIt = computeAccess(index, city.facilities, options)[boundaryCell]!;
    expect(withIt).toBeGreaterThan(without);
  });

  it('agrees across the antimeridian and around the North Pole', () => {
    const wrap = (lon: number): number => ((((lon + 180) % 360) + 360) % 360) - 180;
    const antimeridian = heldOutCity(mulberry32(7), 179.98, -16.5, 600, 12);
    // A cap of radius ~11 km around the pole: every longitude, latitudes 89.9–90.
    const poleRand = mulberry32(11);
    const cap = Array.from({ length: 600 }, () => ({ lon: (poleRand() - 0.5) * 360, lat: 89.9 + poleRand() * 0.1, population: Math.round(poleRand() * 300) }));
    const polar = {
      cells: cellSet(cap),
      facilities: Array.from({ length: 12 }, (_, j) => ({ id: `p${j}`, lon: (poleRand() - 0.5) * 360, lat: 89.9 + poleRand() * 0.1, capacity: 5 + poleRand() * 100 })),
    };
    for (const local of [antimeridian, polar]) {
      // Longitudes wrapped into [−180, 180), as stored data would be.
      local.cells.lon.forEach((x, i) => { local.cells.lon[i] = wrap(x); });
      for (const f of local.facilities) f.lon = wrap(f.lon);
      expect(local.cells.lon.some((x) => x < 0) && local.cells.lon.some((x) => x > 0)).toBe(true);
      for (const method of ['2sfca', 'e2sfca'] as const) {
        const options = { radiusM: 4000, method };
        const expected = referenceAccess(local.cells, local.facilities, options);
        expect(maxRelativeDifference(computeAccess(new CellIndex(local.cells), local.facilities, options), expected)).toBeLessThanOrEqual(1e-9);
        expect(expected.filter((a) => a > 0).length).toBeGreaterThan(20);
      }
    }
  });
});
