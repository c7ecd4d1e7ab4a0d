/**
 * The demo's synthetic fleet: fire engines at fire stations, ambulances at hospitals, police cars
 * and utility crews, and the 12345 departments appeals are handed to (no vehicle, no station).
 * Pure and deterministic: the same facilities and seed give the same fleet. Every unit is labelled
 * synthetic the way the demo's incidents are: call signs and agencies start with `[合成] `.
 */
import type { Category } from '../contract/incidents.ts';
import type { KnownUnitKind, UnitInput } from '../contract/units.ts';
import type { FacilityFeature, FacilityKind } from './facilities.ts';
import { type Random } from './random.ts';

/** Prefix of every synthetic unit's call sign and agency. */
export const SYNTHETIC_UNIT_PREFIX = '[合成] ';

interface KindPlan {
  count: number;
  /**
   * Where it is based. The demo has no police stations or utility depots among its facilities:
   * police cars share the fire stations' yards (联勤 bases) and utility crews the hospitals' (which
   * keep their own power and water crews); a department has no vehicle and no station.
   */
  station: FacilityKind | null;
  agency: string;
  callSign: (n: number) => string;
  serves: Category[];
}

/** About forty units: a small slice of a real city's fleet, enough to see dispatch flow on the map. */
export const DEMO_FLEET: Readonly<Record<KnownUnitKind, KindPlan>> = {
  fire_engine: { count: 12, station: 'fire_station', agency: '杭州市消防救援支队', callSign: (n) => `消防 ${n}号车`, serves: ['fire', 'hazmat', 'flood', 'earthquake', 'traffic'] },
  ambulance: { count: 10, station: 'hospital', agency: '杭州市急救中心 120', callSign: (n) => `急救 ${n}号车`, serves: ['public_health', 'traffic', 'earthquake', 'fire'] },
  police_car: { count: 8, station: 'fire_station', agency: '杭州市公安局 110', callSign: (n) => `巡逻 ${n}号车`, serves: ['public_security', 'traffic', 'other'] },
  utility_crew: { count: 6, station: 'hospital', agency: '杭州市城市运行保障中心', callSign: (n) => `抢修 ${n}队`, serves: ['infrastructure', 'flood'] },
  department: { count: 4, station: null, agency: '', callSign: () => '', serves: ['hotline'] },
};

/** The 12345 departments: each takes hotline appeals and, for some, the category it runs. */
const DEPARTMENTS: readonly { name: string; serves: Category[] }[] = [
  { name: '市城管局', serves: ['hotline', 'other'] },
  { name: '市住建局', serves: ['hotline', 'infrastructure'] },
  { name: '市生态环境局', serves: ['hotline', 'hazmat'] },
  { name: '市卫健委', serves: ['hotline', 'public_health'] },
];

export const DEMO_UNIT_KINDS = Object.keys(DEMO_FLEET) as KnownUnitKind[];

/**
 * `count` stations of `kind`, distinct while there are enough (then repeated in the same order):
 * a seeded Fisher–Yates shuffle, so the choice depends only on the seed.
 */
function pickStations(facilities: readonly FacilityFeature[], kind: FacilityKind, count: number, rand: Random): string[] {
  const ids = facilities.filter((f) => f.properties.kind === kind).map((f) => f.properties.id);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
  }
  return ids.length === 0 ? [] : Array.from({ length: count }, (_, i) => ids[i % ids.length] as string);
}

/** The demo fleet as `PUT /api/v1/units` takes it, every unit `available`. */
export function generateDemoUnits(facilities: readonly FacilityFeature[], rand: Random): UnitInput[] {
  const units: UnitInput[] = [];
  for (const kind of DEMO_UNIT_KINDS) {
    const plan = DEMO_FLEET[kind];
    if (kind === 'department') {
      DEPARTMENTS.slice(0, plan.count).forEach((d, i) => {
        units.push({ id: `demo-dept-${String(i + 1).padStart(2, '0')}`, callSign: `${SYNTHETIC_UNIT_PREFIX}12345 ${d.name}`, kind, agency: `${SYNTHETIC_UNIT_PREFIX}${d.name}`, stationId: null, serves: d.serves, status: 'available' });
      });
      continue;
    }
    const stations = plan.station ? pickStations(facilities, plan.station, plan.count, rand) : [];
    for (let n = 1; n <= plan.count; n++) {
      units.push({
        id: `demo-${kind.replace('_', '-')}-${String(n).padStart(2, '0')}`,
        callSign: `${SYNTHETIC_UNIT_PREFIX}${plan.callSign(n)}`,
        kind,
        agency: `${SYNTHETIC_UNIT_PREFIX}${plan.agency}`,
        stationId: stations[n - 1] ?? null,
        serves: plan.serves,
        status: 'available',
      });
    }
  }
  return units;
}
