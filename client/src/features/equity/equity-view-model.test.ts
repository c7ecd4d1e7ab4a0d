import { describe, expect, it } from 'vitest';
import type { EquityRegion, EquityResult, WhatIfResult } from '#contract/equity.ts';
import { changedDistricts, districtRows, formatAccess, formatIndex, formatSigned, kindName, lorenzPath, median } from './equity-view-model.ts';

const region = (code: string, patch: Partial<EquityRegion>): EquityRegion => ({
  code, name: `区${code}`, population: 10_000, meanAccess: 0.002, zeroAccessShare: 0, appeals: 0, appealsPer10k: 0, silent: false, underserved: false, ...patch,
});

const result = (regions: EquityRegion[]): EquityResult => ({
  kind: 'hospital', radius: 5000, method: '2sfca', inputsVersion: 1, computedAt: '2026-01-01T00:00:00Z', synthetic: false,
  facilities: 3, population: 40_000, meanAccess: 0.004, zeroAccessShare: 0.1, gini: 0.3, theil: 0.2,
  lorenz: [[0, 0], [1, 1]], cells: [], regions, hotspots: [],
  silentRule: { appealDays: 30, lowAccessShare: 0.5, fewAppealsShare: 0.5, cityAppealsPer10k: 12 },
});

describe('districtRows', () => {
  const regions = [
    region('A', { meanAccess: 0.004 }),
    region('B', { meanAccess: 0.0015, underserved: true, appealsPer10k: 20, zeroAccessShare: 0.25 }),
    region('C', { meanAccess: 0.0019, underserved: true, silent: true, appealsPer10k: 2.04 }),
    region('D', { meanAccess: 0.0005, underserved: true, appealsPer10k: 30 }),
  ];

  it('lists only flagged districts: silent first, then the underserved from the lowest access up', () => {
    expect(districtRows(result(regions), 'en').map((r) => r.code)).toEqual(['C', 'D', 'B']);
  });

  it('shows access per 1,000 residents, the no-access share in percent and appeals to one decimal', () => {
    const b = districtRows(result(regions), 'en').find((r) => r.code === 'B');
    // 0.0015 per resident = 1.5 per 1,000; 0.25 = 25.0 %.
    expect(b).toMatchObject({ name: '区B', meanAccess: '1.5', zeroAccessShare: '25.0%', appealsPer10k: '20.0', silent: false, underserved: true });
  });

  it('gives a silent district’s reason from the rule’s thresholds and the city’s figures', () => {
    const c = districtRows(result(regions), 'en')[0];
    expect(c?.reason).toEqual({
      key: 'equity.silentReason',
      // City mean 0.004 = 4 per 1,000; 50 % thresholds; 2.04 appeals → "2.0"; city 12 → "12.0".
      params: { mean: '1.9', city: '4', low: 50, days: 30, appeals: '2.0', cityAppeals: '12.0', few: 50 },
    });
    expect(districtRows(result(regions), 'en')[1]?.reason).toEqual({ key: 'equity.underservedReason', params: { mean: '0.5', city: '4', low: 50 } });
  });

  it('is empty when no district is flagged', () => {
    expect(districtRows(result([region('A', {})]), 'zh-CN')).toEqual([]);
  });
});

describe('changedDistricts', () => {
  const change = (before: number, after: number) => ({ before, after, delta: after - before });
  const flag = (before: boolean, after: boolean) => ({ before, after, delta: null });
  const whatIf = {
    after: result([region('A', {}), region('B', { name: '北区' }), region('C', {})]),
    changes: {
      gini: change(0.3, 0.25), theil: change(0.2, 0.15), meanAccess: change(0.004, 0.005), zeroAccessShare: change(0.1, 0.05), hotspots: change(2, 1),
      regions: [
        { code: 'A', meanAccess: change(0.002, 0.0025), zeroAccessShare: change(0, 0), silent: flag(false, false), underserved: flag(false, false) },
        { code: 'B', meanAccess: change(0.001, 0.003), zeroAccessShare: change(0.5, 0), silent: flag(true, false), underserved: flag(true, false) },
        { code: 'C', meanAccess: change(0.004, 0.004), zeroAccessShare: change(0, 0), silent: flag(false, false), underserved: flag(false, false) },
      ],
      cells: [],
    },
  } as WhatIfResult;

  it('keeps districts whose mean access moved, the biggest gain first, with their names', () => {
    const rows = changedDistricts(whatIf);
    expect(rows.map((r) => [r.code, r.name])).toEqual([['B', '北区'], ['A', '区A']]);
    expect(rows[0]).toMatchObject({ before: 0.001, after: 0.003, silentBefore: true, silentAfter: false });
    expect(rows[0]?.delta).toBeCloseTo(0.002, 12);
  });
});

describe('formats', () => {
  it('prints indices to three decimals and deltas with a sign', () => {
    expect(formatIndex(0.31249)).toBe('0.312');
    expect(formatSigned(-0.0123, formatIndex)).toBe('−0.012');
    expect(formatSigned(0.0123, formatIndex)).toBe('+0.012');
    expect(formatSigned(0.0001, formatIndex)).toBe('±0.000');
  });

  it('prints access per 1,000 with three significant digits', () => {
    expect(formatAccess(0.0042345, 'en')).toBe('4.23');
    expect(formatAccess(1.5, 'en')).toBe('1,500');
    expect(formatAccess(0, 'en')).toBe('0');
  });

  it('names kinds from the contract, or as sent', () => {
    expect(kindName('elderly_care', 'zh-CN')).toBe('养老机构');
    expect(kindName('fire_station', 'en')).toBe('Fire stations');
    expect(kindName('library', 'en')).toBe('library');
  });

  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('lorenzPath', () => {
  it('draws (0,0) bottom-left to (1,1) top-right in a 100-unit box', () => {
    expect(lorenzPath([[0, 0], [0.5, 0.2], [1, 1]], 100)).toBe('M0.0 100.0L50.0 80.0L100.0 0.0');
  });
});
