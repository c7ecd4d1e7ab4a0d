import { describe, expect, it } from 'vitest';
import type { Incident, IncidentCollection } from '../../../server/contract/index.ts';
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
});
