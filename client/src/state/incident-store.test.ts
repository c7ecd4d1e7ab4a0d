import { describe, expect, it } from 'vitest';
import type { Incident, IncidentCollection } from '../../../server/contract/index.ts';
import { IncidentStore } from './incident-store.ts';

function incident(id: string, seq: number, reportedAt = '2026-11-23T08:00:00.000Z', title = id): Incident {
  return {
    id, seq, reportedAt, title,
    source: 'test', externalId: id, category: 'fire', severity: 'minor', status: 'reported',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] },
    occurredAt: reportedAt, description: '', reporter: null, regionCode: '330102', attributes: {},
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
