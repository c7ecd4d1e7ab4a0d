import { describe, expect, it } from 'vitest';
import type { EquityResult } from '../../contract/equity.ts';
import { gaussian, mulberry32 } from '../../demo/random.ts';
import { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';
import { CellIndex, computeAccess } from './access.ts';
import { applyWhatIf, computeEquity, diffEquity, summariseEquity, type EquityInputs } from './equity.ts';
import type { AccessOptions, CellSet, FacilityPoint } from './types.ts';

const NOW = new Date('2026-07-15T08:00:00Z');
const equatorLon = (m: number): number => (m / EARTH_RADIUS_M) * (180 / Math.PI);

// The hand-computed town of access.test.ts (2SFCA, d0 = 1,000 m, on the equator), in two regions:
//   cell  x(m)  pop  region  A
//   c0       0  100  W       1/3
//   c1     500  200  W       1/3 + 0.12
//   c2    1500  300  E       0.12
//   c3    3000  400  E       0
// μ = 0.16, gini 0.58. W: pop 300, mean (100/3 + 200·0.45333…)/300 = 124/300; E: pop 700, mean 36/700.
// Appeals W 5, E 0 → city 50 per 10k; E is below 0.5·μ = 0.08 and below 25 per 10k: underserved, silent.
const town: CellSet = {
  ids: ['c0', 'c1', 'c2', 'c3'],
  lon: Float64Array.from([0, 500, 1500, 3000], equatorLon),
  lat: new Float64Array(4),
  population: Float64Array.from([100, 200, 300, 400]),
  regionCodes: ['W', 'W', 'E', 'E'],
};
const townFacilities: FacilityPoint[] = [
  { id: 'F1', lon: equatorLon(0), lat: 0, capacity: 100 },
  { id: 'F2', lon: equatorLon(1200), lat: 0, capacity: 60 },
];
const townOptions: AccessOptions = { radiusM: 1000, method: '2sfca' };
function townInputs(facilities: readonly FacilityPoint[] = townFacilities): EquityInputs {
  return {
    kind: 'clinic',
    index: new CellIndex(town),
    facilities,
    regions: [{ code: 'W', name: 'West' }, { code: 'E', name: 'East' }],
    appeals: new Map([['W', 5]]),
    inputsVersion: 7,
    synthetic: true,
  };
}

describe('computeEquity on the hand-computed town', () => {
  const result = computeEquity(townInputs(), townOptions, NOW);

  it('answers every field of the contract', () => {
    expect(result).toMatchObject({
      kind: 'clinic', radius: 1000, method: '2sfca', inputsVersion: 7, computedAt: '2026-07-15T08:00:00.000Z', synthetic: true,
      facilities: 2, population: 1000, zeroAccessShare: 0.4, hotspots: [],
      silentRule: { appealDays: 30, lowAccessShare: 0.5, fewAppealsShare: 0.5, cityAppealsPer10k: 50 },
    });
    expect(result.meanAccess).toBeCloseTo(0.16, 14);
    expect(result.gini).toBeCloseTo(0.58, 12);
    expect(result.lorenz[0]).toEqual([0, 0]);
    expect(result.lorenz[result.lorenz.length - 1]).toEqual([1, 1]);
    expect(result.cells.map((c) => [c.id, c.population, c.regionCode, c.lat])).toEqual([['c0', 100, 'W', 0], ['c1', 200, 'W', 0], ['c2', 300, 'E', 0], ['c3', 400, 'E', 0]]);
    [1 / 3, 1 / 3 + 0.12, 0.12, 0].forEach((a, i) => expect(result.cells[i]?.access).toBeCloseTo(a, 14));
  });

  it('summarises the regions: the quiet east is silent', () => {
    const [west, east] = result.regions;
    expect(west).toMatchObject({ code: 'W', name: 'West', population: 300, appeals: 5, underserved: false, silent: false });
    expect(west?.meanAccess).toBeCloseTo(124 / 300, 14);
    expect(west?.appealsPer10k).toBeCloseTo(5e4 / 300, 10);
    expect(east).toMatchObject({ code: 'E', name: 'East', population: 700, appeals: 0, appealsPer10k: 0, underserved: true, silent: true });
    expect(east?.meanAccess).toBeCloseTo(36 / 700, 14);
    expect(east?.zeroAccessShare).toBeCloseTo(400 / 700, 14);
  });

  it('gives the same answer from an access vector computed beforehand', () => {
    const access = computeAccess(new CellIndex(town), townFacilities, townOptions);
    expect(summariseEquity(townInputs(), access, townOptions, NOW)).toEqual(result);
  });
});

describe('applyWhatIf', () => {
  it('appends additions as what-if-1, what-if-2, … after the existing facilities', () => {
    const r = applyWhatIf(townFacilities, { add: [{ lon: 1, lat: 2, capacity: 3, name: 'new' }, { lon: 4, lat: 5, capacity: 6 }], remove: [], resize: [] });
    expect(r).toEqual({ ok: true, facilities: [...townFacilities, { id: 'what-if-1', lon: 1, lat: 2, capacity: 3 }, { id: 'what-if-2', lon: 4, lat: 5, capacity: 6 }] });
  });
  it('removes and resizes by id, leaving the input untouched', () => {
    const before = structuredClone(townFacilities);
    expect(applyWhatIf(townFacilities, { add: [], remove: ['F1'], resize: [{ id: 'F2', capacity: 120 }] })).toEqual({
      ok: true, facilities: [{ ...townFacilities[1], capacity: 120 }],
    });
    expect(townFacilities).toEqual(before);
  });
  it('refuses an unknown id, or one both removed and resized, naming the field', () => {
    const unknownRemove = applyWhatIf(townFacilities, { add: [], remove: ['F1', 'F9'], resize: [] });
    expect(unknownRemove).toMatchObject({ ok: false, path: 'remove.1' });
    expect(unknownRemove.ok ? '' : unknownRemove.message).toContain('"F9"');
    expect(applyWhatIf(townFacilities, { add: [], remove: [], resize: [{ id: 'F2', capacity: 1 }, { id: 'nope', capacity: 1 }] })).toMatchObject({ ok: false, path: 'resize.1.id' });
    expect(applyWhatIf(townFacilities, { add: [], remove: ['F2'], resize: [{ id: 'F2', capacity: 1 }] })).toMatchObject({ ok: false, path: 'resize.0.id' });
  });
});

describe('what-if in the town, by hand', () => {
  const before = computeEquity(townInputs(), townOptions, NOW);
  const whatIf = (edits: Parameters<typeof applyWhatIf>[1]): EquityResult => {
    const edited = applyWhatIf(townFacilities, edits);
    if (!edited.ok) throw new Error(edited.message);
    return computeEquity(townInputs(edited.facilities), townOptions, NOW);
  };

  it('a clinic at x = 3000 m (40 places) serves c3 alone: R = 40/400, μ 0.16 → 0.2, the east no longer silent', () => {
    const after = whatIf({ add: [{ lon: equatorLon(3000), lat: 0, capacity: 40 }], remove: [], resize: [] });
    const changes = diffEquity(before, after);
    expect(changes.cells).toEqual([{ id: 'c3', access: { before: 0, after: 0.1, delta: 0.1 } }]);
    expect(changes.zeroAccessShare).toEqual({ before: 0.4, after: 0, delta: -0.4 });
    expect(changes.meanAccess.after).toBeCloseTo(0.2, 14);
    expect(changes.meanAccess.delta).toBeCloseTo(0.04, 14);
    expect(changes.gini.delta).toBeCloseTo(after.gini - before.gini, 15);
    expect(changes.hotspots).toEqual({ before: 0, after: 0, delta: 0 });
    const east = changes.regions.find((r) => r.code === 'E');
    expect(east?.meanAccess.after).toBeCloseTo(76 / 700, 14);
    expect(east?.silent).toEqual({ before: true, after: false, delta: null });
    expect(east?.underserved).toEqual({ before: true, after: false, delta: null });
    expect(changes.regions.map((r) => r.code)).toEqual(['W', 'E']);
  });

  it('removing F1 leaves c0 with nothing and c1 with F2 only; doubling F2 doubles its share', () => {
    const removed = diffEquity(before, whatIf({ add: [], remove: ['F1'], resize: [] }));
    expect(removed.cells.map((c) => c.id)).toEqual(['c0', 'c1']);
    expect(removed.cells[0]?.access.after).toBe(0);
    expect(removed.cells[1]?.access.after).toBeCloseTo(0.12, 14);
    const resized = diffEquity(before, whatIf({ add: [], remove: [], resize: [{ id: 'F2', capacity: 120 }] }));
    expect(resized.cells.map((c) => [c.id, Number(c.access.after.toFixed(12))])).toEqual([['c1', Number((1 / 3 + 0.24).toFixed(12))], ['c2', 0.24]]);
  });

  it('compares a region present on one side only with 0 / false', () => {
    const after = { ...before, regions: before.regions.filter((r) => r.code === 'W') };
    const east = diffEquity(before, after).regions.find((r) => r.code === 'E');
    expect(east?.meanAccess.after).toBe(0);
    expect(east?.silent).toEqual({ before: true, after: false, delta: null });
  });
});

describe('what-if on a held-out city', () => {
  const rand = mulberry32(31_337);
  const n = 3_000;
  const kmLat = 1 / 111.195;
  const kmLon = kmLat / Math.cos((31.2 * Math.PI) / 180);
  const centres = Array.from({ length: 5 }, () => [(rand() - 0.5) * 20, (rand() - 0.5) * 20] as const);
  const xy = Array.from({ length: n }, () => {
    const [cx, cy] = centres[Math.floor(rand() * centres.length)]!;
    return [cx + gaussian(rand) * 2, cy + gaussian(rand) * 2] as const;
  });
  const cells: CellSet = {
    ids: xy.map((_, i) => `cell-${i}`),
    lon: Float64Array.from(xy, ([x]) => 121.4 + x * kmLon),
    lat: Float64Array.from(xy, ([, y]) => 31.2 + y * kmLat),
    population: Float64Array.from(xy, () => Math.round(rand() * 600)),
    regionCodes: xy.map(([x, y]) => `${x < 0 ? 'W' : 'E'}${y < 0 ? 'S' : 'N'}`),
  };
  const facilities: FacilityPoint[] = Array.from({ length: 35 }, (_, j) => ({
    id: `h${j}`, lon: 121.4 + (rand() - 0.5) * 24 * kmLon, lat: 31.2 + (rand() - 0.5) * 24 * kmLat, capacity: 50 + Math.round(rand() * 950),
  }));
  const inputs = (list: readonly FacilityPoint[]): EquityInputs => ({
    kind: 'hospital', index: new CellIndex(cells), facilities: list,
    regions: ['WS', 'WN', 'ES', 'EN'].map((code) => ({ code, name: code })),
    appeals: new Map([['WS', 40], ['WN', 3], ['ES', 25], ['EN', 0]]), inputsVersion: 1, synthetic: true,
  });

  for (const method of ['2sfca', 'e2sfca'] as const) {
    it(`${method}: adding one facility equals recomputing with it appended, and changes exactly the cells within d0`, () => {
      const options: AccessOptions = { radiusM: 2500, method };
      const added = { lon: cells.lon[42]!, lat: cells.lat[42]!, capacity: 700 };
      const edited = applyWhatIf(facilities, { add: [added], remove: [], resize: [] });
      if (!edited.ok) throw new Error(edited.message);
      const before = computeEquity(inputs(facilities), options, NOW);
      const after = computeEquity(inputs(edited.facilities), options, NOW);
      expect(after).toEqual(computeEquity(inputs([...facilities, { id: 'what-if-1', ...added }]), options, NOW));

      const changes = diffEquity(before, after);
      // The new facility adds G(d)·R_new to each cell strictly inside d0 (R_new > 0: people live there);
      // for 2SFCA a cell at exactly d0 counts too, for E2SFCA its weight is 0.
      const reached = cells.ids.filter((_, i) => {
        const d = haversineM(added.lon, added.lat, cells.lon[i]!, cells.lat[i]!);
        return method === '2sfca' ? d <= options.radiusM : d < options.radiusM;
      });
      expect(reached.length).toBeGreaterThan(50);
      expect(changes.cells.map((c) => c.id)).toEqual(reached);
      for (const c of changes.cells) expect(c.access.delta).toBeGreaterThan(0);
      expect(changes.meanAccess.delta).toBeGreaterThan(0);
      expect(changes.gini).toEqual({ before: before.gini, after: after.gini, delta: after.gini - before.gini });
      expect(changes.regions).toHaveLength(4);
    });
  }
});
