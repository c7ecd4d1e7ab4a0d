import { describe, expect, it } from 'vitest';
import type { RegionRisk, RiskChangedEvent, RiskHistory, RiskLevel } from '#contract/index.ts';
import { clampToHistory, extendHistory, stateAt } from './risk-playback.ts';

function rating(code: string, level: RiskLevel, at: string, score = 0): RegionRisk {
  return {
    code, name: `district ${code}`, level, score, population: 10_000,
    counts: { last24h: 0, last72h: 0, window: 0 }, clusters: 0, since: at, ratedAt: at,
    reason: `score ${score}`, explanation: { byCategory: {}, rules: [] }, measures: [],
  };
}

function change(seq: number, code: string, from: RiskLevel | null, to: RiskLevel, at: string, score = 0): RiskChangedEvent {
  return { seq, code, name: `district ${code}`, from, to, reason: 'test', at, configVersion: 1, region: rating(code, to, at, score) };
}

/**
 * A two-district week, by hand:
 *   from 11-16 00:00: A green (nothing recorded), B blue since 11-15 12:00
 *   11-21 08:00 (seq 10) A green → yellow
 *   11-21 09:00 (seq 11) B blue → green
 *   11-22 10:00 (seq 12) A yellow → red
 */
const history: RiskHistory = {
  from: '2026-11-16T00:00:00.000Z',
  to: '2026-11-23T00:00:00.000Z',
  initial: [
    { code: 'A', level: 'green', since: null },
    { code: 'B', level: 'blue', since: '2026-11-15T12:00:00.000Z' },
  ],
  changes: [
    change(10, 'A', 'green', 'yellow', '2026-11-21T08:00:00.000Z', 2.5),
    change(11, 'B', 'blue', 'green', '2026-11-21T09:00:00.000Z', 0.1),
    change(12, 'A', 'yellow', 'red', '2026-11-22T10:00:00.000Z', 12),
  ],
};

const levels = (atIso: string) =>
  Object.fromEntries([...stateAt(history, Date.parse(atIso))].map(([code, entry]) => [code, entry.level]));

describe('stateAt', () => {
  it('answers the initial state before the first change', () => {
    expect(levels('2026-11-18T00:00:00.000Z')).toEqual({ A: 'green', B: 'blue' });
    const b = stateAt(history, Date.parse('2026-11-18T00:00:00.000Z')).get('B');
    expect(b).toEqual({ level: 'blue', since: '2026-11-15T12:00:00.000Z', rating: null });
  });

  it('counts a change at exactly t, and not one millisecond before it', () => {
    expect(levels('2026-11-21T07:59:59.999Z')).toEqual({ A: 'green', B: 'blue' });
    expect(levels('2026-11-21T08:00:00.000Z')).toEqual({ A: 'yellow', B: 'blue' });
  });

  it('applies every change up to t, keeping the rating stored with it', () => {
    expect(levels('2026-11-21T12:00:00.000Z')).toEqual({ A: 'yellow', B: 'green' });
    expect(levels('2026-11-22T10:00:00.000Z')).toEqual({ A: 'red', B: 'green' });
    const a = stateAt(history, Date.parse('2026-11-22T23:00:00.000Z')).get('A');
    expect(a?.since).toBe('2026-11-22T10:00:00.000Z');
    expect(a?.rating?.score).toBe(12);
  });

  it('lets the higher seq win when two changes of a region are out of time order, as the server does', () => {
    const skewed: RiskHistory = {
      ...history,
      // seq 13 was written 1 ms "earlier" than seq 12 by the clock: seq decides, as in `?at=`.
      changes: [...history.changes, change(13, 'A', 'red', 'orange', '2026-11-22T09:59:59.999Z')],
    };
    expect(stateAt(skewed, Date.parse('2026-11-22T10:00:00.000Z')).get('A')?.level).toBe('orange');
    // Between the two instants only seq 13 has happened.
    expect(stateAt(skewed, Date.parse('2026-11-22T09:59:59.999Z')).get('A')?.level).toBe('orange');
  });

  it('adds a region first rated inside the window', () => {
    const grown: RiskHistory = { ...history, changes: [...history.changes, change(14, 'C', null, 'blue', '2026-11-22T11:00:00.000Z')] };
    expect(stateAt(grown, Date.parse('2026-11-22T10:30:00.000Z')).has('C')).toBe(false);
    expect(stateAt(grown, Date.parse('2026-11-22T11:00:00.000Z')).get('C')?.level).toBe('blue');
  });
});

describe('extendHistory', () => {
  it('appends live changes newer than the last held, in seq order, and moves `to` up to the newest', () => {
    const later = change(16, 'B', 'green', 'yellow', '2026-11-23T00:00:05.000Z');
    const earlier = change(15, 'A', 'red', 'red', '2026-11-23T00:00:02.000Z');
    const extended = extendHistory(history, [later, earlier, history.changes[2]!]);
    expect(extended.changes.map((c) => c.seq)).toEqual([10, 11, 12, 15, 16]);
    expect(extended.to).toBe('2026-11-23T00:00:05.000Z');
    expect(extended.from).toBe(history.from);
    expect(history.changes).toHaveLength(3); // not mutated
  });

  it('returns the same history when nothing is new (a replayed change, or one before `from`)', () => {
    const beforeFrom = change(99, 'A', 'green', 'red', '2026-11-15T00:00:00.000Z');
    expect(extendHistory(history, [history.changes[0]!, beforeFrom])).toBe(history);
  });

  it('keeps `to` when a late change is dated before it', () => {
    const inside = change(20, 'B', 'green', 'blue', '2026-11-22T23:59:59.000Z');
    expect(extendHistory(history, [inside]).to).toBe(history.to);
  });
});

describe('clampToHistory', () => {
  it('keeps an instant inside the window and moves others to its ends', () => {
    expect(clampToHistory(history, Date.parse('2026-11-20T00:00:00.000Z'))).toBe(Date.parse('2026-11-20T00:00:00.000Z'));
    expect(clampToHistory(history, 0)).toBe(Date.parse(history.from));
    expect(clampToHistory(history, Date.parse('2027-01-01T00:00:00.000Z'))).toBe(Date.parse(history.to));
    expect(clampToHistory(history, Number.NaN)).toBe(Date.parse(history.to));
  });
});
