import { describe, expect, it } from 'vitest';
import { Category } from '../contract/incidents.ts';
import { UnitInput } from '../contract/units.ts';
import type { FacilityFeature, FacilityKind } from './facilities.ts';
import { mulberry32 } from './random.ts';
import { generateDemoUnits, SYNTHETIC_UNIT_PREFIX } from './units.ts';

const facility = (kind: FacilityKind, n: number): FacilityFeature => ({
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [120 + n / 100, 30 + n / 100] },
  properties: { id: `${kind}-${String(n).padStart(3, '0')}`, kind, name: `合成 ${n}`, capacity: 1, synthetic: true },
});
const FACILITIES: FacilityFeature[] = (['hospital', 'clinic', 'school', 'elderly_care', 'fire_station'] as const).flatMap((kind) =>
  Array.from({ length: 20 }, (_, i) => facility(kind, i + 1)),
);
const byId = new Map(FACILITIES.map((f) => [f.properties.id, f.properties.kind]));

describe('demo units', () => {
  it('are the same for a seed and differ between seeds', () => {
    const a = generateDemoUnits(FACILITIES, mulberry32(7));
    expect(generateDemoUnits(FACILITIES, mulberry32(7))).toEqual(a);
    const b = generateDemoUnits(FACILITIES, mulberry32(8));
    expect(b.map((u) => u.id)).toEqual(a.map((u) => u.id));
    expect(b.map((u) => u.stationId)).not.toEqual(a.map((u) => u.stationId));
  });

  it('form a small fleet the register accepts, each labelled synthetic', () => {
    const units = generateDemoUnits(FACILITIES, mulberry32(1));
    expect(units.length).toBeGreaterThanOrEqual(30);
    expect(units.length).toBeLessThanOrEqual(60);
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
    for (const u of units) {
      expect(UnitInput.safeParse(u).success).toBe(true);
      expect(u.callSign.startsWith(SYNTHETIC_UNIT_PREFIX)).toBe(true);
      expect(u.agency?.startsWith(SYNTHETIC_UNIT_PREFIX)).toBe(true);
    }
  });

  it('are based at facilities that exist and suit them; departments have no vehicle and no station', () => {
    const units = generateDemoUnits(FACILITIES, mulberry32(3));
    const expected: Record<string, FacilityKind | null> = { fire_engine: 'fire_station', ambulance: 'hospital', police_car: 'fire_station', utility_crew: 'hospital', department: null };
    for (const u of units) {
      const want = expected[u.kind];
      expect(want, u.kind).not.toBeUndefined();
      if (want === null) expect(u.stationId ?? null).toBeNull();
      else expect(byId.get(u.stationId ?? '')).toBe(want);
    }
    // Distinct stations while there are enough: twelve engines at twelve of the twenty fire stations.
    const engines = units.filter((u) => u.kind === 'fire_engine').map((u) => u.stationId);
    expect(new Set(engines).size).toBe(engines.length);
    expect(new Set(units.map((u) => u.kind))).toEqual(new Set(Object.keys(expected)));
  });

  it('serve what their kind responds to, and every category has someone', () => {
    const units = generateDemoUnits(FACILITIES, mulberry32(5));
    const must: Record<string, Category> = { fire_engine: 'fire', ambulance: 'public_health', police_car: 'public_security', utility_crew: 'infrastructure', department: 'hotline' };
    const never: Record<string, Category> = { fire_engine: 'hotline', ambulance: 'public_security', police_car: 'hazmat', utility_crew: 'public_health', department: 'fire' };
    for (const u of units) {
      expect(u.serves).toContain(must[u.kind]);
      expect(u.serves).not.toContain(never[u.kind]);
    }
    const served = new Set(units.flatMap((u) => u.serves));
    expect(Category.options.filter((c) => !served.has(c))).toEqual([]);
  });

  it('still come out with too few stations of a kind (stations are shared)', () => {
    const few = [facility('fire_station', 1), facility('fire_station', 2), facility('hospital', 1)];
    const units = generateDemoUnits(few, mulberry32(9));
    expect(units.filter((u) => u.kind === 'fire_engine').every((u) => u.stationId === 'fire_station-001' || u.stationId === 'fire_station-002')).toBe(true);
    expect(units.filter((u) => u.kind === 'ambulance').every((u) => u.stationId === 'hospital-001')).toBe(true);
  });
});
