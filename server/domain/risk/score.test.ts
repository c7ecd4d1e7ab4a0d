import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG } from './config.ts';
import { contribution, levelForScore, scoreRegion, type RiskIncident } from './score.ts';

const HOUR = 3_600_000;
const nowMs = Date.parse('2026-11-23T08:00:00Z');
const config = DEFAULT_RISK_CONFIG;
function incident(ageHours: number, over: Partial<RiskIncident> = {}): RiskIncident {
  return { id: 'i', regionCode: 'R', category: 'fire', severity: 'severe', status: 'reported', occurredAtMs: nowMs - ageHours * HOUR, lon: 120, lat: 30, ...over };
}

describe('contribution', () => {
  it('halves every 24 h: 5, 2.5, 1.25', () => {
    expect([0, 24, 48].map((h) => contribution(incident(h), nowMs, config))).toEqual([5, 2.5, 1.25]);
  });
  it('counts at exactly 168 h and not after', () => {
    expect(contribution(incident(168), nowMs, config)).toBe(5 / 128);
    expect(contribution(incident(168.001), nowMs, config)).toBe(0);
  });
  it('counts a future-dated incident as happening now, never above its weight', () => {
    expect(contribution(incident(-5), nowMs, config)).toBe(5);
  });
  it('ignores rejected incidents but counts resolved ones', () => {
    expect(contribution(incident(0, { status: 'rejected' }), nowMs, config)).toBe(0);
    expect(contribution(incident(0, { status: 'resolved' }), nowMs, config)).toBe(5);
  });
  it('reads every number from the config', () => {
    const custom = { ...config, halfLifeHours: 12, windowHours: 10, weights: { ...config.weights, severe: 8 } };
    expect(contribution(incident(12), nowMs, { ...custom, windowHours: 48 })).toBe(4);
    expect(contribution(incident(12), nowMs, custom)).toBe(0);
  });
});

describe('scoreRegion', () => {
  it('sums per category and counts 24 h, 72 h and window', () => {
    const r = scoreRegion(
      [incident(0), incident(24, { category: 'flood', severity: 'moderate' }), incident(48), incident(100), incident(200), incident(1, { status: 'rejected' })],
      20_000, nowMs, config,
    );
    expect(r.byCategory).toEqual({ fire: 5 + 1.25 + 5 * 0.5 ** (100 / 24), flood: 1 });
    expect(r.counts).toEqual({ last24h: 2, last72h: 3, window: 4 });
    expect(r.score).toBeCloseTo((10_000 * r.sum) / 20_000, 12);
  });
  it.each([0, null, undefined, -3, Number.NaN])('gives score 0 and a flag when population is %s', (population) => {
    const r = scoreRegion([incident(0)], population, nowMs, config);
    expect([r.score, r.populationMissing, r.sum]).toEqual([0, true, 5]);
  });
});

describe('levelForScore', () => {
  it.each([
    [100, 'red'], [10, 'red'], [9.999, 'orange'], [5, 'orange'], [4.99, 'yellow'], [2, 'yellow'],
    [1.99, 'blue'], [0.5, 'blue'], [0.49, 'green'], [0, 'green'],
  ] as const)('score %s → %s', (score, level) => {
    expect(levelForScore(score, config.thresholds)).toBe(level);
  });
});
