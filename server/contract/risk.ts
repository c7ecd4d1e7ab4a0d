/**
 * The five-colour risk map (docs/domain.md §5): levels, the administrator's config, and what the API and
 * the live stream answer. Shared by server and client.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import type { Category } from './incidents.ts';
import type { DistrictMeasure } from './measures.ts';
import { Severity } from './incidents.ts';

/** Risk levels from lowest to highest; a level's index is its rank. */
export const RISK_LEVELS = ['green', 'blue', 'yellow', 'orange', 'red'] as const;

/** Zod enum of the five levels, for configs and API payloads. */
export const RiskLevelSchema = z.enum(RISK_LEVELS);
/** One of the five colours of the risk map. */
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Display colour of each level (docs/domain.md §5.1). */
export const LEVEL_COLOURS: Readonly<Record<RiskLevel, string>> = {
  red: '#D7263D',
  orange: '#F46036',
  yellow: '#F2C14E',
  blue: '#2E86AB',
  green: '#3BB273',
};

/** Name of each level in Simplified Chinese (as printed on the seed bulletins) and English. */
export const LEVEL_NAMES: Readonly<Record<RiskLevel, { 'zh-CN': string; en: string }>> = {
  red: { 'zh-CN': '高风险', en: 'High risk' },
  orange: { 'zh-CN': '较高风险', en: 'Elevated risk' },
  yellow: { 'zh-CN': '中风险', en: 'Medium risk' },
  blue: { 'zh-CN': '较低风险', en: 'Low-medium risk' },
  green: { 'zh-CN': '低风险', en: 'Low risk' },
};

/** Lower bounds of the score for each level above green; a score equal to a bound takes that level. */
export interface RiskThresholds {
  red: number;
  orange: number;
  yellow: number;
  blue: number;
}

/** Every number of the risk model. Versioned so a rating can say which config produced it. */
export interface RiskConfig {
  /** Increases with each change an administrator saves; stored with ratings for audit. */
  version: number;
  /** Weight of one incident of each severity before decay. */
  weights: Record<Severity, number>;
  /** An incident's contribution halves every `halfLifeHours`. @default 24 */
  halfLifeHours: number;
  /** Incidents older than this contribute nothing. @default 168 */
  windowHours: number;
  /** Score is per this many residents. @default 10000 */
  perResidents: number;
  thresholds: RiskThresholds;
  /** A spatial cluster of recent incidents lifts the region to at least `floor`. */
  cluster: { enabled: boolean; minCount: number; radiusM: number; windowHours: number; floor: RiskLevel };
  /** An `extreme` incident within `windowHours` lifts the region to at least `floor`. */
  extreme: { enabled: boolean; windowHours: number; floor: RiskLevel };
  /** Levels rise at once but fall by at most one step per `stepDownHours`. */
  hysteresis: { enabled: boolean; stepDownHours: number };
}

const positive = (field: string) =>
  z.number({ message: `${field} must be a number` }).finite().positive({ message: `${field} must be greater than 0` });
// A weight of 0 is allowed on purpose: it lets an administrator ignore e.g. `unknown` reports.
const weight = (field: string) =>
  z.number({ message: `${field} must be a number` }).finite().min(0, { message: `${field} must be 0 or more` });
const level = (field: string) =>
  z.enum(RISK_LEVELS, { message: `${field} must be one of ${RISK_LEVELS.join(', ')}` });

/**
 * An administrator's risk config, parsed at the edge. Strict (a misspelt key is an error naming it),
 * every number checked, thresholds strictly decreasing red > orange > yellow > blue > 0.
 */
export const RiskConfigInput = z.strictObject({
  version: z.number({ message: 'version must be a number' }).int({ message: 'version must be a whole number' }).positive({ message: 'version must be greater than 0' }),
  weights: z.strictObject({
    unknown: weight('weights.unknown'),
    minor: weight('weights.minor'),
    moderate: weight('weights.moderate'),
    severe: weight('weights.severe'),
    extreme: weight('weights.extreme'),
  }),
  halfLifeHours: positive('halfLifeHours'),
  windowHours: positive('windowHours'),
  perResidents: positive('perResidents'),
  thresholds: z
    .strictObject({
      red: positive('thresholds.red'),
      orange: positive('thresholds.orange'),
      yellow: positive('thresholds.yellow'),
      blue: positive('thresholds.blue'),
    })
    .superRefine((t, ctx) => {
      const order = ['red', 'orange', 'yellow', 'blue'] as const;
      for (let i = 1; i < order.length; i++) {
        const upper = order[i - 1]!;
        const lower = order[i]!;
        if (!(t[lower] < t[upper])) {
          ctx.addIssue({
            code: 'custom',
            path: [lower],
            message: `thresholds.${lower} (${t[lower]}) must be less than thresholds.${upper} (${t[upper]})`,
          });
        }
      }
    }),
  cluster: z.strictObject({
    enabled: z.boolean({ message: 'cluster.enabled must be true or false' }),
    minCount: z.number({ message: 'cluster.minCount must be a number' }).int({ message: 'cluster.minCount must be a whole number' }).min(2, { message: 'cluster.minCount must be at least 2' }),
    radiusM: positive('cluster.radiusM'),
    windowHours: positive('cluster.windowHours'),
    floor: level('cluster.floor'),
  }),
  extreme: z.strictObject({
    enabled: z.boolean({ message: 'extreme.enabled must be true or false' }),
    windowHours: positive('extreme.windowHours'),
    floor: level('extreme.floor'),
  }),
  hysteresis: z.strictObject({
    enabled: z.boolean({ message: 'hysteresis.enabled must be true or false' }),
    stepDownHours: positive('hysteresis.stepDownHours'),
  }),
});

