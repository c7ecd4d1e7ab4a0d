import { describe, expect, it } from 'vitest';
import type { Incident, Severity, Status } from '#contract/index.ts';
import { addRange, IncidentRows, type RowsView } from './incident-rows.ts';

function incident(id: string, severity: Severity = 'moderate', status: Status = 'reported', seq = 1, reportedAt = '2026-11-23T08:00:00Z'): Incident {
  return {
    id, severity, status, seq, reportedAt, source: 'test', externalId: id, category: 'fire', title: id, description: '',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: reportedAt, reporter: null, regionCode: null,
    attributes: {}, drill: false,
  };
}

const many = (n: number, prefix = 'i') => Array.from({ length: n }, (_, i) => incident(`${prefix}${i}`));
const moderate = (rows: IncidentRows) => rows.getSnapshot().views[2] as RowsView;

describe('IncidentRows', () => {
  it('appends k incidents by touching k rows: the row array keeps its identity and its old entries', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: many(1000) });
    const before = moderate(rows);
    const backing = before.rows;
    const firstThousand = backing.slice();

    rows.apply({ reset: false, changed: many(3, 'new') });
    const after = moderate(rows);

    expect(after).not.toBe(before); // a new view: deck.gl sees that something changed …
    expect(after.rows).toBe(backing); // … but nothing was copied
    expect(after.length).toBe(1003);
    expect(after.rows.slice(0, 1000).every((row, i) => row === firstThousand[i])).toBe(true);
    expect(after.changesSince(before)).toEqual([{ startRow: 1000, endRow: 1003 }]);
  });

  it('changes a status in place: one row, same slot', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: many(10) });
    const before = moderate(rows);
    const slot = rows.slotOf('i4');
    rows.apply({ reset: false, changed: [incident('i4', 'moderate', 'acknowledged', 2)] });
    expect(rows.slotOf('i4')).toEqual(slot);
    expect(moderate(rows).rows[slot!.row]?.status).toBe('acknowledged');
    expect(moderate(rows).changesSince(before)).toEqual([{ startRow: slot!.row, endRow: slot!.row + 1 }]);
  });

  it('leaves an empty row and appends elsewhere when the severity changes', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: many(3) });
    rows.apply({ reset: false, changed: [incident('i1', 'extreme', 'reported', 2)] });
    const views = rows.getSnapshot().views;
    expect(views[2]?.rows[1]).toBeNull();
    expect(views[4]?.rows.map((i) => i?.id)).toEqual(['i1']);
    expect(rows.slotOf('i1')).toEqual({ severity: 'extreme', row: 0 });
  });

  it('answers the union of changes for a layer that skipped versions, and a rebuild after a reset', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: many(5) });
    const drawn = moderate(rows);
    rows.apply({ reset: false, changed: [incident('i1', 'moderate', 'acknowledged', 2)] });
    rows.apply({ reset: false, changed: [incident('x', 'moderate')] });
    rows.apply({ reset: false, changed: [incident('i2', 'moderate', 'acknowledged', 3)] });
    expect(moderate(rows).changesSince(drawn)).toEqual([{ startRow: 1, endRow: 3 }, { startRow: 5, endRow: 6 }]);
    const beforeReset = moderate(rows);
    rows.apply({ reset: true, changed: many(2) });
    expect(moderate(rows).changesSince(beforeReset)).toBeNull();
  });

  it('puts closed incidents, cancelled ones included, under open ones after a reset', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: [incident('open'), incident('done', 'moderate', 'resolved'), incident('withdrawn', 'moderate', 'cancelled')] });
    expect(moderate(rows).rows.map((i) => i?.id)).toEqual(['done', 'withdrawn', 'open']);
  });

  it('empties the row of an incident the store let go of (it became a drill), touching that row only', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: many(4) });
    const before = moderate(rows);
    rows.apply({ reset: false, changed: [], removed: ['i2'] });
    expect(moderate(rows).rows.map((i) => i?.id ?? null)).toEqual(['i0', 'i1', null, 'i3']);
    expect(moderate(rows).changesSince(before)).toEqual([{ startRow: 2, endRow: 3 }]);
    expect(rows.slotOf('i2')).toBeUndefined();
    // Should it come back real, it is appended like a new incident.
    rows.apply({ reset: false, changed: [incident('i2', 'moderate', 'reported', 3)] });
    expect(rows.slotOf('i2')).toEqual({ severity: 'moderate', row: 4 });
  });

  it('merges touching and overlapping row ranges', () => {
    let ranges = addRange([], 5, 6);
    ranges = addRange(ranges, 6, 8);
    ranges = addRange(ranges, 1, 2);
    ranges = addRange(ranges, 10, 11);
    expect(ranges).toEqual([{ startRow: 1, endRow: 2 }, { startRow: 5, endRow: 8 }, { startRow: 10, endRow: 11 }]);
    expect(addRange(ranges, 0, 20)).toEqual([{ startRow: 0, endRow: 20 }]);
  });
});
