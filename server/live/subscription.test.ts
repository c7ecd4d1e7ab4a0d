import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../contract/events.ts';
import type { RegionRisk } from '../contract/risk.ts';
import { matches, parseSubscription } from './subscription.ts';

const region = { code: 'A' } as RegionRisk;
const risk: LogEvent = { type: 'risk:changed', seq: 5, payload: { seq: 5, code: 'A', name: 'A', from: 'green', to: 'red', reason: 'r', at: '2026-11-23T00:00:00Z', configVersion: 1, region } };
const configured: LogEvent = { type: 'risk:configured', seq: 6, payload: { seq: 6, version: 2, at: '2026-11-23T00:00:00Z', by: { name: 'a', role: 'admin' } } };

function filter(input: unknown) {
  const parsed = parseSubscription(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
}

describe('subscriptions and risk events', () => {
  it('the risk layer carries risk:changed and risk:configured; other layers do not', () => {
    expect(matches(filter({ layers: ['risk'] }), risk)).toBe(true);
    expect(matches(filter({ layers: ['risk'] }), configured)).toBe(true);
    expect(matches(filter({ layers: ['incidents'] }), risk)).toBe(false);
    expect(matches(filter({ layers: ['incidents', 'regions'] }), configured)).toBe(false);
    expect(matches(filter(undefined), risk)).toBe(true);
  });

  it('a region filter keeps the risk changes of those regions only; a viewport does not filter them', () => {
    expect(matches(filter({ regions: ['A'] }), risk)).toBe(true);
    expect(matches(filter({ regions: ['B'] }), risk)).toBe(false);
    expect(matches(filter({ bbox: [0, 0, 1, 1] }), risk)).toBe(true);
  });

  it('an unknown layer is refused with its name', () => {
    const parsed = parseSubscription({ layers: ['weather'] });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/layers/);
  });
});
