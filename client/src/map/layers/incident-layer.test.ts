import { describe, expect, it } from 'vitest';
import type { AccessorContext } from '@deck.gl/core';
import type { Incident, Severity, Status } from '#contract/index.ts';
import { CLOSED_ALPHA, createHighlightLayer, createIncidentLayers, densityRadiusScale } from './incident-layer.ts';
import { IncidentRows, type RowsView } from './incident-rows.ts';

function incident(id: string, severity: Severity, status: Status = 'reported', seq = 1): Incident {
  return {
    id, severity, status, seq, source: 'test', externalId: id, category: 'fire', title: id, description: '',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: '2026-11-23T08:00:00Z',
    reportedAt: '2026-11-23T08:00:00Z', reporter: null, regionCode: null, attributes: {}, drill: false,
  };
}

type Accessor<T> = (object: unknown, context: AccessorContext<unknown>) => T;

/**
 * Does what deck.gl's attribute manager does on a data change: asks `_dataDiff` which rows changed
 * and runs the accessor for those rows only (a `null` answer means every row).
 */
function rowsDeckWouldRead(layer: ReturnType<typeof createIncidentLayers>[number], previous: RowsView): number[] {
  const view = layer.props.data as RowsView;
  const diff = layer.props._dataDiff?.(view, previous) as { startRow: number; endRow: number }[] | null;
  const ranges = diff ?? [{ startRow: 0, endRow: view.length }];
  return ranges.flatMap(({ startRow, endRow }) => Array.from({ length: endRow - startRow }, (_, i) => startRow + i));
}

describe('incident layers', () => {
  it('draws one layer per severity, lowest first, so the worst stay on top', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: [incident('x', 'extreme'), incident('m', 'minor')] });
    const layers = createIncidentLayers(rows.getSnapshot(), 2);
    expect(layers.map((l) => l.id)).toEqual([
      'incidents-unknown', 'incidents-minor', 'incidents-moderate', 'incidents-severe', 'incidents-extreme',
    ]);
  });

  it('makes deck.gl read only the appended rows and the one row whose status changed', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: Array.from({ length: 500 }, (_, i) => incident(`old${i}`, 'severe')) });
    const before = rows.getSnapshot().views[3] as RowsView;

    rows.apply({ reset: false, changed: [incident('new1', 'severe'), incident('new2', 'severe')] });
    const afterAppend = createIncidentLayers(rows.getSnapshot(), 502)[3]!;
    expect(rowsDeckWouldRead(afterAppend, before)).toEqual([500, 501]);

    rows.apply({ reset: false, changed: [incident('old7', 'severe', 'resolved', 9)] });
    const afterStatus = createIncidentLayers(rows.getSnapshot(), 502)[3]!;
    expect(rowsDeckWouldRead(afterStatus, afterAppend.props.data as RowsView)).toEqual([7]);
    // The row keeps its place; only its colour fades.
    const getFillColor = afterStatus.props.getFillColor as unknown as Accessor<number[]>;
    const context = (index: number) => ({ index, data: afterStatus.props.data, target: [] }) as AccessorContext<unknown>;
    expect(getFillColor(undefined, context(7))[3]).toBe(CLOSED_ALPHA);
    expect(getFillColor(undefined, context(8))[3]).toBeGreaterThan(200);
  });

  it('counts the rows whose positions are computed', () => {
    const rows = new IncidentRows();
    rows.apply({ reset: true, changed: [incident('a', 'minor'), incident('b', 'minor')] });
    const counter = { rowsEvaluated: 0 };
    const layer = createIncidentLayers(rows.getSnapshot(), 2, { counter })[1]!;
    const getPosition = layer.props.getPosition as unknown as Accessor<number[]>;
    expect(getPosition(undefined, { index: 1, data: layer.props.data as RowsView, target: [] })).toEqual([120.17, 30.25]);
    expect(counter.rowsEvaluated).toBe(1);
  });

  it('shrinks dots as incidents multiply, within bounds', () => {
    expect(densityRadiusScale(0)).toBe(1);
    expect(densityRadiusScale(200)).toBe(1);
    expect(densityRadiusScale(1000)).toBeCloseTo(1 - 0.4 * Math.log10(5) / Math.log10(25), 9);
    expect(densityRadiusScale(5000)).toBeCloseTo(0.6, 9);
    expect(densityRadiusScale(1e6)).toBe(0.6);
  });

  it('rings the selected and the hovered incident in a layer of its own', () => {
    const a = incident('a', 'minor');
    const b = incident('b', 'severe');
    expect(createHighlightLayer(a, b).props.data).toHaveLength(2);
    expect(createHighlightLayer(b, b).props.data).toHaveLength(1);
    expect(createHighlightLayer(null, null).props.data).toHaveLength(0);
  });
});
