/**
 * Which free units could reach an incident first (docs/domain.md §14): the great-circle distance
 * from where each unit is to the incident, over its kind's typical speed. No road network exists
 * offline, so this is a ranking aid, and the answer says how it estimated.
 */
import { RECOMMEND_METHOD, type Recommendation, type RecommendedUnit } from '../../contract/dispatch.ts';
import { haversineM } from '../spatial/haversine.ts';
import { ASSIGNABLE_UNIT_STATUSES } from './assignment.ts';
import type { UnitStatus } from '../../contract/units.ts';

/**
 * Typical speed of each kind of unit, km/h, as a straight-line (crow-flies) speed: a typical urban
 * road speed divided by a detour factor of about 1.35 (roads are longer than the straight line).
 * Police car 50 km/h on the road, ambulance 45, fire engine 40 (heavy), a utility crew without
 * lights and siren 30, a department's staff in ordinary traffic 25.
 */
export const TYPICAL_SPEED_KMH: Readonly<Record<string, number>> = {
  police_car: 37,
  ambulance: 33,
  fire_engine: 30,
  utility_crew: 22,
  department: 18,
};
/** Any kind not in the table: the slowest listed, so an unknown kind is never ranked ahead by guesswork. */
export const DEFAULT_SPEED_KMH = 18;

export const speedOf = (kind: string, table: Readonly<Record<string, number>> = TYPICAL_SPEED_KMH): number => table[kind] ?? DEFAULT_SPEED_KMH;

/** A unit as the ranking needs it: where it is (its last report, else its home station's position), what it serves. */
export interface UnitCandidate {
  unitId: string;
  callSign: string;
  kind: string;
  agency: string | null;
  status: UnitStatus;
  /** Categories it serves: a unit that serves every category lists them all. */
  serves: readonly string[];
  /** Its last reported position, `null` when it never reported one. */
  position: { lon: number; lat: number; at: string } | null;
  /** Its home station's position, `null` when it has no station or the station is not a stored facility. */
  station: { lon: number; lat: number } | null;
}

/** Whether the unit is free to be assigned and serves this category. */
export const isCandidate = (unit: UnitCandidate, category: string): boolean =>
  ASSIGNABLE_UNIT_STATUSES.includes(unit.status) && unit.serves.includes(category);

/**
 * Free units that serve `category`, shortest estimated arrival first (ties: shorter distance, then
 * unit id); units that cannot be placed are listed in `excluded`, not guessed.
 */
export function recommendUnits(
  incident: { id: string; lon: number; lat: number; category: string },
  units: readonly UnitCandidate[],
  speeds: Readonly<Record<string, number>> = TYPICAL_SPEED_KMH,
): Recommendation {
  const ranked: (RecommendedUnit & { exactEta: number; exactDistance: number })[] = [];
  const excluded: Recommendation['excluded'] = [];
  for (const unit of units) {
    if (!isCandidate(unit, incident.category)) continue;
    const where = unit.position ?? unit.station;
    if (!where) {
      excluded.push({ unitId: unit.unitId, reason: 'no reported position, and no home station with a known position' });
      continue;
    }
    const speedKmh = speedOf(unit.kind, speeds);
    const exactDistance = haversineM(where.lon, where.lat, incident.lon, incident.lat);
    const exactEta = exactDistance / (speedKmh / 3.6);
    ranked.push({
      unitId: unit.unitId,
      callSign: unit.callSign,
      kind: unit.kind,
      agency: unit.agency,
      status: unit.status,
      distanceMeters: Math.round(exactDistance),
      etaSeconds: Math.round(exactEta),
      speedKmh,
      from: unit.position ? 'position' : 'station',
      positionAt: unit.position?.at ?? null,
      exactEta,
      exactDistance,
    });
  }
  ranked.sort((a, b) => a.exactEta - b.exactEta || a.exactDistance - b.exactDistance || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  excluded.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  return {
    incidentId: incident.id,
    method: RECOMMEND_METHOD,
    units: ranked.map(({ exactEta: _e, exactDistance: _d, ...unit }) => unit),
    excluded,
  };
}
