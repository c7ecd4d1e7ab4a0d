/** Rates regions: score → level, escalation rules, then hysteresis (docs/domain.md §5). Pure: time is a parameter. */
import type { Category } from '../../contract/incidents.ts';
import type { RiskRuleApplied } from '../../contract/risk.ts';
import { levelBelow, levelRank, maxLevel, type RiskConfig, type RiskLevel } from './config.ts';
import { findClusters } from './clusters.ts';
import { levelForScore, scoreRegion, withinHours, type RiskCounts, type RiskIncident } from './score.ts';

const MS_PER_HOUR = 3_600_000;

/** A region's level and since when it has held it, as stored between ratings. */
export interface PreviousRating {
  level: RiskLevel;
  sinceMs: number;
}

/** One rule that was applied, in order, and the level after it, so the UI can say why. */
export type RuleApplied = RiskRuleApplied;

/** A region's rating at one instant. */
export interface RegionRating {
  level: RiskLevel;
  /** When the region took `level` (kept from `previous` while the level holds). */
  sinceMs: number;
  score: number;
  /** Level the score and escalation rules give before hysteresis. */
  rawLevel: RiskLevel;
  counts: RiskCounts;
  /** Number of clusters (0 when the cluster rule is disabled). */
  clusters: number;
  populationMissing: boolean;
  explanation: { byCategory: Partial<Record<Category, number>>; rules: RuleApplied[] };
  /** Message of the rule that decided the final level. */
  reason: string;
}

/** Inputs of {@link rateRegion}. */
export interface RateRegionInput {
  incidents: readonly RiskIncident[];
  population: number | null | undefined;
  previous: PreviousRating | null;
  nowMs: number;
  config: RiskConfig;
}

/** Score with at most two decimals, cut (not rounded) so 9.999 never prints as "10 < 10". */
function formatScore(score: number): string {
  const [whole, fraction = ''] = score.toFixed(6).split('.');
  const cut = fraction.slice(0, 2).replace(/0+$/, '');
  return cut ? `${whole}.${cut}` : `${whole}`;
}

function scoreMessage(score: number, level: RiskLevel, config: RiskConfig, populationMissing: boolean): string {
  if (populationMissing) return 'score 0: population unknown';
  if (level === 'green') return `score ${formatScore(score)} < ${config.thresholds.blue}`;
  return `score ${formatScore(score)} ≥ ${config.thresholds[level]}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Rates one region at `nowMs`. A region with no incidents and no previous state is green. */
export function rateRegion({ incidents, population, previous, nowMs, config }: RateRegionInput): RegionRating {
  const scored = scoreRegion(incidents, population, nowMs, config);
  let level = levelForScore(scored.score, config.thresholds);
  const rules: RuleApplied[] = [
    { rule: 'score', code: 'score', message: scoreMessage(scored.score, level, config, scored.populationMissing), levelAfter: level },
  ];
  let decidedBy = 0;
  const lift = (rule: RuleApplied['rule'], floor: RiskLevel, what: string): void => {
    const after = maxLevel(level, floor);
    const lifted = after !== level;
    rules.push({
      rule,
      code: `${rule}.${lifted ? 'lift' : 'already'}`,
      message: lifted ? `${what} lifts to ${floor}` : `${what}; already at ${level}`,
      levelAfter: after,
    });
    if (lifted) decidedBy = rules.length - 1;
    level = after;
  };

  let clusterCount = 0;
  if (config.cluster.enabled) {
    const found = findClusters(incidents, nowMs, config);
    clusterCount = found.count;
    // A loop, not Math.max(...sizes): a spread of tens of thousands of clusters overflows the stack.
    const biggest = found.clusters.reduce((most, c) => Math.max(most, c.size), 0);
    if (found.count > 0) lift('cluster', config.cluster.floor, `cluster of ${biggest} within ${config.cluster.radiusM} m`);
  }
  if (config.extreme.enabled) {
    const extremes = incidents.filter((x) => x.severity === 'extreme' && withinHours(x, nowMs, config.extreme.windowHours));
    if (extremes.length > 0) {
      lift('extreme', config.extreme.floor, `extreme incident in the last ${config.extreme.windowHours} h`);
    }
  }

  const rawLevel = level;
  let sinceMs = nowMs;
  if (previous !== null) {
    const rising = levelRank(rawLevel) > levelRank(previous.level);
    const falling = levelRank(rawLevel) < levelRank(previous.level);
    if (!rising && !falling) {
      sinceMs = previous.sinceMs;
    } else if (falling && config.hysteresis.enabled) {
      const stepDownMs = config.hysteresis.stepDownHours * MS_PER_HOUR;
      if (nowMs - previous.sinceMs >= stepDownMs) {
        // One step only: a district leaves high risk over days, not at the first quiet hour.
        level = levelBelow(previous.level);
        rules.push({
          rule: 'hysteresis',
          code: 'hysteresis.step_down',
          message: `stepped down one level from ${previous.level} after ${config.hysteresis.stepDownHours} h (rules say ${rawLevel})`,
          levelAfter: level,
        });
      } else {
        level = previous.level;
        sinceMs = previous.sinceMs;
        rules.push({
          rule: 'hysteresis',
          code: 'hysteresis.hold',
          message: `held at ${previous.level} for hysteresis until ${iso(previous.sinceMs + stepDownMs)} (rules say ${rawLevel})`,
          levelAfter: level,
        });
      }
      decidedBy = rules.length - 1;
    }
  }

  return {
    level,
    sinceMs,
    score: scored.score,
    rawLevel,
    counts: scored.counts,
    clusters: clusterCount,
    populationMissing: scored.populationMissing,
    explanation: { byCategory: scored.byCategory, rules },
    reason: rules[decidedBy]!.message,
  };
}

/** A level change, an event (`risk:changed`) for the history. `from` is null on a first rating. */
export interface LevelChange {
  code: string;
  from: RiskLevel | null;
  to: RiskLevel;
  reason: string;
}

/**
 * Rates every region at `nowMs`. Regions missing from `incidentsByRegion` have no incidents;
 * missing from `previousByCode`, no previous state (their first rating is listed as a change
 * from null, so playback of the history has a starting level).
 */
export function rateAll(
  regions: readonly { code: string; population: number | null | undefined }[],
  incidentsByRegion: ReadonlyMap<string, readonly RiskIncident[]>,
  previousByCode: ReadonlyMap<string, PreviousRating>,
  nowMs: number,
  config: RiskConfig,
): { ratings: Map<string, RegionRating>; changes: LevelChange[] } {
  const ratings = new Map<string, RegionRating>();
  const changes: LevelChange[] = [];
  for (const { code, population } of regions) {
    const previous = previousByCode.get(code) ?? null;
    const rating = rateRegion({ incidents: incidentsByRegion.get(code) ?? [], population, previous, nowMs, config });
    ratings.set(code, rating);
    if (previous?.level !== rating.level) {
      changes.push({ code, from: previous?.level ?? null, to: rating.level, reason: rating.reason });
    }
  }
  return { ratings, changes };
}
