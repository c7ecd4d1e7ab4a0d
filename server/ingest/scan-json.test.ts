/**
 * The JSON raw scan against bodies whose records, keys, sizes and positions are known by
 * construction (a top-level array, a FeatureCollection, Open311's `service_requests`, one object),
 * and by hand for strings holding brackets and keys, nesting and whitespace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.ts';
import { scanJson } from './scan-json.ts';

const limits = (over: Partial<IntakeLimits>): IntakeLimits => ({ ...DEFAULT_INTAKE_LIMITS, ...over });
const scan = (body: unknown, over: Partial<IntakeLimits>, text = JSON.stringify(body)) => scanJson(Buffer.from(text), limits(over));

describe('scanJson by hand', () => {
  it('counts the records of an array, a FeatureCollection and service_requests', () => {
    const three = [{ a: 1 }, 2, '3'];
    expect(scan(three, { maxRecords: 3 })).toBeNull();
    expect(scan(three, { maxRecords: 2 })).toMatchObject({ kind: 'too_large', path: '2' });
    expect(scan({ type: 'FeatureCollection', features: three }, { maxRecords: 2 })?.message).toContain('INTAKE_MAX_RECORDS = 2');
    expect(scan({ service_requests: three }, { maxRecords: 2 })?.message).toContain('INTAKE_MAX_RECORDS = 2');
    expect(scan({ nested: { features: three } }, { maxRecords: 2 })).toBeNull();
    expect(scan([], { maxRecords: 1 })).toBeNull();
  });

  it('is not fooled by brackets, commas and keys inside strings', () => {
    const body = [{ title: '[{"features": [1,2,3]}], "coordinates": [[1,2]]', note: 'a\\"],[' }];
    expect(scan(body, { maxRecords: 1, maxPositions: 1, maxFields: 2 })).toBeNull();
  });

  it('counts keys of a record and of its properties, each against the limit', () => {
    const feature = { type: 'Feature', geometry: null, properties: { a: 1, b: 2, c: 3, d: 4 } };
    expect(scan([feature], { maxFields: 4 })).toBeNull();
    expect(scan([feature], { maxFields: 3 })?.message).toBe('the properties of record 0 has more than 3 keys (limit INTAKE_MAX_FIELDS = 3); send only the fields an incident needs');
    expect(scan({ lat: 1, lon: 2, title: 'x' }, { maxFields: 2 })?.message).toContain('the incident has more than 2 keys');
  });

  it('measures a record without its geometry, whitespace included', () => {
    const text = '[ {"type":"Feature", "geometry": {"type":"Point","coordinates":[120, 30]}, "properties": {"t": "xxxxxxxxxx"}} ]';
    const record = text.slice(2, -2);
    const geometry = '{"type":"Point","coordinates":[120, 30]}';
    const size = Buffer.byteLength(record) - Buffer.byteLength(geometry);
    expect(scan(null, { maxRecordBytes: size }, text)).toBeNull();
    expect(scan(null, { maxRecordBytes: size - 1 }, text)?.message).toContain('record 0 is');
  });

  it('counts positions per coordinates value, and refuses deep nesting as malformed', () => {
    const ring = Array.from({ length: 11 }, (_, i) => [120 + i / 100, 30]);
    const f = (r: number[][]) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [r] }, properties: {} });
    expect(scan([f(ring), f(ring)], { maxPositions: 11 })).toBeNull();
    expect(scan([f(ring)], { maxPositions: 10 })).toMatchObject({ kind: 'malformed' });
    expect(scan(null, {}, `${'['.repeat(40)}${']'.repeat(40)}`)?.message).toContain('nested more than 32 levels');
  });

  it('refuses a string longer than a record may be, wherever it is', () => {
    expect(scan({ type: 'FeatureCollection', junk: 'x'.repeat(2000), features: [] }, { maxRecordBytes: 1024 })?.message).toContain('INTAKE_MAX_RECORD_KB = 1');
  });
});

const value = fc.oneof(fc.integer(), fc.string({ maxLength: 40 }), fc.constant(null), fc.constantFrom('火灾', 'a "quoted" [x]', '{"a":1}'));
const props = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['properties', 'attributes', 'geometry', 'coordinates', 'features', 'service_requests'].includes(k)), value, { maxKeys: 12 });
const ring = fc.array(fc.tuple(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true })), { minLength: 1, maxLength: 40 });
const feature = fc.record({ type: fc.constant('Feature'), geometry: ring.map((r) => ({ type: 'Polygon', coordinates: [r] })), properties: props });

describe('scanJson against bodies of known shape', () => {
  it('finds no excess at the counts written, and each limit one below them', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(feature, props), { minLength: 1, maxLength: 30 }), fc.constantFrom('array', 'collection', 'open311'), (records, wrap) => {
        const body = wrap === 'array' ? records : wrap === 'collection' ? { type: 'FeatureCollection', features: records } : { service_requests: records };
        const keys = Math.max(...records.map((r) => Object.keys(r).length), ...records.map((r) => ('properties' in r ? Object.keys((r as { properties: object }).properties).length : 0)));
        const size = Math.max(...records.map((r) => Buffer.byteLength(JSON.stringify(r)) - ('geometry' in r ? Buffer.byteLength(JSON.stringify((r as { geometry: unknown }).geometry)) : 0)));
        const positions = Math.max(0, ...records.map((r) => ('geometry' in r ? (r as { geometry: { coordinates: unknown[][] } }).geometry.coordinates[0]!.length : 0)));
        // A FeatureCollection's own two keys count against the limit too, and its "FeatureCollection"
        // (17 bytes) against the longest string.
        const exact = { maxRecords: records.length, maxFields: Math.max(2, keys), maxRecordBytes: Math.max(17, size), maxPositions: Math.max(1, positions) };
        expect(scan(body, exact)).toBeNull();
        if (records.length > 1) expect(scan(body, { ...exact, maxRecords: records.length - 1 })?.message).toContain('INTAKE_MAX_RECORDS');
        if (keys > 2) expect(scan(body, { ...exact, maxFields: keys - 1 })?.message).toContain('INTAKE_MAX_FIELDS');
        if (size > 17) expect(scan(body, { ...exact, maxRecordBytes: size - 1 })?.message).toContain('INTAKE_MAX_RECORD_KB');
        if (positions > 1) expect(scan(body, { ...exact, maxPositions: positions - 1 })?.message).toContain('INTAKE_MAX_POSITIONS');
      }),
      { numRuns: 300, seed: 2026 },
    );
  });
});
