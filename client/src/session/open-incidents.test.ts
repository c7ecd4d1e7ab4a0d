import { describe, expect, it } from 'vitest';
import type { Incident, Severity, Status } from '#contract/index.ts';
import { WallIncidents } from './open-incidents.ts';

let seq = 0;
function incident(id: string, severity: Severity, minute: number, status: Status = 'reported', drill = false): Incident {
  const at = new Date(Date.UTC(2026, 10, 23, 8, minute)).toISOString();
  return {
    id, source: 'test', externalId: id, category: 'fire', severity, status,
    geometry: { type: 'Point', coordinates: [120, 30] }, occurredAt: at, reportedAt: at,
    title: `title ${id}`, description: '', reporter: null, regionCode: 'R1', seq: ++seq, attributes: {}, drill,
  };
}

/** Applies batches at once (no timer), as the live client would hand them over. */
const sink = (limits = {}) => new WallIncidents({ schedule: (fn) => fn(), ...limits });

describe('WallIncidents', () => {
  it('counts open incidents by severity and forgets closed ones', () => {
    const wall = sink();
    wall.applyBatch([incident('a', 'severe', 1), incident('b', 'minor', 2), incident('c', 'severe', 3)], 3);
    expect(wall.getSnapshot().counts).toMatchObject({ severe: 2, minor: 1, extreme: 0 });
    wall.applyBatch([incident('a', 'severe', 1, 'resolved'), incident('b', 'extreme', 2, 'acknowledged')], 5);
    const s = wall.getSnapshot();
    expect(s.counts).toMatchObject({ severe: 1, minor: 0, extreme: 1 });
    expect(s.openTotal).toBe(2);
    // One closure (a), not the acknowledgement (b): the wall reads its on-time figures again on it.
    expect(s.closed).toBe(1);
    expect(s.dots.map((i) => i.id).sort()).toEqual(['b', 'c']);
    expect(wall.lastSeq()).toBe(5);
  });

  it('keeps the 20 newest reports in the ticker, newest first, updating listed ones in place', () => {
    const wall = sink();
    for (let m = 0; m < 30; m++) wall.applyBatch([incident(`i${m}`, 'minor', m)], m + 1);
    // an old report arriving late does not get in
    wall.applyBatch([incident('old', 'minor', 0)], 40);
    wall.applyBatch([incident('i25', 'minor', 25, 'dispatched')], 41);
    const ticker = wall.getSnapshot().ticker;
    expect(ticker.map((i) => i.id)).toEqual(Array.from({ length: 20 }, (_, k) => `i${29 - k}`));
    expect(ticker.find((i) => i.id === 'i25')?.status).toBe('dispatched');
  });

  it('bounds the dots and the counted incidents, and says when counts are a lower bound', () => {
    const wall = sink({ maxDots: 3, maxOpen: 5 });
    for (let m = 0; m < 8; m++) wall.applyBatch([incident(`i${m}`, 'moderate', m)], m + 1);
    const s = wall.getSnapshot();
    expect(s.dots.map((i) => i.id)).toEqual(['i5', 'i6', 'i7']);
    expect(s.openTotal).toBe(5);
    expect(s.counts.moderate).toBe(5);
    expect(s.truncated).toBe(true);
  });

  it('never counts, draws or lists a drill, and lets go of one that turns out to be a drill', () => {
    const wall = sink();
    wall.applyBatch([incident('real', 'severe', 1), incident('exercise', 'extreme', 2, 'reported', true)], 2);
    let s = wall.getSnapshot();
    expect(s.counts).toMatchObject({ severe: 1, extreme: 0 });
    expect(s.openTotal).toBe(1);
    expect(s.dots.map((i) => i.id)).toEqual(['real']);
    expect(s.ticker.map((i) => i.id)).toEqual(['real']);
    // A newer version of `real` says it was a test message after all.
    wall.applyBatch([incident('real', 'severe', 1, 'reported', true)], 3);
    s = wall.getSnapshot();
    expect(s.openTotal).toBe(0);
    expect(s.counts.severe).toBe(0);
    expect(s.dots).toEqual([]);
    expect(s.ticker).toEqual([]);
    expect(wall.lastSeq()).toBe(3);
  });

  it('takes a cancelled incident out of the counts, the dots and the ticker; a resolved one stays on the ticker', () => {
    const wall = sink();
    wall.applyBatch([incident('a', 'severe', 1), incident('b', 'minor', 2), incident('c', 'moderate', 3)], 3);
    wall.applyBatch([incident('a', 'severe', 1, 'cancelled'), incident('b', 'minor', 2, 'resolved')], 5);
    const s = wall.getSnapshot();
    expect(s.openTotal).toBe(1);
    expect(s.counts).toMatchObject({ severe: 0, minor: 0, moderate: 1 });
    expect(s.dots.map((i) => i.id)).toEqual(['c']);
    expect(s.ticker.map((i) => `${i.id}:${i.status}`)).toEqual(['c:reported', 'b:resolved']);
    // A source that cancels an incident the ticker never listed adds nothing to it.
    wall.applyBatch([incident('z', 'extreme', 9, 'cancelled')], 6);
    expect(wall.getSnapshot().ticker.map((i) => i.id)).toEqual(['c', 'b']);
  });

  it('starts over from a snapshot and resumes after its seq', () => {
    const wall = sink();
    wall.applyBatch([incident('x', 'minor', 1)], 9);
    const feature = (i: Incident) => ({ type: 'Feature' as const, id: i.id, geometry: i.geometry, properties: i });
    wall.replaceAll({ type: 'FeatureCollection', seq: 50, features: [feature(incident('y', 'extreme', 2)), feature(incident('z', 'minor', 3, 'resolved'))] } as never);
    const s = wall.getSnapshot();
    expect(s.loaded).toBe(true);
    expect(s.openTotal).toBe(1);
    expect(s.counts.extreme).toBe(1);
    expect(s.ticker.map((i) => i.id)).toEqual(['z', 'y']);
    expect(wall.lastSeq()).toBe(50);
  });
});
