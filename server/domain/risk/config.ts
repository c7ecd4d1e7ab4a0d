/** The five-colour risk model's levels and its administrator-tunable numbers (DOMAIN §4). */
import { z } from 'zod';
import { Severity } from '../../contract/incidents.ts';

/** Risk levels from lowest to highest; a level's index is its rank. */
export const RISK_LEVELS = ['green', 'blue', 'yellow', 'orange', 'red'] as const;

/** Zod enum of the five levels, for configs and API payloads. */
export const RiskLevelSchema = z.enum(RISK_LEVELS);
/** One of the five colours of the risk map. */
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Display colour of each level (DOMAIN §4). */
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

/** Rank of a level: green 0 … red 4. */
export function levelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/** The higher of two levels. */
export function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

/** The level one step below `level` (green stays green). */
export function levelBelow(level: RiskLevel): RiskLevel {
  return RISK_LEVELS[Math.max(0, levelRank(level) - 1)] ?? 'green';
}

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

/** The default model of DOMAIN §4. */
export const DEFAULT_RISK_CONFIG: RiskConfig = {
  version: 1,
  weights: { unknown: 1, minor: 1, moderate: 2, severe: 5, extreme: 10 },
  halfLifeHours: 24,
  windowHours: 168,
  perResidents: 10_000,
  thresholds: { red: 10, orange: 5, yellow: 2, blue: 0.5 },
  cluster: { enabled: true, minCount: 3, radiusM: 500, windowHours: 24, floor: 'yellow' },
  extreme: { enabled: true, windowHours: 24, floor: 'orange' },
  hysteresis: { enabled: true, stepDownHours: 24 },
};

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
