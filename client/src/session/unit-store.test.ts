import { describe, expect, it } from 'vitest';
import type { Unit, UnitCollection } from '#contract/index.ts';
import { UnitStore } from './unit-store.ts';

const unit = (id: string, seq: number, status: Unit['status'] = 'available'): Unit => ({
  id, callSign: id.toUpperCase(), kind: 'ambulance', agency: 'health', stationId: null, serves: ['public_health'],
  status, statusSince: '2026-12-07T08:00:00Z', updatedAt: '2026-12-07T08:00:00Z', seq,
});
const collection = (entries: [Unit, [number, number, string] | null][]): UnitCollection => ({
  type: 'FeatureCollection',
  seq: 100,
  features: entries.map(([u, p]) => ({
    type: 'Feature', id: u.id,
    geometry: p ? { type: 'Point', coordinates: [p[0], p[1]] } : null,
    properties: { ...u, position: p ? { at: p[2], speed: null, heading: null, receivedAt: p[2] } : null },
  })),
});

describe('the unit store', () => {
  it('keeps a newer live position and status over an older read that finishes later', () => {
    const store = new UnitStore();
    store.load(collection([[unit('a', 1), [120, 30, '2026-12-07T08:00:00Z']]]));
    store.applyPositions([{ unitId: 'a', lon: 121, lat: 31, at: '2026-12-07T08:00:10Z', speed: null, heading: null }]);
    store.applyUpdates([{ ...unit('a', 5, 'en_route'), change: { seq: 5, at: '2026-12-07T08:00:11Z', actor: { name: 'dispatcher', role: 'responder' }, action: 'status', from: 'assigned', to: 'en_route' } }]);
    // A read started before those messages lands now: older seq and older position, both ignored.
    store.load(collection([[unit('a', 1), [120, 30, '2026-12-07T08:00:00Z']], [unit('b', 2), null]]));
    const snap = store.getSnapshot();
    expect(snap.loaded).toBe(true);
    expect(snap.units.map((d) => [d.unit.id, d.unit.status, d.position?.lon ?? null])).toEqual([['a', 'en_route', 121], ['b', 'available', null]]);
  });

  it('never moves a unit back in time, and bumps only the version of what changed', () => {
    const store = new UnitStore();
    store.load(collection([[unit('a', 1), null]]));
    const before = store.getSnapshot();
    store.applyPositions([{ unitId: 'a', lon: 1, lat: 2, at: '2026-12-07T08:00:10Z', speed: null, heading: null }]);
    store.applyPositions([{ unitId: 'a', lon: 9, lat: 9, at: '2026-12-07T08:00:05Z', speed: null, heading: null }]);
    store.applyPositions([{ unitId: 'ghost', lon: 9, lat: 9, at: '2026-12-07T08:00:05Z', speed: null, heading: null }]);
    const after = store.getSnapshot();
    expect(after.units[0]?.position).toEqual({ lon: 1, lat: 2, atMs: Date.UTC(2026, 11, 7, 8, 0, 10) });
    expect(after.positionVersion - before.positionVersion).toBe(1);
    expect(after.registerVersion).toBe(before.registerVersion);
    // Same array while no unit is added: the map keeps its data and refreshes positions only.
    expect(after.units).toBe(before.units);
  });
});
