import { describe, expect, it } from 'vitest';
import type { Assignment, AssignmentEvent, Unit } from '#contract/index.ts';
import { AssignmentStore, activeIncidentByUnit, assignmentsOf } from '../../session/assignment-store.ts';
import { pickerKey } from './dispatch-keys.ts';
import { radiusFrame } from './responder-map-layers.ts';
import { BOARD_STATUS_ORDER, unitBoard } from './unit-board-model.ts';

const unit = (id: string, callSign: string, status: Unit['status']): Unit => ({
  id, callSign, kind: 'fire_engine', agency: null, stationId: null, serves: ['fire'], status,
  statusSince: '2026-12-07T08:00:00Z', updatedAt: '2026-12-07T08:00:00Z', seq: 1,
});

const assignment = (id: string, unitId: string, incidentId: string, status: Assignment['status'], seq: number, assignedAt = '2026-12-07T08:00:00Z'): Assignment => ({
  id, incidentId, unitId, agency: null, status, disposition: null, seq,
  times: { assigned: assignedAt, accepted: null, declined: null, en_route: null, on_scene: null, cleared: null },
  assignedBy: { name: 'dispatcher', role: 'responder' },
});
const event = (a: Assignment): AssignmentEvent => ({
  ...a, change: { seq: a.seq, at: a.times.assigned, actor: a.assignedBy, from: null, to: a.status, note: null },
  incidentStatus: 'acknowledged', regionCode: null, point: [120, 30],
});

describe('the unit board', () => {
  it('groups units by status, free ones first, call signs in numeric order within a status', () => {
    const units = [
      unit('u1', '西湖消防10', 'en_route'),
      unit('u2', '西湖消防2', 'available'),
      unit('u3', '西湖消防1', 'out_of_service'),
      unit('u4', '西湖消防9', 'available'),
      unit('u5', '救护3', 'returning'),
    ];
    const groups = unitBoard(units, new Map([['u1', 'inc-7']]));
    // Expected by hand: available (2 before 9, numerically), returning, en route, out of service.
    expect(groups.map((g) => [g.status, g.rows.map((r) => r.unit.id)])).toEqual([
      ['available', ['u2', 'u4']],
      ['returning', ['u5']],
      ['en_route', ['u1']],
      ['out_of_service', ['u3']],
    ]);
    expect(groups[2]!.rows[0]!.incidentId).toBe('inc-7');
    expect(groups[0]!.rows[0]!.incidentId).toBeNull();
    expect(new Set(BOARD_STATUS_ORDER).size).toBe(6);
  });
});

describe('the unit picker keys', () => {
  it('moves within the list, stops at its ends, sends with Enter and closes with Esc', () => {
    expect(pickerKey(0, 3, 'ArrowDown')).toEqual({ cursor: 1, action: null });
    expect(pickerKey(2, 3, 'ArrowDown')).toEqual({ cursor: 2, action: null });
    expect(pickerKey(0, 3, 'ArrowUp')).toEqual({ cursor: 0, action: null });
    expect(pickerKey(1, 3, 'End')).toEqual({ cursor: 2, action: null });
    expect(pickerKey(2, 3, 'Home')).toEqual({ cursor: 0, action: null });
    expect(pickerKey(1, 3, 'Enter')).toEqual({ cursor: 1, action: 'assign' });
    expect(pickerKey(1, 3, 'Escape')).toEqual({ cursor: 1, action: 'close' });
    expect(pickerKey(1, 3, 'a')).toEqual({ cursor: 1, action: null });
  });

  it('sends nothing from an empty list and pulls a cursor left past the end back in', () => {
    expect(pickerKey(0, 0, 'Enter')).toEqual({ cursor: 0, action: null });
    expect(pickerKey(0, 0, 'ArrowDown')).toEqual({ cursor: 0, action: null });
    // The ranking was read again and is shorter now.
    expect(pickerKey(5, 2, 'Enter')).toEqual({ cursor: 1, action: 'assign' });
  });
});

describe('the assignment store', () => {
  it('keeps the newest step whatever the order reads and events arrive in', () => {
    const store = new AssignmentStore();
    store.applyEvents([event(assignment('a1', 'u1', 'i1', 'en_route', 9))]);
    // A read started before the step lands later: older seq, ignored.
    store.load([assignment('a1', 'u1', 'i1', 'assigned', 5), assignment('a2', 'u2', 'i1', 'assigned', 6, '2026-12-07T07:59:00Z')]);
    const snap = store.getSnapshot();
    expect(assignmentsOf(snap, 'i1').map((a) => [a.id, a.status])).toEqual([['a2', 'assigned'], ['a1', 'en_route']]);
    expect(snap.byId.get('a1')).not.toHaveProperty('change');
    store.applyEvents([event(assignment('a1', 'u1', 'i1', 'cleared', 12))]);
    expect([...activeIncidentByUnit(store.getSnapshot())]).toEqual([['u2', 'i1']]);
  });

  it('tells its listeners only when something changed', () => {
    const store = new AssignmentStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.load([assignment('a1', 'u1', 'i1', 'assigned', 5)]);
    store.load([assignment('a1', 'u1', 'i1', 'assigned', 5)]);
    expect(calls).toBe(1);
  });
});

describe('the map frame', () => {
  it('holds the radius and a quarter more each way, wider in longitude away from the equator', () => {
    const [[w, s], [e, n]] = radiusFrame(120, 60, 1000);
    // 1,250 m north and south: 1250 / (π · 6,371,008.8 / 180) degrees; at 60° a degree of longitude is half as long.
    const dLat = 1250 / ((Math.PI * 6_371_008.8) / 180);
    expect(n - 60).toBeCloseTo(dLat, 10);
    expect(60 - s).toBeCloseTo(dLat, 10);
    expect(e - 120).toBeCloseTo(2 * dLat, 8);
    expect(120 - w).toBeCloseTo(2 * dLat, 8);
  });
});
