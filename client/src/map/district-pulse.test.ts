import { describe, expect, it } from 'vitest';
import { activePulses, PULSE_MS, pulseStrength } from './district-pulse.ts';

describe('pulseStrength', () => {
  // Over 3 s with three beats, one beat lasts 1 s: full at 0 s, 1 s, 2 s; nothing at 0.5 s, 1.5 s, 2.5 s.
  it.each([
    [0, 1],
    [250, 0.5 * (1 - 250 / 3000)], // cos(π/2) = 0 → beat ½; fade 11/12
    [500, 0],
    [1000, 2 / 3], // beat 1, fade 1 − ⅓
    [1500, 0],
    [2000, 1 / 3],
  ])('at %i ms is %f', (elapsed, expected) => {
    expect(pulseStrength(elapsed)).toBeCloseTo(expected, 10);
  });

  it('is exactly 0 before the change, at the end and after it', () => {
    expect(pulseStrength(-1)).toBe(0);
    expect(pulseStrength(PULSE_MS)).toBe(0);
    expect(pulseStrength(60_000)).toBe(0);
    expect(pulseStrength(Number.NaN)).toBe(0);
  });
});

describe('activePulses', () => {
  it('keeps only districts changed within the last 3 s', () => {
    const changedAt = new Map([
      ['A', 10_000], // 2 s ago
      ['B', 9_000], // exactly 3 s ago: over
      ['C', 12_500], // in the future (clock skew): not yet
      ['D', 11_999], // 1 ms ago
    ]);
    expect([...activePulses(changedAt, 12_000).keys()].sort()).toEqual(['A', 'D']);
  });
});