// Compile-time check that a parsed config is a RiskConfig.
const _parsedIsConfig: (v: z.infer<typeof RiskConfigInput>) => RiskConfig = (v) => v;
void _parsedIsConfig;

/**
 * Body of `PUT /api/v1/risk/config`: a whole config. `version` may be left out (the server
 * assigns the next one); when given it must be the current version + 1, so two administrators
 * editing at once cannot silently overwrite each other (the second gets 409).
 */
export const RiskConfigUpdate = RiskConfigInput.partial({ version: true });
export type RiskConfigUpdate = z.infer<typeof RiskConfigUpdate>;

/** A stored config version: who saved it and when (the audit trail of the model). */
export interface RiskConfigRecord {
  config: RiskConfig;
  /** ISO time it took effect; `null` for the built-in default nobody saved. */
  savedAt: string | null;
  savedBy: Actor | null;
}

/** One rule applied while rating a region, in order, and the level after it: the "why". */
export interface RiskRuleApplied {
  rule: 'score' | 'cluster' | 'extreme' | 'hysteresis' | 'config';
  /** Stable key for translation, e.g. `cluster.lift`, `hysteresis.hold`. */
  code: string;
  /** English sentence, e.g. "score 12.4 ≥ 10". */
  message: string;
  levelAfter: RiskLevel;
}

/** Counting (non-rejected) incidents by age. */
export interface RiskCounts {
  last24h: number;
  last72h: number;
  /** Within the config's window (168 h by default). */
  window: number;
}

/** One region's rating as the risk model makes it (docs/domain.md §5.6), before its measures are added. */
export interface RegionRiskRating {
  code: string;
  name: string;
  level: RiskLevel;
  /** Decayed, severity-weighted incidents per 10,000 residents (0 when the population is unknown). */
  score: number;
  population: number | null;
  counts: RiskCounts;
  /** Spatial clusters of recent incidents found in the region. */
  clusters: number;
  /** ISO time the region took `level`. */
  since: string;
  /** ISO time these numbers were computed. */
  ratedAt: string;
  /** The rule that decided the level, in one sentence. */
  reason: string;
  explanation: {
    /** Sum of decayed weights per incident category (before dividing by population). */
    byCategory: Partial<Record<Category, number>>;
    rules: RiskRuleApplied[];
  };
}

/**
 * One region's rating (an element of `GET /api/v1/risk`, docs/domain.md §5.6) and the measures its
 * level requires (§16), those of the measures config in force when it was sent.
 */
export interface RegionRisk extends RegionRiskRating {
  measures: DistrictMeasure[];
}

/** `GET /api/v1/risk[?at=]`. */
export interface RiskSnapshot {
  /** The instant described: now, or the `at` asked for. */
  at: string;
  configVersion: number;
  /** Event-log head when the snapshot was taken: resume the live stream from here. */
  seq: number;
  /**
   * `live`: the current ratings. `history`: the state recorded at `at` (each region's level from
   * its last change at or before `at`, with the numbers stored with that change).
   */
  source: 'live' | 'history';
  regions: RegionRisk[];
}

/**
 * `risk:changed`: a region changed level (or was rated for the first time: `from` null). Stored
 * in the risk history with the same `seq`.
 */
export interface RiskChangedEvent {
  seq: number;
  code: string;
  name: string;
  from: RiskLevel | null;
  to: RiskLevel;
  reason: string;
  /** ISO time of the change. */
  at: string;
  configVersion: number;
  /** The region's rating when it changed. */
  region: RegionRisk;
}

/** `risk:configured`: an administrator saved a new config; every region was re-rated with it. */
export interface RiskConfiguredEvent {
  seq: number;
  version: number;
  at: string;
  by: Actor;
}

/** `GET /api/v1/risk/history?from&to`: the state at `from` and every change after it up to `to`. */
export interface RiskHistory {
  from: string;
  to: string;
  /** Each region's level at `from` (as `GET /api/v1/risk?at=from` answers). */
  initial: { code: string; level: RiskLevel; since: string | null }[];
  /** Changes with `from < at ≤ to`, in seq order. */
  changes: RiskChangedEvent[];
}

/** `GET /api/v1/risk/bulletin?date=`: the daily bulletin of units that changed level. */
export interface RiskBulletin {
  /** Local calendar date `YYYY-MM-DD` in `timeZone`. */
  date: string;
  timeZone: string;
  from: string;
  to: string;
  /** Level changes that day, in order (first ratings of new units are not changes and are left out). */
  changes: RiskChangedEvent[];
  /** Units per level at the end of the day (or now, for today). */
  levels: Record<RiskLevel, number>;
  /** Units at each level at the end of the day, by level, for the printed table, with the measures their level requires. */
  units: { code: string; name: string; level: RiskLevel; since: string | null; measures: DistrictMeasure[] }[];
  configVersion: number;
  generatedAt: string;
}
