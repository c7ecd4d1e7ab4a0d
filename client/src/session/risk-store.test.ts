import { describe, expect, it } from 'vitest';
import type { RegionRisk, RiskChangedEvent, RiskLevel, RiskSnapshot } from '#contract/index.ts';
import { RiskStore } from './risk-store.ts';

function rating(code: string, level: RiskLevel, score = 0): RegionRisk {
  const at = '2026-11-23T08:00:00.000Z';
  return {
    code, name: code, level, score, population: 10_000, counts: { last24h: 0, last72h: 0, window: 0 },
    clusters: 0, since: at, ratedAt: at, reason: '', explanation: { byCategory: {}, rules: [] }, measures: [],
  };
}

const snapshot = (seq: number, regions: RegionRisk[]): RiskSnapshot => ({
  at: '2026-11-23T08:00:00.000Z', configVersion: 1, seq, source: 'live', regions,
});

const change = (seq: number, code: string, from: RiskLevel | null, to: RiskLevel, score = 0): RiskChangedEvent => ({
  seq, code, name: code, from, to, reason: '', at: '2026-11-23T08:00:00.000Z', configVersion: 1, region: rating(code, to, score),
});

const levels = (store: RiskStore) => Object.fromEntries([...store.getSnapshot().ratings].map(([code, r]) => [code, r.level]));

describe('RiskStore', () => {
  it('takes a snapshot, then applies a newer change and remembers when the level moved', () => {
    let now = 1_000;
    const store = new RiskStore({ now: () => now });
    store.replaceSnapshot(snapshot(100, [rating('A', 'green'), rating('B', 'blue')]));
    expect(store.getSnapshot().loaded).toBe(true);
    expect(levels(store)).toEqual({ A: 'green', B: 'blue' });

    now = 5_000;
    store.applyChanges([change(101, 'A', 'green', 'red', 15)]);
    expect(levels(store)).toEqual({ A: 'red', B: 'blue' });
    expect(store.getSnapshot().ratings.get('A')?.score).toBe(15);
    expect([...store.getSnapshot().changedAt]).toEqual([['A', 5_000]]);
  });

  it('ignores a replayed change the snapshot already holds', () => {
    const store = new RiskStore({ now: () => 0 });
    store.replaceSnapshot(snapshot(100, [rating('A', 'red')]));
    const before = store.getSnapshot();
    store.applyChanges([change(99, 'A', 'green', 'orange')]);
    expect(store.getSnapshot()).toBe(before);
    expect(levels(store)).toEqual({ A: 'red' });
  });

  it('keeps a change newer than a snapshot that arrives after it', () => {
    const store = new RiskStore({ now: () => 0 });
    store.applyChanges([change(120, 'A', 'yellow', 'orange')]);
    store.replaceSnapshot(snapshot(110, [rating('A', 'yellow'), rating('B', 'green')]));
    expect(levels(store)).toEqual({ A: 'orange', B: 'green' });
    // A later snapshot (seq 130 ≥ 120) is newer than the change: it wins.
    store.replaceSnapshot(snapshot(130, [rating('A', 'blue'), rating('B', 'green')]));
    expect(levels(store)).toEqual({ A: 'blue', B: 'green' });
  });

  it('applies a batch in seq order and pulses only regions whose level moved', () => {
    const store = new RiskStore({ now: () => 7 });
    store.replaceSnapshot(snapshot(1, [rating('A', 'green'), rating('B', 'green')]));
    const seen: number[][] = [];
    store.onChanges((changes) => seen.push(changes.map((c) => c.seq)));
    // Out of order in the batch: seq 3 (A → red) must end up on top of seq 2 (A → yellow).
    store.applyChanges([change(3, 'A', 'yellow', 'red'), change(2, 'A', 'green', 'yellow'), change(4, 'C', null, 'blue')]);
    expect(levels(store)).toEqual({ A: 'red', B: 'green', C: 'blue' });
    expect(seen).toEqual([[2, 3, 4]]);
    // C was rated for the first time: not a change to pulse.
    expect([...store.getSnapshot().changedAt.keys()]).toEqual(['A']);
  });

  it('drops regions a new snapshot no longer lists, and their pulses', () => {
    const store = new RiskStore({ now: () => 0 });
    store.replaceSnapshot(snapshot(1, [rating('A', 'green'), rating('B', 'green')]));
    store.applyChanges([change(2, 'B', 'green', 'red')]);
    store.replaceSnapshot(snapshot(3, [rating('A', 'green')]));
    expect(levels(store)).toEqual({ A: 'green' });
    expect(store.getSnapshot().changedAt.size).toBe(0);
  });
});
