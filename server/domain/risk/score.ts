/** Scores a region: decayed, severity-weighted incidents per 10,000 residents. */
import type { Category, Severity, Status } from '../../contract/incidents.ts';
import type { RiskCounts } from '../../contract/risk.ts';
import type { RiskConfig, RiskLevel, RiskThresholds } from './config.ts';

/** The fields of an incident the risk model reads. Time is epoch milliseconds. */
export interface RiskIncident {
  id: string;
  regionCode: string | null;
  category: Category;
  severity: Severity;
  status: Status;
  /** An exercise or test: never counted. Absent: a live incident. */
  drill?: boolean;
  occurredAtMs: number;
  lon: number;
  lat: number;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Age of an incident in hours at `nowMs`, clamped at 0. An incident dated in the future is a
 * current event whose reporter's clock runs ahead (phones, sensors, a source in another time zone
 * mislabelled): ignoring it would hide the freshest incidents, and a negative age would give it
 * more than its full weight (0.5^negative > 1). So it counts as happening now.
 */
export function ageHours(incident: RiskIncident, nowMs: number): number {
  return Math.max(0, (nowMs - incident.occurredAtMs) / MS_PER_HOUR);
}

/**
 * Whether an incident counts at all: rejected reports (false, duplicate), what the source
 * cancelled, and exercises never do.
 */
export function isCounted(incident: Pick<RiskIncident, 'status' | 'drill'>): boolean {
  return incident.status !== 'rejected' && incident.status !== 'cancelled' && !incident.drill;
}

/** Whether a counting incident is at most `windowHours` old (the bound itself included). */
export function withinHours(incident: RiskIncident, nowMs: number, windowHours: number): boolean {
  return isCounted(incident) && ageHours(incident, nowMs) <= windowHours;
}

/**
 * Contribution of one incident: `w(severity) × 0.5^(ageHours / halfLifeHours)` when it is not
 * rejected and at most `windowHours` old; 0 otherwise. Resolved incidents still count: the
 * decay, not the workflow, says when an event stops mattering to the district.
 */
export function contribution(incident: RiskIncident, nowMs: number, config: RiskConfig): number {
  if (!withinHours(incident, nowMs, config.windowHours)) return 0;
  const age = ageHours(incident, nowMs);
  return config.weights[incident.severity] * 0.5 ** (age / config.halfLifeHours);
}

/** How many counting incidents fall in the windows the API reports. */
export type { RiskCounts } from '../../contract/risk.ts';

/** A region's score and where it comes from. */
export interface RegionScore {
  /** Σ contributions × perResidents / population; 0 when the population is unknown. */
  score: number;
  /** Σ contributions before dividing by population. */
  sum: number;
  /** Contribution sum per category; categories with nothing in the window are absent. */
  byCategory: Partial<Record<Category, number>>;
  counts: RiskCounts;
  /**
   * True when the population is missing, zero or not a positive number: the score is then 0
   * rather than infinite, and the rules (cluster, extreme) still apply.
   */
  populationMissing: boolean;
}

/** Scores the incidents of one region at `nowMs`. */
export function scoreRegion(
  incidents: readonly RiskIncident[],
  population: number | null | undefined,
  nowMs: number,
  config: RiskConfig,
): RegionScore {
  let sum = 0;
  const byCategory: Partial<Record<Category, number>> = {};
  const tally: RiskCounts = { last24h: 0, last72h: 0, window: 0 };
  for (const incident of incidents) {
    if (!isCounted(incident)) continue;
    const age = ageHours(incident, nowMs);
    if (age <= 24) tally.last24h++;
    if (age <= 72) tally.last72h++;
    if (age > config.windowHours) continue;
    tally.window++;
    const c = contribution(incident, nowMs, config);
    sum += c;
    byCategory[incident.category] = (byCategory[incident.category] ?? 0) + c;
  }
  const populationMissing = population == null || !Number.isFinite(population) || population <= 0;
  const score = populationMissing ? 0 : (config.perResidents * sum) / population;
  return { score, sum, byCategory, counts: tally, populationMissing };
}

/** Level for a score: the highest level whose threshold the score reaches (`≥`), else green. */
export function levelForScore(score: number, thresholds: RiskThresholds): RiskLevel {
  if (score >= thresholds.red) return 'red';
  if (score >= thresholds.orange) return 'orange';
  if (score >= thresholds.yellow) return 'yellow';
  if (score >= thresholds.blue) return 'blue';
  return 'green';
}
