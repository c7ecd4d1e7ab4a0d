import { describe, expect, it } from 'vitest';
import type { Incident, IncidentCollection } from '#contract/index.ts';
import { DrillStore } from './drill-store.ts';
import { IncidentStore } from './incident-store.ts';

function incident(id: string, seq: number, drill: boolean, minute = seq): Incident {
  const at = new Date(Date.UTC(2026, 10, 23, 8, minute)).toISOString();
  return {
    id, seq, drill, source: 'cap', externalId: id, category: 'flood', severity: 'severe', status: 'reported',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: at, reportedAt: at,
    title: id, description: '', reporter: null, regionCode: '330106', attributes: {},
  };
}

function collection(items: Incident[], seq: number, truncated?: boolean): IncidentCollection {
  return {
    type: 'FeatureCollection', seq, ...(truncated !== undefined && { truncated }),
    features: items.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.id, geometry, properties })),
  };
}

const ids = (drills: DrillStore) => drills.getSnapshot().drills.map((i) => i.id);

describe('DrillStore', () => {
  it('lists the drills of the ?drill=only answer, newest first, and keeps out anything else', () => {
    const drills = new DrillStore();
    expect(drills.getSnapshot().loaded).toBe(false);
    drills.replaceAll(collection([incident('exercise-1', 1, true), incident('real', 2, false), incident('exercise-2', 3, true)], 3));
    expect(drills.getSnapshot()).toMatchObject({ loaded: true, truncated: false });
    expect(ids(drills)).toEqual(['exercise-2', 'exercise-1']);
  });

  it('takes the drills from live batches, which the incident store beside it leaves out', () => {
    // The console's two stores fed the same batches, as the live client feeds them.
    const store = new IncidentStore({ schedule: () => {} });
    const drills = new DrillStore();
    store.replaceAll(collection([incident('real-1', 1, false)], 1));
    drills.replaceAll(collection([], 1));
    const batch = [incident('exercise', 2, true), incident('real-2', 3, false), { ...incident('exercise', 4, true), status: 'acknowledged' as const }];
    store.applyBatch(batch, 4);
    store.flush();
    drills.applyBatch(batch);
    // Counted: the two real incidents only. Listed apart: the one drill, at its latest version.
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['real-1', 'real-2']);
    expect(ids(drills)).toEqual(['exercise']);
    expect(drills.getSnapshot().drills[0]?.status).toBe('acknowledged');
  });

  it('notifies only when a batch touches a drill', () => {
    const drills = new DrillStore();
    drills.replaceAll(collection([], 0));
    let notified = 0;
    drills.subscribe(() => notified++);
    drills.applyBatch([incident('a', 1, false), incident('b', 2, false)]);
    expect(notified).toBe(0);
    drills.applyBatch([incident('c', 3, true)]);
    expect(notified).toBe(1);
  });

  it('lets go of a drill a newer version marks as real, and ignores older versions of what it holds', () => {
    const drills = new DrillStore();
    drills.replaceAll(collection([incident('x', 5, true), incident('y', 6, true)], 6));
    drills.applyBatch([incident('x', 4, false)]); // older than the seq 5 held: a replay
    expect(ids(drills)).toEqual(['y', 'x']);
    drills.applyBatch([incident('x', 7, false, 5)]);
    expect(ids(drills)).toEqual(['y']);
    // The drill version it was (seq 5) comes again in a replay: the real seq 7 stands.
    drills.applyBatch([incident('x', 5, true)]);
    expect(ids(drills)).toEqual(['y']);
  });

  it('keeps what came live after the list was read, and what turned real meanwhile stays off the list', () => {
    const drills = new DrillStore();
    // The stream starts before the drill list arrives: a new drill (seq 12) and an update that
    // makes the listed drill `old` real (seq 11).
    drills.applyBatch([incident('old', 11, false, 1), incident('new', 12, true)]);
    drills.replaceAll(collection([incident('old', 3, true, 1), incident('listed', 9, true)], 10));
    expect(ids(drills)).toEqual(['new', 'listed']);
    // A later list read after both (seq 20) is the truth again.
    drills.replaceAll(collection([incident('old', 15, true, 1)], 20));
    expect(ids(drills)).toEqual(['old']);
  });

  it('says when the server cut the list short', () => {
    const drills = new DrillStore();
    drills.replaceAll(collection([incident('a', 1, true)], 1, true));
    expect(drills.getSnapshot().truncated).toBe(true);
    drills.applyBatch([incident('b', 2, true)]);
    expect(drills.getSnapshot()).toMatchObject({ truncated: true, drills: [{ id: 'b' }, { id: 'a' }] });
  });
});
