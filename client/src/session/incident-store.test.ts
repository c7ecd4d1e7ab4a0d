import { describe, expect, it } from 'vitest';
import type { Incident, IncidentCollection } from '#contract/index.ts';
import { IncidentStore, type IncidentDelta } from './incident-store.ts';

function incident(id: string, seq: number, reportedAt = '2026-11-23T08:00:00.000Z', title = id): Incident {
  return {
    id, seq, reportedAt, title,
    source: 'test', externalId: id, category: 'fire', severity: 'minor', status: 'reported',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] },
    occurredAt: reportedAt, description: '', reporter: null, regionCode: '330102', attributes: {}, drill: false,
  };
}

function collection(items: Incident[], seq: number): IncidentCollection {
  return {
    type: 'FeatureCollection', seq,
    features: items.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.id, geometry, properties })),
  };
}

/** A clock we turn by hand: scheduled callbacks run only when `run()` is called. */
function manualScheduler() {
  const queue: (() => void)[] = [];
  return { schedule: (fn: () => void) => void queue.push(fn), run: () => queue.splice(0).forEach((fn) => fn()) };
}

describe('IncidentStore', () => {
  it('applies a burst of events in one batch and notifies once', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([], 0));
    let notified = 0;
    store.subscribe(() => notified++);
    for (let i = 1; i <= 100; i++) store.upsert(incident(`i${i}`, i));
    expect(store.getSnapshot().incidents).toHaveLength(0);
    expect(store.lastSeq()).toBe(100);
    clock.run();
    expect(notified).toBe(1);
    expect(store.getSnapshot().incidents).toHaveLength(100);
    expect(store.getSnapshot().seq).toBe(100);
  });

  it('keeps one incident per id and never replaces a newer version with an older one', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([incident('a', 5, undefined, 'new')], 5));
    store.upsert(incident('a', 3, undefined, 'old'));
    clock.run();
    const { incidents } = store.getSnapshot();
    expect(incidents.map((i) => i.title)).toEqual(['new']);
  });

  it('lists the newest report first', () => {
    const store = new IncidentStore({ schedule: manualScheduler().schedule });
    store.replaceAll(collection([
      incident('early', 1, '2026-11-23T08:00:00.000Z'),
      incident('late', 2, '2026-11-23T09:00:00.000Z'),
    ], 2));
    expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['late', 'early']);
  });

  it('lists what occurred last first within one import (same report time)', () => {
    const store = new IncidentStore({ schedule: manualScheduler().schedule });
    const at = (id: string, occurredAt: string) => ({ ...incident(id, 1), occurredAt });
    store.replaceAll(collection([at('monday', '2026-11-16T08:00:00Z'), at('sunday', '2026-11-22T08:00:00Z')], 1));
    expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['sunday', 'monday']);
  });

  it('resumes from a fresh snapshot seq even when it is lower (the server store was reset)', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([], 500));
    store.replaceAll(collection([incident('a', 3)], 10));
    expect(store.lastSeq()).toBe(10);
  });

  it('applies an events batch as one update: a new incident and a status change together', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([incident('a', 1)], 1));
    const deltas: IncidentDelta[] = [];
    store.onDelta((delta) => deltas.push(delta));
    store.applyBatch([incident('b', 2), { ...incident('a', 3), status: 'acknowledged' }], 4);
    expect(store.lastSeq()).toBe(4); // a regions event (seq 4) in the batch counts too
    clock.run();
    expect(deltas).toHaveLength(1);
    expect(deltas[0]?.reset).toBe(false);
    expect(deltas[0]?.changed.map((i) => i.id).sort()).toEqual(['a', 'b']);
    expect(store.get('a')?.status).toBe('acknowledged');
    expect(store.getSnapshot().seq).toBe(4);
  });

  it('ignores an event whose seq is not newer than the incident it would replace', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([{ ...incident('a', 5), status: 'dispatched' }], 5));
    const deltas: IncidentDelta[] = [];
    store.onDelta((delta) => deltas.push(delta));
    store.applyBatch([{ ...incident('a', 5), status: 'acknowledged' }], 5);
    clock.run();
    expect(store.get('a')?.status).toBe('dispatched');
    expect(deltas).toEqual([]);
  });

  it('keeps an incident in its place in the list when its status changes', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([
      incident('early', 1, '2026-11-23T08:00:00.000Z'),
      incident('late', 2, '2026-11-23T09:00:00.000Z'),
    ], 2));
    store.upsert({ ...incident('early', 3, '2026-11-23T08:00:00.000Z'), status: 'resolved' });
    store.upsert(incident('middle', 4, '2026-11-23T08:30:00.000Z'));
    clock.run();
    expect(store.getSnapshot().incidents.map((i) => `${i.id}:${i.status}`)).toEqual(['late:reported', 'middle:reported', 'early:resolved']);
  });

  it('shows our own change at once without moving the resume point', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.replaceAll(collection([incident('a', 5)], 7));
    store.applyLocal({ ...incident('a', 12), status: 'acknowledged' });
    clock.run();
    expect(store.get('a')?.status).toBe('acknowledged');
    // Events 8–11 may still be on their way: resume after 7, not after our own 12.
    expect(store.lastSeq()).toBe(7);
    store.upsert({ ...incident('a', 12), status: 'acknowledged' }); // the live copy
    clock.run();
    expect(store.lastSeq()).toBe(12);
  });

  it('keeps queued events newer than a snapshot that arrives after them', () => {
    const clock = manualScheduler();
    const store = new IncidentStore({ schedule: clock.schedule });
    store.upsert(incident('live', 9));
    store.replaceAll(collection([incident('old', 4)], 8));
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['live', 'old']);
    expect(store.getSnapshot().seq).toBe(9);
    expect(store.getSnapshot().loaded).toBe(true);
  });

  describe('drills', () => {
    const drill = (id: string, seq: number, reportedAt?: string): Incident => ({ ...incident(id, seq, reportedAt), drill: true });

    it('never holds or lists a drill, from a snapshot or from the stream, but still resumes after its seq', () => {
      const clock = manualScheduler();
      const store = new IncidentStore({ schedule: clock.schedule });
      // A snapshot that let a drill slip in (an older server): it stays out all the same.
      store.replaceAll(collection([incident('real', 1), drill('exercise', 2)], 2));
      store.applyBatch([drill('test-message', 3), incident('fire', 4)], 4);
      clock.run();
      const snapshot = store.getSnapshot();
      expect(snapshot.incidents.map((i) => i.id).sort()).toEqual(['fire', 'real']);
      // Everything counted from the store (the top bar's count, the responder queue) sees two.
      expect(snapshot.incidents).toHaveLength(2);
      expect(store.get('exercise')).toBeUndefined();
      expect(store.get('test-message')).toBeUndefined();
      // The log is one stream: the drill's seq moved the resume point like any other event.
      expect(store.lastSeq()).toBe(4);
    });

    it('lets go of an incident a newer version marks as a drill, and an older real version does not bring it back', () => {
      const clock = manualScheduler();
      const store = new IncidentStore({ schedule: clock.schedule });
      store.replaceAll(collection([incident('a', 1), incident('b', 2)], 2));
      const deltas: IncidentDelta[] = [];
      store.onDelta((delta) => deltas.push(delta));
      store.upsert(drill('a', 3));
      clock.run();
      expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['b']);
      expect(deltas).toEqual([{ reset: false, changed: [], removed: ['a'] }]);
      // A replay of the real version it was (seq 1) is older than the drill (seq 3): ignored.
      store.upsert(incident('a', 1));
      clock.run();
      expect(store.get('a')).toBeUndefined();
      // A newer real version (the source corrected itself) shows it again.
      store.upsert(incident('a', 5));
      clock.run();
      expect(store.get('a')?.seq).toBe(5);
      expect(deltas.at(-1)).toEqual({ reset: false, changed: [store.get('a')] });
    });

    it('shows nothing of an incident that arrives and is marked a drill within one batch', () => {
      const clock = manualScheduler();
      const store = new IncidentStore({ schedule: clock.schedule });
      store.replaceAll(collection([], 0));
      const deltas: IncidentDelta[] = [];
      store.onDelta((delta) => deltas.push(delta));
      store.applyBatch([incident('x', 1), drill('x', 2)], 2);
      clock.run();
      // Added and withdrawn within one update: never shown, so nothing to remove either.
      expect(store.getSnapshot().incidents).toEqual([]);
      expect(deltas).toEqual([]);
    });
  });
});
