/** The five-colour risk model's default numbers and level arithmetic (docs/domain.md §5). */
import { RISK_LEVELS, type RiskConfig, type RiskLevel } from '../../contract/risk.ts';

export {
  LEVEL_COLOURS,
  LEVEL_NAMES,
  RISK_LEVELS,
  RiskConfigInput,
  RiskLevelSchema,
  type RiskConfig,
  type RiskLevel,
  type RiskThresholds,
} from '../../contract/risk.ts';

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

/** The default model of docs/domain.md §5. */
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

