import { describe, expect, it } from 'vitest';
import type { Incident, Severity, Status } from '#contract/index.ts';
import { DEFAULT_FILTER, filterIncidents, stepSelection, toggleSeverity } from './incident-filter.ts';

function incident(id: string, severity: Severity, status: Status): Incident {
  return {
    id, severity, status, seq: 1, source: 'test', externalId: id, category: 'fire', title: id, description: '',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: '2026-11-23T08:00:00Z',
    reportedAt: '2026-11-23T08:00:00Z', reporter: null, regionCode: null, attributes: {}, drill: false,
  };
}

const all = [
  incident('a', 'extreme', 'reported'),
  incident('b', 'minor', 'resolved'),
  incident('c', 'minor', 'dispatched'),
  incident('d', 'extreme', 'rejected'),
  incident('e', 'severe', 'acknowledged'),
  incident('f', 'severe', 'cancelled'),
];
const ids = (list: readonly Incident[]) => list.map((i) => i.id);

describe('incident filter', () => {
  it('shows open incidents by default and everything on "all"', () => {
    // Resolved b, rejected d and cancelled f are closed.
    expect(ids(filterIncidents(all, DEFAULT_FILTER, 100).shown)).toEqual(['a', 'c', 'e']);
    expect(ids(filterIncidents(all, { ...DEFAULT_FILTER, scope: 'all' }, 100).shown)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('narrows to the chosen severities, and toggling one off again widens it', () => {
    const extreme = toggleSeverity({ ...DEFAULT_FILTER, scope: 'all' }, 'extreme');
    expect(ids(filterIncidents(all, extreme, 100).shown)).toEqual(['a', 'd']);
    const extremeAndMinor = toggleSeverity(extreme, 'minor');
    expect(ids(filterIncidents(all, extremeAndMinor, 100).shown)).toEqual(['a', 'b', 'c', 'd']);
    expect(filterIncidents(all, toggleSeverity(extremeAndMinor, 'extreme'), 100).total).toBe(2);
  });

  it('cuts the list but still counts every match', () => {
    expect(filterIncidents(all, { ...DEFAULT_FILTER, scope: 'all' }, 2)).toMatchObject({ total: 6, shown: [{ id: 'a' }, { id: 'b' }] });
  });

  it('moves the selection one step, starting from the nearest end and stopping at either end', () => {
    const list = ['a', 'b', 'c'];
    expect(stepSelection(list, null, 1)).toBe('a');
    expect(stepSelection(list, null, -1)).toBe('c');
    expect(stepSelection(list, 'a', 1)).toBe('b');
    expect(stepSelection(list, 'a', -1)).toBe('a');
    expect(stepSelection(list, 'c', 1)).toBe('c');
    expect(stepSelection(list, 'gone', 1)).toBe('a');
    expect(stepSelection([], 'a', 1)).toBeNull();
  });
});
