import { describe, expect, it } from 'vitest';
import type { Incident, Severity, Status } from '../../../../server/contract/index.ts';
import { createIncidentLayer, densityRadiusScale, inDrawingOrder } from './incident-layer.ts';

function incident(id: string, severity: Severity, status: Status = 'reported'): Incident {
  return {
    id, severity, status, seq: 1, source: 'test', externalId: id, category: 'fire', title: id, description: '',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: '2026-11-23T08:00:00Z',
    reportedAt: '2026-11-23T08:00:00Z', reporter: null, regionCode: null, attributes: {},
  };
}

describe('incident layer', () => {
  it('draws closed incidents first and the worst open ones last, on top', () => {
    const order = inDrawingOrder([
      incident('extreme', 'extreme'),
      incident('minor', 'minor'),
      incident('resolved-extreme', 'extreme', 'resolved'),
      incident('severe', 'severe'),
    ]).map((i) => i.id);
    expect(order).toEqual(['resolved-extreme', 'minor', 'severe', 'extreme']);
  });

  it('shrinks dots as incidents multiply, within bounds', () => {
    expect(densityRadiusScale(0)).toBe(1);
    expect(densityRadiusScale(200)).toBe(1);
    expect(densityRadiusScale(1000)).toBeCloseTo(1 - 0.4 * Math.log10(5) / Math.log10(25), 9);
    expect(densityRadiusScale(5000)).toBeCloseTo(0.6, 9);
    expect(densityRadiusScale(1e6)).toBe(0.6);
  });

  it('re-evaluates sizes and outlines only when the highlighted incident changes', () => {
    const data = [incident('a', 'minor')];
    const layer = createIncidentLayer(data, { highlightId: 'a' });
    expect(layer.props.data).toBe(data);
    expect(layer.props.updateTriggers).toMatchObject({ getRadius: 'a', getLineColor: 'a' });
  });
});
