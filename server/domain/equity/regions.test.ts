import { describe, expect, it } from 'vitest';
import { summariseRegions } from './regions.ts';
import { DEFAULT_SILENT_THRESHOLDS, type CellSet, type RegionRef } from './types.ts';

interface FixtureCell { region: string | null; population: number; access: number }

function fixture(list: readonly FixtureCell[]): { cells: CellSet; access: Float64Array } {
  return {
    cells: {
      ids: list.map((_, i) => `c${i}`),
      lon: Float64Array.from(list, (_, i) => 120 + i * 0.01),
      lat: Float64Array.from(list, () => 30),
      population: Float64Array.from(list, (c) => c.population),
      regionCodes: list.map((c) => c.region),
    },
    access: Float64Array.from(list, (c) => c.access),
  };
}

// City mean access 1.0 (given), thresholds 0.5 / 0.5: low access is below 0.5.
//   region  cells (pop × access)       pop   mean   zero share  appeals  per 10k
//   QUIET   1000×0.1, 1000×0           2000  0.05   0.5         0        0        underserved, silent
//   SERVED  4000×2                     4000  2      0           2        5        —
//   VOCAL   2000×0.2                   2000  0.2    0           20       100      underserved, not silent
//   EDGE    1000×0.5                   1000  0.5    0           0        0        exactly at the line: not underserved
//   EMPTY   1 cell, 0 people           0     0      0           3        0        never flagged
// Outside: 500 people in no region, 300 in an unlisted region X, 1000 appeals of unlisted Z: ignored.
// City appeals per 10k = (0 + 2 + 20 + 0 + 3) × 10,000 / (2000 + 4000 + 2000 + 1000 + 0) = 250,000 / 9,000
const regions: RegionRef[] = ['QUIET', 'SERVED', 'VOCAL', 'EDGE', 'EMPTY'].map((code) => ({ code, name: `${code.toLowerCase()} district` }));
const { cells, access } = fixture([
  { region: 'QUIET', population: 1000, access: 0.1 },
  { region: 'SERVED', population: 4000, access: 2 },
  { region: 'QUIET', population: 1000, access: 0 },
  { region: 'VOCAL', population: 2000, access: 0.2 },
  { region: 'EDGE', population: 1000, access: 0.5 },
  { region: 'EMPTY', population: 0, access: 0 },
  { region: null, population: 500, access: 0 },
  { region: 'X', population: 300, access: 0 },
]);
const appeals = new Map([['SERVED', 2], ['VOCAL', 20], ['EMPTY', 3], ['Z', 1000]]);

describe('summariseRegions', () => {
  const { regions: out, silentRule } = summariseRegions(cells, access, regions, appeals, 1.0, DEFAULT_SILENT_THRESHOLDS);
  const byCode = new Map(out.map((r) => [r.code, r]));

  it('lists the regions in the given order with their names', () => {
    expect(out.map((r) => [r.code, r.name])).toEqual(regions.map((r) => [r.code, r.name]));
  });

  it('weights access by population and counts the zero-access share', () => {
    expect(byCode.get('QUIET')).toMatchObject({ population: 2000, zeroAccessShare: 0.5, appeals: 0, appealsPer10k: 0 });
    expect(byCode.get('QUIET')?.meanAccess).toBeCloseTo(0.05, 15);
    expect(byCode.get('SERVED')).toMatchObject({ population: 4000, meanAccess: 2, zeroAccessShare: 0, appeals: 2, appealsPer10k: 5 });
    expect(byCode.get('VOCAL')).toMatchObject({ population: 2000, appeals: 20, appealsPer10k: 100 });
  });

  it('states the city appeal rate over the listed regions only', () => {
    expect(silentRule).toEqual({ appealDays: 30, lowAccessShare: 0.5, fewAppealsShare: 0.5, cityAppealsPer10k: 250_000 / 9_000 });
  });

  it('flags low access with no appeals as silent; served or vocal regions are not', () => {
    expect(byCode.get('QUIET')).toMatchObject({ underserved: true, silent: true });
    expect(byCode.get('SERVED')).toMatchObject({ underserved: false, silent: false });
    expect(byCode.get('VOCAL')).toMatchObject({ underserved: true, silent: false });
    expect(byCode.get('EDGE')).toMatchObject({ underserved: false, silent: false });
  });

  it('never flags a region without residents', () => {
    expect(byCode.get('EMPTY')).toEqual({
      code: 'EMPTY', name: 'empty district', population: 0, meanAccess: 0, zeroAccessShare: 0, appeals: 3, appealsPer10k: 0, silent: false, underserved: false,
    });
  });

  it('calls nobody silent when the city has no appeals at all, and follows the thresholds given', () => {
    const quiet = summariseRegions(cells, access, regions, new Map(), 1.0, DEFAULT_SILENT_THRESHOLDS);
    expect(quiet.silentRule.cityAppealsPer10k).toBe(0);
    expect(quiet.regions.filter((r) => r.silent)).toEqual([]);
    expect(quiet.regions.filter((r) => r.underserved).map((r) => r.code)).toEqual(['QUIET', 'VOCAL']);
    // A stricter low-access line (0.1 × μ) leaves VOCAL (0.2) served, QUIET (0.05) not; a looser
    // few-appeals share (5 × 27.8 = 139 per 10k) makes VOCAL's 100 "few" once it is underserved.
    const strict = summariseRegions(cells, access, regions, appeals, 1.0, { appealDays: 7, lowAccessShare: 0.1, fewAppealsShare: 5 });
    expect(strict.regions.filter((r) => r.underserved).map((r) => r.code)).toEqual(['QUIET']);
    const loose = summariseRegions(cells, access, regions, appeals, 1.0, { appealDays: 7, lowAccessShare: 0.5, fewAppealsShare: 5 });
    expect(loose.regions.filter((r) => r.silent).map((r) => r.code)).toEqual(['QUIET', 'VOCAL']);
    expect(loose.silentRule.appealDays).toBe(7);
  });
});
