import { describe, expect, it } from 'vitest';
import type { EquityRegion, RegionCollection, RegionRisk } from '#contract/index.ts';
import { comparisonCsv, comparisonRows, exportFileName, sortRows, type ComparisonRow, type CsvText } from './district-comparison.ts';

const square = { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]] as [number, number][]] };
const regions: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', id: 'A', geometry: square, properties: { code: 'A', name: '上城区', population: 100_000, populationSource: null } },
    { type: 'Feature', id: 'B', geometry: square, properties: { code: 'B', name: '=西湖区', population: null, populationSource: null } },
    { type: 'Feature', id: 'C', geometry: square, properties: { code: 'C', name: '滨江区', population: 50_000, populationSource: null } },
  ],
};
const rating = (code: string, level: RegionRisk['level'], score: number) => ({ code, level, score }) as RegionRisk;
const ratings = new Map([['A', rating('A', 'yellow', 2.346)], ['C', rating('C', 'red', 12)]]);
const incidents = [
  { regionCode: 'A', status: 'reported' as const },
  { regionCode: 'A', status: 'dispatched' as const },
  { regionCode: 'A', status: 'resolved' as const },
  { regionCode: 'C', status: 'rejected' as const },
  { regionCode: null, status: 'reported' as const },
];
const equity = [
  { code: 'A', meanAccess: 0.0012346, zeroAccessShare: 0.25, silent: false },
  { code: 'C', meanAccess: 0, zeroAccessShare: 1, silent: true },
] as EquityRegion[];

describe('district comparison', () => {
  const rows = comparisonRows(regions, ratings, incidents, equity);

  it('joins regions, ratings, open incidents and access by code', () => {
    expect(rows).toEqual<ComparisonRow[]>([
      { code: 'A', name: '上城区', population: 100_000, level: 'yellow', score: 2.346, openIncidents: 2, meanAccess: 0.0012346, zeroAccessShare: 0.25, silent: false },
      { code: 'B', name: '=西湖区', population: null, level: null, score: null, openIncidents: 0, meanAccess: null, zeroAccessShare: null, silent: null },
      { code: 'C', name: '滨江区', population: 50_000, level: 'red', score: 12, openIncidents: 0, meanAccess: 0, zeroAccessShare: 1, silent: true },
    ]);
  });

  it('sorts by level then score, unknowns last either way', () => {
    expect(sortRows(rows, { key: 'risk', descending: true }, 'zh-CN').map((r) => r.code)).toEqual(['C', 'A', 'B']);
    expect(sortRows(rows, { key: 'risk', descending: false }, 'zh-CN').map((r) => r.code)).toEqual(['A', 'C', 'B']);
    expect(sortRows(rows, { key: 'population', descending: false }, 'zh-CN').map((r) => r.code)).toEqual(['C', 'A', 'B']);
    expect(sortRows(rows, { key: 'open', descending: true }, 'zh-CN').map((r) => r.code)[0]).toBe('A');
  });

  it('writes CSV with a BOM, plain numbers, quoted and formula-safe text', () => {
    const text: CsvText = {
      headers: ['code', 'name', 'pop', 'level', 'score', 'open', 'access, per 1,000', 'zero %', 'silent'],
      levelName: (level) => ({ red: 'High "red"', yellow: 'Medium' })[level as 'red' | 'yellow'],
      yes: 'yes',
      no: 'no',
    };
    expect(comparisonCsv(rows, text)).toBe(
      '\uFEFFcode,name,pop,level,score,open,"access, per 1,000",zero %,silent\r\n' +
        'A,上城区,100000,Medium,2.35,2,1.235,25.0,no\r\n' +
        "B,'=西湖区,,,,0,,,\r\n" +
        'C,滨江区,50000,"High ""red""",12.00,0,0.000,100.0,yes\r\n',
    );
  });

  it('names exports by the centre’s date, not the computer’s', () => {
    // 15:59 UTC is 23:59 in Shanghai (UTC+8, no daylight saving); two minutes later it is the 4th there.
    expect(exportFileName('map', 'png', Date.UTC(2026, 10, 3, 15, 59), 'Asia/Shanghai')).toBe('city-brain-map-2026-11-03.png');
    expect(exportFileName('map', 'png', Date.UTC(2026, 10, 3, 16, 1), 'Asia/Shanghai')).toBe('city-brain-map-2026-11-04.png');
    // The same instant is still the 3rd in New York (UTC-5 after 1 November).
    expect(exportFileName('districts', 'csv', Date.UTC(2026, 10, 3, 16, 1), 'America/New_York')).toBe('city-brain-districts-2026-11-03.csv');
  });
});
