import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import { compareVersions } from '../domain/incidents/draft.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';
import { open311Draft, parseOpen311Incidents } from './open311.ts';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const OPTIONS: IngestOptions = { nowMs: NOW };
const REQUEST = { service_request_id: 'R-1', service_name: '噪音扰民', lat: 30.27, long: 120.15 };

function batch(body: unknown, options: IngestOptions = OPTIONS): ParsedBatch {
  const out = parseOpen311Incidents(body, options);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
function fatal(body: unknown): ErrorDetail[] {
  const out = parseOpen311Incidents(body, OPTIONS);
  if (!Array.isArray(out)) throw new Error(`expected a whole-payload error, got ${JSON.stringify(out)}`);
  return out;
}
const first = (body: unknown, options?: IngestOptions) => batch(body, options).drafts[0]?.draft;

describe('parseOpen311Incidents: shapes', () => {
  it('reads one object as a single record', () => {
    const b = batch(REQUEST);
    expect(b.shape).toBe('single');
    expect(b.drafts).toHaveLength(1);
  });

  it('reads an array and a {service_requests} wrapper as batches', () => {
    expect(batch([REQUEST, REQUEST]).drafts).toHaveLength(2);
    expect(batch({ service_requests: [REQUEST] }).shape).toBe('batch');
  });

  it.each([
    ['null', null, ''], ['a number', 42, ''], ['a string', 'x', ''], ['an empty array', [], ''],
    ['service_requests not an array', { service_requests: {} }, 'service_requests'], ['an empty wrapper', { service_requests: [] }, ''],
  ])('refuses %s as a whole', (_, body, path) => {
    expect(fatal(body)[0]?.path).toBe(path);
  });

  it('fails a non-object record alone', () => {
    const b = batch([REQUEST, 7]);
    expect(b.errors).toEqual([{ index: 1, details: [{ path: '', message: 'each service request must be a JSON object (got 7)' }] }]);
  });
});

describe('parseOpen311Incidents: fields', () => {
  it('maps a full GeoReport v2 request', () => {
    const body = {
      service_request_id: 638344, status: 'open', status_notes: null, service_name: 'Pothole', service_code: '006',
      description: 'deep', agency_responsible: '城管局', service_notice: '', requested_datetime: '2026-11-22T08:00:00+08:00',
      updated_datetime: '2026-11-22T09:00:00+08:00', expected_datetime: null, address: '解放路', address_id: 545483,
      zipcode: '310000', lat: '30.25', long: '120.17', media_url: 'https://m.example/1.jpg',
    };
    expect(first(body)).toEqual({
      source: 'open311', externalId: '638344', category: 'hotline', severity: 'unknown',
      geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAtMs: Date.parse('2026-11-22T00:00:00Z'),
      title: 'Pothole', description: 'deep', reporter: null,
      attributes: {
        service_code: '006', open311Status: 'open', updated_datetime: '2026-11-22T09:00:00+08:00', address: '解放路',
        address_id: '545483', zipcode: '310000', agency_responsible: '城管局', media_url: 'https://m.example/1.jpg',
      },
      // 09:00 at +08:00 is 01:00 UTC; open ranks 0.
      version: [Date.UTC(2026, 10, 22, 1, 0, 0), 0],
      sourceStatus: 'open',
    });
  });

  it.each([
    [30.27, 120.15], ['30.27', '120.15'], [' 30.27 ', '+120.15'],
  ])('reads lat/long given as %j / %j', (lat, long) => {
    expect(first({ ...REQUEST, lat, long })?.geometry?.coordinates).toEqual([120.15, 30.27]);
  });

  it('refuses a request it cannot place, naming lat and long', () => {
    const { lat: _lat, long: _long, ...noLocation } = REQUEST;
    expect(batch(noLocation).errors[0]?.details.map((d) => d.path)).toEqual(['lat', 'long']);
    expect(batch({ ...REQUEST, long: null }).errors[0]?.details.map((d) => d.path)).toEqual(['long']);
  });

  it.each([
    ['lat', 'NaN'], ['lat', '1e3'], ['lat', 91], ['long', -180.5], ['long', true], ['lat', [30]], ['lat', Number.POSITIVE_INFINITY],
  ])('refuses %s = %j', (key, value) => {
    expect(batch({ ...REQUEST, [key]: value }).errors[0]?.details[0]?.path).toBe(key);
  });

  it('keeps the reporter as {name, phone} and never the e-mail address', () => {
    const d = first({ ...REQUEST, first_name: 'Jane', last_name: 'Doe', phone: '555-0100', email: 'jane@example.com' });
    expect(d?.reporter).toEqual({ name: 'Jane Doe', phone: '555-0100' });
    expect(JSON.stringify(d)).not.toContain('jane@example.com');
    expect(first({ ...REQUEST, first_name: '张', last_name: '三' })?.reporter).toEqual({ name: '张三' });
  });

  it('leaves the e-mail address out of the content hash of a request without id', () => {
    const { service_request_id: _id, ...noId } = REQUEST;
    const a = first({ ...noId, email: 'a@example.com' })?.externalId;
    expect(a).toMatch(/^sha256:/);
    expect(first({ ...noId, email: 'b@example.com' })?.externalId).toBe(a);
    expect(first({ ...noId, description: 'other' })?.externalId).not.toBe(a);
  });

  it('ignores unknown extension fields (they may hold personal data)', () => {
    expect(first({ ...REQUEST, device_id: 'D-1', account_id: 'A-9', extended_attributes: { x: 1 } })?.attributes).toEqual({});
  });

  it('uses ?source= when given, else "open311"', () => {
    expect(first(REQUEST, { ...OPTIONS, defaultSource: 'hz-12345' })?.source).toBe('hz-12345');
    expect(first(REQUEST)?.source).toBe('open311');
  });

  it('occurs at requested_datetime, else at the time of receipt; refuses a time without zone', () => {
    expect(first(REQUEST)?.occurredAtMs).toBe(NOW);
    expect(batch({ ...REQUEST, requested_datetime: '2026-11-22 08:00' }).errors[0]?.details).toEqual([
      { path: 'requested_datetime', message: '"2026-11-22 08:00" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00' },
    ]);
  });

  it('reports every wrongly typed field of a request', () => {
    const b = batch({ ...REQUEST, description: { text: 'x' }, service_name: ['a'], phone: false });
    expect(b.errors[0]?.details.map((d) => d.path).sort()).toEqual(['description', 'phone', 'service_name']);
  });
});

describe('parseOpen311Incidents: status and version', () => {
  const HOUR = 3_600_000;
  const T = Date.UTC(2026, 10, 22, 1, 0, 0); // 2026-11-22T09:00:00+08:00
  const version = (fields: Record<string, unknown>) => first({ ...REQUEST, ...fields })?.version;

  it.each([
    ['closed', 'closed'], ['Closed', 'closed'], ['CLOSED', 'closed'], ['open', 'open'], ['Open', 'open'],
  ])('reads status %j as %s, keeping the word as sent', (status, sourceStatus) => {
    const d = first({ ...REQUEST, status });
    expect(d?.sourceStatus).toBe(sourceStatus);
    expect(d?.attributes.open311Status).toBe(status);
  });

  it('treats a status GeoReport v2 does not define as open, and keeps it as an attribute', () => {
    const d = first({ ...REQUEST, status: 'in_progress' });
    expect(d?.sourceStatus).toBe('open');
    expect(d?.attributes.open311Status).toBe('in_progress');
    expect(d?.version).toEqual([null, 0]);
  });

  it('says nothing of the status when the request gives none', () => {
    expect(first(REQUEST)).not.toHaveProperty('sourceStatus');
    expect(version({})).toEqual([null, 0]);
  });

  it('versions a request by updated_datetime, then by status (closed above open)', () => {
    expect(version({ status: 'open', updated_datetime: '2026-11-22T09:00:00+08:00' })).toEqual([T, 0]);
    expect(version({ status: 'closed', updated_datetime: '2026-11-22T01:00:00Z' })).toEqual([T, 1]);
    expect(version({ status: 'closed' })).toEqual([null, 1]);
  });

  it('orders the copies of one request as a feed re-sends them', () => {
    const undatedOpen = version({ status: 'open' })!;
    const undatedClosed = version({ status: 'closed' })!;
    // Without updated_datetime: open then closed is a change; closed then open is a stale copy.
    expect(compareVersions(undatedClosed, undatedOpen)).toBeGreaterThan(0);
    expect(compareVersions(undatedOpen, undatedClosed)).toBeLessThan(0);
    expect(compareVersions(undatedOpen, version({ status: 'open' })!)).toBe(0);
    // A dated copy is newer than any undated one, whatever the statuses.
    const openAt = (h: number) => version({ status: 'open', updated_datetime: new Date(T + h * HOUR).toISOString() })!;
    const closedAt = (h: number) => version({ status: 'closed', updated_datetime: new Date(T + h * HOUR).toISOString() })!;
    expect(compareVersions(openAt(0), undatedClosed)).toBeGreaterThan(0);
    // A later updated_datetime wins: closed after open, and reopened after closed.
    expect(compareVersions(closedAt(1), openAt(0))).toBeGreaterThan(0);
    expect(compareVersions(openAt(2), closedAt(1))).toBeGreaterThan(0);
    expect(compareVersions(openAt(0), closedAt(1))).toBeLessThan(0);
    // Closed at the same minute as an open copy: the closed one is the later state.
    expect(compareVersions(closedAt(1), openAt(1))).toBeGreaterThan(0);
  });

  it('reports a status or updated_datetime that is not text once, though both are read twice', () => {
    expect(batch({ ...REQUEST, status: ['open'], updated_datetime: { at: 1 } }).errors[0]?.details.map((d) => d.path)).toEqual(['updated_datetime', 'status']);
  });

  it('refuses an updated_datetime without a zone: it orders the copies, so it must be readable', () => {
    expect(batch({ ...REQUEST, updated_datetime: '2026-11-22 09:00' }).errors[0]?.details).toEqual([
      { path: 'updated_datetime', message: '"2026-11-22 09:00" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00' },
    ]);
  });
});

describe('parseOpen311Incidents: the 0,0 placeholder', () => {
  it.each([
    [0, 0], ['0', '0'], ['0.0', '-0.000'], [-0, 0],
  ])('refuses lat %j, long %j, naming both fields and why', (lat, long) => {
    const details = batch({ ...REQUEST, lat, long }).errors[0]?.details ?? [];
    expect(details.map((d) => d.path)).toEqual(['lat', 'long']);
    expect(details[0]?.message).toContain('0,0 is the placeholder for a request that was not geocoded');
  });

  it.each([
    [0, 120.15], [30.27, 0],
  ])('places a request on the equator or the prime meridian (%j, %j)', (lat, long) => {
    expect(first({ ...REQUEST, lat, long })?.geometry?.coordinates).toEqual([long, lat]);
  });
});

describe('open311Draft', () => {
  it('converts a record of texts, as read from XML, like the same request in JSON', () => {
    const json = { service_request_id: 638344, status: 'closed', lat: 37.762221815, long: -122.4651145, address_id: 545483, updated_datetime: '2010-04-14T06:37:38-08:00' };
    const texts = { service_request_id: '638344', status: 'closed', lat: '37.762221815', long: '-122.4651145', address_id: '545483', updated_datetime: '2010-04-14T06:37:38-08:00' };
    expect(open311Draft(texts, OPTIONS)).toEqual(open311Draft(json, OPTIONS));
    expect(open311Draft(texts, OPTIONS)).toMatchObject({ externalId: '638344', sourceStatus: 'closed', version: [Date.UTC(2010, 3, 14, 14, 37, 38), 1] });
  });
});

describe('parseOpen311Incidents: fixtures/open311', () => {
  const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/open311/${name}`, import.meta.url), 'utf8'));
  /** Whether each copy of a sequence is newer than the newest before it, as the store would judge. */
  function newer(name: string): boolean[] {
    const versions = batch(fixture(name)).drafts.map((d) => d.draft.version ?? []);
    let newest: (number | null)[] | undefined;
    return versions.map((v) => {
      const isNewer = newest === undefined || compareVersions(v, newest) > 0;
      if (isNewer) newest = v;
      return isNewer;
    });
  }

  it('closed.json: a Closed request closes, versioned by its updated_datetime', () => {
    expect(first(fixture('closed.json'))).toMatchObject({
      externalId: '12345-2026-112300007',
      sourceStatus: 'closed',
      // 10:00 at +08:00 is 02:00 UTC.
      version: [Date.UTC(2026, 10, 23, 2), 1],
      attributes: { open311Status: 'Closed', status_notes: '已清运' },
    });
  });

  it('sequence-undated.json: open, closed (an update), open again (stale: closing is the later state)', () => {
    expect(newer('sequence-undated.json')).toEqual([true, true, false]);
  });

  it('sequence-dated.json: open, closed, reopened later (an update), the closed copy re-sent (stale)', () => {
    expect(newer('sequence-dated.json')).toEqual([true, true, true, false]);
    expect(batch(fixture('sequence-dated.json')).drafts.map((d) => d.draft.sourceStatus)).toEqual(['open', 'closed', 'open', 'closed']);
  });

  it('zero-zero.json: refuses 0,0 as numbers and as texts, keeps a request on the equator', () => {
    const b = batch(fixture('zero-zero.json'));
    expect(b.errors.map((e) => [e.index, e.details.map((d) => d.path)])).toEqual([[0, ['lat', 'long']], [1, ['lat', 'long']]]);
    expect(b.drafts.map((d) => [d.index, d.draft.externalId, d.draft.geometry?.coordinates])).toEqual([[2, 'Z-3', [9.45, 0]]]);
  });
});
