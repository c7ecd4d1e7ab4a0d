import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import { compareVersions, type IncidentDraft } from '../domain/incidents/draft.ts';
import { parseJsonIncidents, type IngestOptions, type ParsedBatch } from './json.ts';

const OPTIONS: IngestOptions = { nowMs: Date.UTC(2026, 10, 23) };
/** A version element the record did not give. */
const NOT_GIVEN = null;
/** 2026-11-23T08:00:00+08:00, worked out by hand: midnight UTC. */
const EIGHT_AM_BEIJING = Date.UTC(2026, 10, 23, 0, 0, 0);

function batch(body: unknown): ParsedBatch {
  const out = parseJsonIncidents(body, OPTIONS);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
function draft(body: unknown): IncidentDraft {
  const b = batch(body);
  if (b.drafts.length !== 1) throw new Error(`expected one draft, got ${JSON.stringify(b)}`);
  return b.drafts[0]!.draft;
}
function errors(body: unknown): ErrorDetail[] {
  return batch(body).errors[0]?.details ?? [];
}

const AT = { lat: 30.27, lon: 120.15 };
const feature = (properties: Record<string, unknown>) => ({
  type: 'Feature',
  id: 'F-1',
  geometry: { type: 'Point', coordinates: [120.15, 30.27] },
  properties,
});

describe('plain JSON: version', () => {
  it('is [version, updatedAt] when both are given', () => {
    expect(draft({ ...AT, version: 2, updatedAt: '2026-11-23T08:00:00+08:00' }).version).toEqual([2, EIGHT_AM_BEIJING]);
  });

  it('takes updatedAt as epoch milliseconds too', () => {
    expect(draft({ ...AT, updatedAt: 1795392000000 }).version).toEqual([NOT_GIVEN, 1795392000000]);
  });

  it('puts the missing one first or second as not given', () => {
    expect(draft({ ...AT, version: 3 }).version).toEqual([3, NOT_GIVEN]);
    expect(draft({ ...AT, updatedAt: '2026-11-23T00:00:00Z' }).version).toEqual([NOT_GIVEN, EIGHT_AM_BEIJING]);
  });

  it('ranks a not-given element exactly as the contract ranks null', () => {
    const onlyUpdated = draft({ ...AT, updatedAt: '2026-11-23T00:00:00Z' }).version ?? [];
    expect(compareVersions(onlyUpdated, [null, EIGHT_AM_BEIJING])).toBe(0);
    expect(compareVersions(draft({ ...AT, version: 3 }).version ?? [], [3, null])).toBe(0);
  });

  it('leaves version out when neither is given, so a repeat is a duplicate', () => {
    const d = draft({ ...AT, title: 'x' });
    expect('version' in d).toBe(false);
    expect('sourceStatus' in d).toBe(false);
    expect('drill' in d).toBe(false);
  });

  it('orders revisions: a later updatedAt is newer; a higher version wins over an earlier clock', () => {
    const v = (extra: Record<string, unknown>) => draft({ ...AT, ...extra }).version ?? [];
    expect(compareVersions(v({ updatedAt: '2026-11-23T09:00:00+08:00' }), v({ updatedAt: '2026-11-23T08:00:00+08:00' }))).toBeGreaterThan(0);
    expect(compareVersions(v({ version: 2, updatedAt: 1 }), v({ version: 1, updatedAt: 2 }))).toBeGreaterThan(0);
    expect(compareVersions(v({ version: 1 }), v({ updatedAt: 5 }))).toBeGreaterThan(0);
    expect(compareVersions(v({ version: 1, updatedAt: 5 }), v({ version: 1, updatedAt: 5 }))).toBe(0);
  });

  it('refuses an updatedAt without a time zone and a version that is not a number, naming the field', () => {
    expect(errors({ ...AT, updatedAt: '2026-11-23T08:00:00' }).map((e) => e.path)).toEqual(['updatedAt']);
    expect(errors({ ...AT, version: '3' }).map((e) => e.path)).toEqual(['version']);
  });
});

describe('plain JSON: status and drill', () => {
  it.each(['open', 'closed', 'cancelled'] as const)('passes status %s on as sourceStatus', (status) => {
    expect(draft({ ...AT, status }).sourceStatus).toBe(status);
  });

  it('refuses a status outside open, closed, cancelled (our workflow words included)', () => {
    expect(errors({ ...AT, status: 'resolved' }).map((e) => e.path)).toEqual(['status']);
  });

  it('passes drill on as given', () => {
    expect(draft({ ...AT, drill: true }).drill).toBe(true);
    expect(draft({ ...AT, drill: false }).drill).toBe(false);
    expect(errors({ ...AT, drill: 'yes' }).map((e) => e.path)).toEqual(['drill']);
  });
});

describe('GeoJSON Feature properties', () => {
  it('maps updatedAt, version, status and drill, and keeps the other properties', () => {
    const d = draft(feature({ updatedAt: '2026-11-23T08:00:00+08:00', version: 4, status: 'closed', drill: true, district: '西湖区' }));
    expect(d).toMatchObject({ source: 'geojson', externalId: 'F-1', version: [4, EIGHT_AM_BEIJING], sourceStatus: 'closed', drill: true });
    expect(d.attributes).toEqual({ district: '西湖区' });
  });

  it('works in a FeatureCollection, one record per feature', () => {
    const b = batch({ type: 'FeatureCollection', features: [feature({ status: 'cancelled' }), feature({ version: 1 })] });
    expect(b.drafts.map((d) => [d.draft.sourceStatus, d.draft.version])).toEqual([
      ['cancelled', undefined],
      [undefined, [1, NOT_GIVEN]],
    ]);
  });

  it('reads a Feature status in our words only: a USGS word needs a USGS event (mag and time)', () => {
    expect(errors(feature({ status: 'reviewed' }))).toEqual([{ path: 'properties.status', message: 'must be open, closed or cancelled' }]);
  });

  it('refuses a drill that is not a boolean and an updatedAt without zone, by property path', () => {
    expect(errors(feature({ drill: 'true', updatedAt: '2026-11-23 08:00' })).map((e) => e.path).sort()).toEqual(['properties.drill', 'properties.updatedAt']);
  });

  it('keeps an `updated` or `alert` property of a Feature that is not a USGS event as an attribute', () => {
    const d = draft(feature({ updated: 'yesterday', alert: 'high' }));
    expect(d).toMatchObject({ severity: 'unknown', attributes: { updated: 'yesterday', alert: 'high' } });
    expect('version' in d).toBe(false);
  });
});
