/**
 * A seeded synthetic city for the risk bench: districts with populations, a week of incidents
 * spread over them (busier and quieter districts, a few hotspots each so clusters exist), and the
 * levels a stored history would hand back at start-up. No geometry: incidents carry their region.
 */
import type { Category, Severity, Status } from '../../server/contract/incidents.ts';
import type { RiskIncident } from '../../server/domain/risk/score.ts';
import type { RiskRegion } from '../../server/domain/risk/book.ts';
import { RISK_LEVELS } from '../../server/domain/risk/config.ts';
import type { PreviousRating } from '../../server/domain/risk/rate.ts';
import { pickCategory, pickSeverity } from '../../server/demo/incident-text.ts';
import { gaussian, WeightedSampler, type Random } from '../../server/demo/random.ts';

const MS_PER_HOUR = 3_600_000;
/** Hangzhou's centre: districts are laid out around it. */
const CITY = { lon: 120.2, lat: 30.25 } as const;
/** Metres per degree of latitude; a degree of longitude is this × cos(lat). */
const M_PER_DEG_LAT = 111_320;
/** Share of a district's incidents drawn around one of its hotspots rather than anywhere in it. */
const HOTSPOT_SHARE = 0.25;
/** Spread (1 σ) of incidents around a hotspot, metres: tight enough for 500 m clusters to form. */
const HOTSPOT_SIGMA_M = 150;
/**
 * Size of the pool of (category, severity) pairs drawn once with the demo's mix: drawing a million
 * incidents' pairs through the demo's `pickWeighted` would take seconds, picking from the pool is
 * free and keeps the mix (sampling noise of 65k draws aside).
 */
const KIND_POOL_SIZE = 65_536;
/** Statuses of counting incidents (rejected ones never enter the book, so none are generated). */
const STATUS_MIX: readonly [Status, number][] = [['reported', 0.2], ['acknowledged', 0.15], ['dispatched', 0.2], ['resolved', 0.45]];

/** A district as the bench needs it: the risk model's region plus where its incidents fall. */
export interface SyntheticDistrict extends RiskRegion {
  lon: number;
  lat: number;
  radiusM: number;
  hotspots: [number, number][];
}

/** Offsets `(eastM, northM)` from `[lon, lat]`, in degrees (flat-earth: fine at district scale). */
function offset(lon: number, lat: number, eastM: number, northM: number): [number, number] {
  return [lon + eastM / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180)), lat + northM / M_PER_DEG_LAT];
}

/** A point uniform in the disc of `radiusM` around `[lon, lat]`. */
function inDisc(rand: Random, lon: number, lat: number, radiusM: number): [number, number] {
  const r = radiusM * Math.sqrt(rand());
  const a = 2 * Math.PI * rand();
  return offset(lon, lat, r * Math.cos(a), r * Math.sin(a));
}

/**
 * `count` districts on a jittered grid around Hangzhou, populations log-uniform in 20k–2M, area
 * from a density of 5k–20k residents/km², one to five hotspots each.
 */
export function syntheticDistricts(rand: Random, count: number): SyntheticDistrict[] {
  const cols = Math.ceil(Math.sqrt(count * 1.6));
  const spacingM = 8_000;
  const districts: SyntheticDistrict[] = [];
  for (let i = 0; i < count; i++) {
    const population = Math.round(20_000 * 100 ** rand());
    const densityPerKm2 = 5_000 + rand() * 15_000;
    const radiusM = Math.sqrt((population / densityPerKm2) * 1e6 / Math.PI);
    const col = i % cols;
    const row = Math.floor(i / cols);
    const rows = Math.ceil(count / cols);
    const [lon, lat] = offset(CITY.lon, CITY.lat, (col - cols / 2 + (rand() - 0.5) * 0.3) * spacingM, (row - rows / 2 + (rand() - 0.5) * 0.3) * spacingM);
    const hotspots = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => inDisc(rand, lon, lat, radiusM * 0.8));
    districts.push({ code: `D${String(i).padStart(4, '0')}`, name: `合成区 ${i}`, population, lon, lat, radiusM, hotspots });
  }
  return districts;
}

/** A (category, severity) pair as the demo would draw it. */
export type IncidentKind = readonly [Category, Severity];

/** `KIND_POOL_SIZE` pairs drawn with the demo's category and severity mix. */
export function incidentKinds(rand: Random): IncidentKind[] {
  return Array.from({ length: KIND_POOL_SIZE }, () => {
    const category = pickCategory(rand);
    return [category, pickSeverity(rand, category)] as const;
  });
}

function pickStatus(rand: Random): Status {
  let r = rand();
  for (const [status, share] of STATUS_MIX) if ((r -= share) < 0) return status;
  return 'resolved';
}

/**
 * One incident of `district`, `ageMs` before `nowMs`, of a kind drawn from `kinds`; the field order
 * is fixed so all incidents share one hidden class.
 */
export function syntheticRiskIncident(rand: Random, kinds: readonly IncidentKind[], id: string, district: SyntheticDistrict, nowMs: number, ageMs: number): RiskIncident {
  const [category, severity] = kinds[Math.floor(rand() * kinds.length)] as IncidentKind;
  let lon: number;
  let lat: number;
  const spot = district.hotspots[Math.floor(rand() * district.hotspots.length)];
  if (spot && rand() < HOTSPOT_SHARE) {
    [lon, lat] = offset(spot[0], spot[1], gaussian(rand) * HOTSPOT_SIGMA_M, gaussian(rand) * HOTSPOT_SIGMA_M);
  } else {
    [lon, lat] = inDisc(rand, district.lon, district.lat, district.radiusM);
  }
  return { id, regionCode: district.code, category, severity, status: pickStatus(rand), occurredAtMs: nowMs - Math.round(ageMs), lon, lat };
}

/**
 * `count` incidents over the `windowHours` before `nowMs`: a district's share is its population
 * times a "heat" log-uniform in ¼–4 (some districts are busier per resident than others), so
 * scores, and levels, differ between districts.
 */
export function syntheticWeek(rand: Random, kinds: readonly IncidentKind[], districts: readonly SyntheticDistrict[], count: number, nowMs: number, windowHours: number): RiskIncident[] {
  const sampler = new WeightedSampler(districts.map((d) => (d.population ?? 0) * 16 ** (rand() - 0.5)));
  const incidents = new Array<RiskIncident>(count);
  for (let i = 0; i < count; i++) {
    const district = districts[sampler.sample(rand)] as SyntheticDistrict;
    // rand() < 1, so every age is in (0, windowHours]: inside the window, bound included.
    incidents[i] = syntheticRiskIncident(rand, kinds, `w${i}`, district, nowMs, (1 - rand()) * windowHours * MS_PER_HOUR);
  }
  return incidents;
}

/**
 * Levels as a stored history would restore them: half the districts have one, set 0–48 h ago, so
 * the first rating meets hysteresis (holds within the step-down time, steps after it).
 */
export function syntheticHistory(rand: Random, districts: readonly SyntheticDistrict[], nowMs: number): Map<string, PreviousRating> {
  const history = new Map<string, PreviousRating>();
  for (const d of districts) {
    if (rand() < 0.5) continue;
    const level = RISK_LEVELS[Math.floor(rand() * RISK_LEVELS.length)] ?? 'green';
    history.set(d.code, { level, sinceMs: nowMs - Math.round(rand() * 48 * MS_PER_HOUR) });
  }
  return history;
}
