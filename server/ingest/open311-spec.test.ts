/**
 * The GeoReport v2 specification's own example responses to GET Service Requests (XML and JSON,
 * kept verbatim in fixtures/open311/; see the README there for where they come from). Both forms
 * must read as the same two incidents; every expected value below is read off the example by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { IncidentDraft } from '../domain/incidents/draft.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';
import { DEFAULT_INTAKE_LIMITS } from './limits.ts';
import { parseOpen311Incidents } from './open311.ts';
import { parseOpen311XmlIncidents } from './open311-xml.ts';
import { parseIntakeBody, type IntakeFormat } from './parse-body.ts';

const OPTIONS: IngestOptions = { nowMs: Date.parse('2026-11-23T00:00:00Z') };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/open311/${name}`, import.meta.url), 'utf8');
const XML = fixture('spec-requests.xml');
const JSON_TEXT = fixture('spec-requests.json');

/**
 * The JSON example writes `"service_code":006`, and a number with a leading zero is not JSON
 * (RFC 8259 §6). The XML example, GeoReport's required format which the JSON one mirrors, has the
 * text "006"; quoting it is the one change that makes the JSON example readable.
 */
const JSON_REPAIRED = JSON_TEXT.replaceAll('"service_code":006,', '"service_code":"006",');

function asBatch(out: ParsedBatch | unknown[]): ParsedBatch {
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
const drafts = (b: ParsedBatch): IncidentDraft[] => b.drafts.map((d) => d.draft);

// 06:37:38 at -08:00 is 14:37:38 UTC the same day.
const APRIL_14 = Date.UTC(2010, 3, 14, 14, 37, 38);
const APRIL_19 = Date.UTC(2010, 3, 19, 14, 37, 38);
const PLACE: IncidentDraft['geometry'] = { type: 'Point', coordinates: [-122.4651145, 37.762221815] };
const EXPECTED: IncidentDraft[] = [
  {
    source: 'open311', externalId: '638344', category: 'hotline', severity: 'unknown', geometry: PLACE,
    occurredAtMs: APRIL_14, title: 'Sidewalk and Curb Issues', description: '', reporter: null,
    attributes: {
      service_code: '006', open311Status: 'closed', status_notes: 'Duplicate request.', updated_datetime: '2010-04-14T06:37:38-08:00',
      expected_datetime: '2010-04-15T06:37:38-08:00', address: '8TH AVE and JUDAH ST', address_id: '545483', zipcode: '94122',
      // The example's URL ends in a space, in both forms; texts are trimmed.
      media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg',
    },
    version: [APRIL_14, 1],
    sourceStatus: 'closed',
  },
  {
    source: 'open311', externalId: '638349', category: 'hotline', severity: 'unknown', geometry: PLACE,
    occurredAtMs: APRIL_19, title: 'Sidewalk and Curb Issues', description: '', reporter: null,
    attributes: {
      service_code: '006', open311Status: 'open', updated_datetime: '2010-04-19T06:37:38-08:00',
      expected_datetime: '2010-04-19T06:37:38-08:00', address: '8TH AVE and JUDAH ST', address_id: '545483', zipcode: '94122',
      media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638349.jpg',
    },
    version: [APRIL_19, 0],
    sourceStatus: 'open',
  },
];

describe('the GeoReport v2 example responses', () => {
  it('reads the XML example as two requests, the first closed', () => {
    const b = asBatch(parseOpen311XmlIncidents(XML, OPTIONS));
    expect(b.shape).toBe('batch');
    expect(b.errors).toEqual([]);
    expect(drafts(b)).toEqual(EXPECTED);
  });

  it('finds the JSON example is not JSON as written, and reads it as the XML once "006" is quoted', () => {
    expect(() => JSON.parse(JSON_TEXT)).toThrow(SyntaxError);
    expect(JSON_REPAIRED).not.toBe(JSON_TEXT);
    const b = asBatch(parseOpen311Incidents(JSON.parse(JSON_REPAIRED), OPTIONS));
    expect(b.errors).toEqual([]);
    expect(drafts(b)).toEqual(EXPECTED);
  });

  it('gives the same drafts through the parse worker code, the XML read in the encoding its declaration names', () => {
    const job = (format: IntakeFormat, text: string) =>
      parseIntakeBody({ format, body: new TextEncoder().encode(text), charset: 'utf-8', charsetGiven: false, limits: DEFAULT_INTAKE_LIMITS, options: OPTIONS, hashSource: null });
    const fromXml = job('open311-xml', XML);
    const fromJson = job('open311', JSON_REPAIRED);
    expect(fromXml.type === 'parsed' && drafts(asBatch(fromXml.parsed))).toEqual(EXPECTED);
    expect(fromJson.type === 'parsed' && drafts(asBatch(fromJson.parsed))).toEqual(EXPECTED);
    // As published, the JSON example is refused as JSON, the way any client's leading zero would be.
    expect(job('open311', JSON_TEXT)).toMatchObject({ type: 'refused', code: 'invalid_json' });
  });
});
