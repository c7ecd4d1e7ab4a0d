import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEED_KMH, recommendUnits, TYPICAL_SPEED_KMH, type UnitCandidate } from './recommend.ts';

const unit = (over: Partial<UnitCandidate> & { unitId: string }): UnitCandidate => ({
  callSign: over.unitId.toUpperCase(),
  kind: 'fire_engine',
  agency: 'fire',
  status: 'available',
  serves: ['fire'],
  position: null,
  station: null,
  ...over,
});
const at = (lon: number, lat: number) => ({ lon, lat, at: '2026-12-01T00:00:00.000Z' });
const FIRE = { id: 'inc-1', lon: 120, lat: 30, category: 'fire' };

describe('recommendUnits', () => {
  // Every unit sits due north or south of the incident, so each distance is an arc of the
  // meridian, R·Δφ: 0.01° = 1111.95 m with R = 6,371,008.8 m (worked out by hand, not by haversine).
  const units: UnitCandidate[] = [
    unit({ unitId: 'fe-a', position: at(120, 30.01) }), // 1111.95 m at 30 km/h: 133.43 s
    unit({ unitId: 'pc-b', kind: 'police_car', agency: 'police', serves: ['fire', 'traffic'], position: at(120, 29.985) }), // 1667.93 m at 37 km/h: 162.28 s
    unit({ unitId: 'amb-c', kind: 'ambulance', serves: ['public_health'], position: at(120, 30.0001) }), // does not serve fire
    unit({ unitId: 'fe-d', status: 'en_route', position: at(120, 30.0001) }), // busy
    unit({ unitId: 'uc-e', kind: 'utility_crew', serves: ['infrastructure', 'fire', 'flood'], station: { lon: 120, lat: 30.005 } }), // at its station: 555.98 m at 22 km/h: 90.98 s
    unit({ unitId: 'fe-f' }), // nowhere to be placed
    unit({ unitId: 'dr-g', kind: 'drone', position: at(120, 30.002) }), // unknown kind: 222.39 m at 18 km/h: 44.48 s
    unit({ unitId: 'fe-0', status: 'returning', position: at(120, 29.99) }), // same distance as fe-a: tie broken by id
    unit({ unitId: 'fe-h', status: 'out_of_service', position: at(120, 30) }),
  ];

  it('ranks free, capable units by straight-line distance over their kind’s speed', () => {
    const answer = recommendUnits(FIRE, units);
    expect(answer.method).toBe('straight-line distance at typical speed per kind');
    expect(answer.units.map((u) => [u.unitId, u.distanceMeters, u.etaSeconds, u.speedKmh, u.from])).toEqual([
      ['dr-g', 222, 44, 18, 'position'],
      ['uc-e', 556, 91, 22, 'station'],
      ['fe-0', 1112, 133, 30, 'position'],
      ['fe-a', 1112, 133, 30, 'position'],
      ['pc-b', 1668, 162, 37, 'position'],
    ]);
    expect(answer.units.find((u) => u.unitId === 'uc-e')?.positionAt).toBeNull();
    expect(answer.units.find((u) => u.unitId === 'fe-a')?.positionAt).toBe('2026-12-01T00:00:00.000Z');
  });

  it('says which free, capable units it could not place, and why', () => {
    expect(recommendUnits(FIRE, units).excluded).toEqual([{ unitId: 'fe-f', reason: 'no reported position, and no home station with a known position' }]);
  });

  it('prefers a reported position to the home station', () => {
    const [only] = recommendUnits(FIRE, [unit({ unitId: 'x', position: at(120, 30.01), station: { lon: 120, lat: 30.0001 } })]).units;
    expect(only).toMatchObject({ from: 'position', distanceMeters: 1112 });
  });

  it('uses the speed table, and the slowest speed for a kind it does not list', () => {
    expect(DEFAULT_SPEED_KMH).toBeLessThanOrEqual(Math.min(...Object.values(TYPICAL_SPEED_KMH)));
    // With the default table the nearer fire engine wins; with a table where ambulances are twice as fast, the ambulance does.
    const slow = recommendUnits({ ...FIRE, category: 'public_health' }, [
      unit({ unitId: 'near-fe', serves: ['public_health'], position: at(120, 30.0135) }), // 1501 m at 30 km/h: 180.1 s
      unit({ unitId: 'far-amb', kind: 'ambulance', serves: ['public_health'], position: at(120, 30.0162) }), // 1801 m at 33 km/h: 196.5 s
    ]);
    expect(slow.units.map((u) => u.unitId)).toEqual(['near-fe', 'far-amb']);
    const custom = recommendUnits({ ...FIRE, category: 'public_health' }, [
      unit({ unitId: 'near-fe', serves: ['public_health'], position: at(120, 30.0135) }),
      unit({ unitId: 'far-amb', kind: 'ambulance', serves: ['public_health'], position: at(120, 30.0162) }),
    ], { fire_engine: 20, ambulance: 60 });
    // 1501 m at 20 km/h: 270 s; 1801 m at 60 km/h: 108 s.
    expect(custom.units.map((u) => [u.unitId, u.etaSeconds])).toEqual([['far-amb', 108], ['near-fe', 270]]);
  });

  it('agrees with a naive ranking by the spherical law of cosines over scattered units', () => {
    // A second formula for the same great-circle distance, written here on its own.
    const R = 6_371_008.8;
    const rad = Math.PI / 180;
    const cosineLaw = (lon1: number, lat1: number, lon2: number, lat2: number) =>
      R * Math.acos(Math.min(1, Math.sin(lat1 * rad) * Math.sin(lat2 * rad) + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.cos((lon2 - lon1) * rad)));
    const kinds = ['fire_engine', 'ambulance', 'police_car', 'utility_crew', 'boat'];
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const scattered = Array.from({ length: 60 }, (_, i) =>
      unit({ unitId: `u${String(i).padStart(2, '0')}`, kind: kinds[i % kinds.length]!, serves: ['fire'], position: at(120 + (random() - 0.5) * 0.4, 30 + (random() - 0.5) * 0.4) }),
    );
    const speed: Record<string, number> = { fire_engine: 30, ambulance: 33, police_car: 37, utility_crew: 22 };
    const naive = scattered
      .map((u) => ({ id: u.unitId, eta: cosineLaw(u.position!.lon, u.position!.lat, 120, 30) / ((speed[u.kind] ?? 18) / 3.6) }))
      .sort((a, b) => a.eta - b.eta);
    const answer = recommendUnits(FIRE, scattered);
    expect(answer.units.map((u) => u.unitId)).toEqual(naive.map((n) => n.id));
    for (const [i, u] of answer.units.entries()) expect(Math.abs(u.etaSeconds - naive[i]!.eta)).toBeLessThanOrEqual(0.5 + 1e-6);
  });
});
