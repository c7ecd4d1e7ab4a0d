/**
 * How the demo's units move, one step at a time: units with a call drive toward it, on scene they
 * stay, the rest drive home and then idle at their station with a few metres of jitter (a parked
 * vehicle's GPS wanders). Pure: time and randomness are parameters, so a step is tested on
 * fixtures and the timer lives at the edge (demo/unit-driver.ts).
 */
import type { PositionReport, UnitStatus } from '../contract/units.ts';
import { speedOf } from '../domain/dispatch/recommend.ts';
import { haversineM } from '../domain/spatial/haversine.ts';
import type { Random } from './random.ts';

/** A unit as a step needs it. */
export interface MovingUnit {
  unitId: string;
  kind: string;
  status: UnitStatus;
  /** Where it last reported; `null` before its first report (then it starts at home). */
  position: { lon: number; lat: number } | null;
  /** Its station; `null` when it has none. */
  home: { lon: number; lat: number } | null;
  /** The incident of its active assignment, if any. */
  target: { lon: number; lat: number } | null;
}

/** Within this of home a unit counts as at its station (it jitters there instead of driving). */
export const AT_HOME_M = 50;
/** Largest jitter of a parked unit around its station, metres. */
export const JITTER_M = 15;
const M_PER_DEG_LAT = 111_320;

const bearingDeg = (from: { lon: number; lat: number }, to: { lon: number; lat: number }): number => {
  const dx = (to.lon - from.lon) * Math.cos((from.lat * Math.PI) / 180);
  const dy = to.lat - from.lat;
  return ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
};

/** `from` moved `metres` toward `to`, stopping at it (straight line; fine over a city). */
export function driveToward(from: { lon: number; lat: number }, to: { lon: number; lat: number }, metres: number): { lon: number; lat: number } {
  const d = haversineM(from.lon, from.lat, to.lon, to.lat);
  if (d <= metres || d === 0) return { lon: to.lon, lat: to.lat };
  const f = metres / d;
  return { lon: from.lon + (to.lon - from.lon) * f, lat: from.lat + (to.lat - from.lat) * f };
}

/**
 * Each unit's next report, `dtMs` after its last, stamped `nowMs`. A unit with neither a position
 * nor a home (a department) reports nothing: it has no vehicle. Speed is the kind's typical
 * straight-line speed, the one the recommendation assumes, so arrivals match its estimates.
 */
export function stepUnits(units: readonly MovingUnit[], nowMs: number, dtMs: number, rand: Random): PositionReport[] {
  const at = new Date(nowMs).toISOString();
  const reports: PositionReport[] = [];
  for (const u of units) {
    const start = u.position ?? u.home;
    if (!start || u.status === 'out_of_service') continue;
    const reach = (speedOf(u.kind) / 3.6) * (dtMs / 1000);
    const busy = u.status === 'assigned' || u.status === 'en_route' || u.status === 'on_scene';
    const goal = busy ? u.target : u.home && haversineM(start.lon, start.lat, u.home.lon, u.home.lat) > AT_HOME_M ? u.home : null;
    if (goal && u.status === 'on_scene') {
      reports.push({ unitId: u.unitId, lon: goal.lon, lat: goal.lat, at, speed: 0, heading: null });
      continue;
    }
    if (goal) {
      const next = driveToward(start, goal, reach);
      const moved = haversineM(start.lon, start.lat, next.lon, next.lat);
      const speed = dtMs > 0 ? Math.round((moved / (dtMs / 1000)) * 10) / 10 : 0;
      reports.push({ unitId: u.unitId, ...next, at, speed, heading: moved > 0 ? Math.round(bearingDeg(start, next)) % 360 : null });
      continue;
    }
    // Parked (or busy without a known incident): a small wander around home, else where it is.
    const base = u.home ?? start;
    const r = JITTER_M * Math.sqrt(rand());
    const a = rand() * 2 * Math.PI;
    const lat = base.lat + (r * Math.cos(a)) / M_PER_DEG_LAT;
    const lon = base.lon + (r * Math.sin(a)) / (M_PER_DEG_LAT * Math.cos((base.lat * Math.PI) / 180));
    reports.push({ unitId: u.unitId, lon, lat, at, speed: 0, heading: null });
  }
  return reports;
}
