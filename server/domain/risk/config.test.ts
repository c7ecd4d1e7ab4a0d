import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG, LEVEL_COLOURS, LEVEL_NAMES, levelBelow, RiskConfigInput } from './config.ts';

function messages(input: unknown): string[] {
  const r = RiskConfigInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
}

describe('RiskConfigInput', () => {
  it('accepts the default config unchanged', () => {
    expect(RiskConfigInput.parse(DEFAULT_RISK_CONFIG)).toEqual(DEFAULT_RISK_CONFIG);
  });
  it('rejects thresholds that do not strictly decrease, naming both fields', () => {
    expect(messages({ ...DEFAULT_RISK_CONFIG, thresholds: { red: 10, orange: 10, yellow: 2, blue: 3 } })).toEqual([
      'thresholds.orange (10) must be less than thresholds.red (10)',
      'thresholds.blue (3) must be less than thresholds.yellow (2)',
    ]);
  });
  it('rejects non-positive numbers and unknown levels, naming the field', () => {
    expect(messages({ ...DEFAULT_RISK_CONFIG, halfLifeHours: 0 })).toEqual(['halfLifeHours must be greater than 0']);
    expect(messages({ ...DEFAULT_RISK_CONFIG, weights: { ...DEFAULT_RISK_CONFIG.weights, severe: -1 } })).toEqual(['weights.severe must be 0 or more']);
    expect(messages({ ...DEFAULT_RISK_CONFIG, cluster: { ...DEFAULT_RISK_CONFIG.cluster, floor: 'purple' } })).toEqual([
      'cluster.floor must be one of green, blue, yellow, orange, red',
    ]);
    expect(messages({ ...DEFAULT_RISK_CONFIG, hysteresis: { enabled: true, stepDownHours: '24' } })).toEqual(['hysteresis.stepDownHours must be a number']);
  });
  it('rejects a misspelt key', () => {
    expect(RiskConfigInput.safeParse({ ...DEFAULT_RISK_CONFIG, halfLifeHour: 24 }).success).toBe(false);
  });
});

describe('levels', () => {
  it('has the colours and names of docs/domain.md §5.1', () => {
    expect(LEVEL_COLOURS).toEqual({ red: '#D7263D', orange: '#F46036', yellow: '#F2C14E', blue: '#2E86AB', green: '#3BB273' });
    expect(Object.values(LEVEL_NAMES).map((n) => n['zh-CN'])).toEqual(['高风险', '较高风险', '中风险', '较低风险', '低风险']);
  });
  it('steps down one level, green stays green', () => {
    expect([levelBelow('red'), levelBelow('blue'), levelBelow('green')]).toEqual(['orange', 'green', 'green']);
  });
});
