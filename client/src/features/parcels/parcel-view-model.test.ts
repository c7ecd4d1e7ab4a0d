import { describe, expect, it } from 'vitest';
import type { ParcelStep, ParcelSurroundings } from '#contract/index.ts';
import {
  documentDate,
  documentsByDepartment,
  formatArea,
  formatDistance,
  geometryBounds,
  groupFacilities,
  timelineRows,
} from './parcel-view-model.ts';

const actor = { name: 'planner', role: 'planner' };
const steps: ParcelStep[] = [
  {
    seq: 1, step: 'planned', department: '自然资源和规划局', actor, at: '2026-01-15T02:00:00Z', note: null,
    documents: [
      { title: '控制性详细规划批复', number: '杭规批〔2026〕12号', issuedAt: '2026-01-10' },
      { title: '规划条件', number: '杭规条〔2026〕3号', issuedAt: '2026-01-12' },
    ],
  },
  {
    seq: 5, step: 'supplied', department: '公共资源交易中心', actor, at: '2026-02-01T03:00:00Z', note: null,
    documents: [{ title: '国有建设用地使用权出让合同', number: '杭出让〔2026〕7号', issuedAt: '2026-02-01' }],
  },
  {
    seq: 9, step: 'planning_permit', department: '自然资源和规划局', actor, at: '2026-03-01T03:00:00Z', note: '按规划条件',
    documents: [{ title: '建设工程规划许可证', number: '建字第330106202600012号', issuedAt: '2026-03-01' }],
  },
];

describe('timelineRows', () => {
  it('lists all seven stages: earlier ones done, the parcel’s stage current, then next and pending', () => {
    const rows = timelineRows('planning_permit', steps);
    expect(rows.map((r) => [r.stage, r.state])).toEqual([
      ['planned', 'done'],
      ['supplied', 'done'],
      ['planning_permit', 'current'],
      ['construction_permit', 'next'],
      ['completed', 'pending'],
      ['registered', 'pending'],
      ['supervised', 'pending'],
    ]);
    expect(rows.map((r) => r.step?.seq ?? null)).toEqual([1, 5, 9, null, null, null, null]);
  });

  it('has no next stage once supervised', () => {
    const rows = timelineRows('supervised', []);
    expect(rows.filter((r) => r.state === 'done')).toHaveLength(6);
    expect(rows.at(-1)?.state).toBe('current');
    expect(rows.some((r) => r.state === 'next')).toBe(false);
  });

  it('a freshly coded parcel is current at planned with supplied next', () => {
    const rows = timelineRows('planned', steps.slice(0, 1));
    expect(rows.slice(0, 3).map((r) => r.state)).toEqual(['current', 'next', 'pending']);
  });
});

describe('documentsByDepartment', () => {
  it('groups every document under its department, in the order the departments first acted', () => {
    expect(documentsByDepartment(steps)).toEqual([
      {
        department: '自然资源和规划局',
        documents: [
          { stage: 'planned', title: '控制性详细规划批复', number: '杭规批〔2026〕12号', issuedAt: '2026-01-10' },
          { stage: 'planned', title: '规划条件', number: '杭规条〔2026〕3号', issuedAt: '2026-01-12' },
          { stage: 'planning_permit', title: '建设工程规划许可证', number: '建字第330106202600012号', issuedAt: '2026-03-01' },
        ],
      },
      {
        department: '公共资源交易中心',
        documents: [{ stage: 'supplied', title: '国有建设用地使用权出让合同', number: '杭出让〔2026〕7号', issuedAt: '2026-02-01' }],
      },
    ]);
  });

  it('is empty without steps', () => {
    expect(documentsByDepartment([])).toEqual([]);
  });
});

describe('groupFacilities', () => {
  const f = (id: string, kind: string, distanceM: number): ParcelSurroundings['facilities'][number] => ({ id, kind, name: id, distanceM, lon: 0, lat: 0 });
  it('puts hospitals, clinics, schools, elderly care and fire stations first, unknown kinds after by name, nearest first', () => {
    const groups = groupFacilities([f('s2', 'school', 400), f('p1', 'park', 50), f('h1', 'hospital', 300), f('s1', 'school', 120), f('l1', 'library', 10), f('f1', 'fire_station', 90)]);
    expect(groups.map((g) => [g.kind, g.facilities.map((x) => x.id)])).toEqual([
      ['hospital', ['h1']],
      ['school', ['s1', 's2']],
      ['fire_station', ['f1']],
      ['library', ['l1']],
      ['park', ['p1']],
    ]);
  });
});

describe('formatting', () => {
  it('writes areas in m² with mu (zh) or hectares (en)', () => {
    // 12,345.6 m² ÷ 666.67 m²/mu = 18.52 mu; ÷ 10,000 = 1.23 ha.
    expect(formatArea(12_345.6, 'zh-CN')).toBe('12,346 平方米（18.5 亩）');
    expect(formatArea(12_345.6, 'en')).toBe('12,346 m² (1.23 ha)');
    expect(formatArea(666.667, 'zh-CN')).toBe('667 平方米（1.0 亩）');
    expect(formatArea(Number.NaN, 'en')).toBe('—');
  });

  it('writes distances in whole metres below a kilometre', () => {
    expect(formatDistance(0, 'en')).toBe('0 m');
    expect(formatDistance(123.4, 'zh-CN')).toBe('123 米');
    expect(formatDistance(999.4, 'en')).toBe('999 m');
    expect(formatDistance(999.6, 'en')).toBe('1.0 km');
    expect(formatDistance(1_250, 'zh-CN')).toBe('1.3 公里');
  });

  it('keeps a document’s date as written, whatever zone it names', () => {
    expect(documentDate('2026-02-01')).toBe('2026-02-01');
    expect(documentDate('2026-02-01T23:30:00+08:00')).toBe('2026-02-01');
  });
});

describe('geometryBounds', () => {
  it('spans every ring of a MultiPolygon', () => {
    const bounds = geometryBounds({
      type: 'MultiPolygon',
      coordinates: [
        [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]],
        [[[120.3, 30.1], [120.35, 30.1], [120.35, 30.15], [120.3, 30.1]]],
      ],
    });
    expect(bounds).toEqual([[120.1, 30.1], [120.35, 30.3]]);
  });
  it('is null for a geometry without points', () => {
    expect(geometryBounds({ type: 'Polygon', coordinates: [] })).toBeNull();
  });
});
