/**
 * The malformed-payload generator keeps its promise: no payload, of 1,000 per format, yields a
 * single draft from the pure adapter, and each is refused as a whole or record by record (so the
 * server answers 400 and stores nothing).
 */
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../../server/contract/common.ts';
import { parseCapIncidents } from '../../server/ingest/cap.ts';
import { parseCsvIncidents } from '../../server/ingest/csv.ts';
import { parseJsonIncidents, type IngestOptions, type ParsedBatch } from '../../server/ingest/json.ts';
import { parseOpen311Incidents } from '../../server/ingest/open311.ts';
import { malformedPayloads, type IntakeFormat } from './malformed-payloads.ts';

const OPTIONS: IngestOptions = { nowMs: Date.parse('2026-11-23T00:00:00Z') };
const COUNT = 1000;
const SEED = 20261123;

/** The adapter's verdict, or `unparseable` when the JSON body does not even parse. */
function adapt(format: IntakeFormat, body: string): ParsedBatch | ErrorDetail[] | 'unparseable' {
  if (format === 'csv') return parseCsvIncidents(body, OPTIONS);
  if (format === 'cap') return parseCapIncidents(body, OPTIONS);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'unparseable';
  }
  return format === 'json' ? parseJsonIncidents(parsed, OPTIONS) : parseOpen311Incidents(parsed, OPTIONS);
}

const EXPECTED = {
  json: { contentType: 'application/json', query: '' },
  csv: { contentType: 'text/csv', query: '' },
  cap: { contentType: 'application/cap+xml', query: '' },
  open311: { contentType: 'application/json', query: '?format=open311' },
} as const;

describe('malformedPayloads', () => {
  for (const format of ['json', 'csv', 'cap', 'open311'] as const) {
    it(`${format}: ${COUNT} payloads, none with a valid record`, () => {
      const payloads = malformedPayloads(format, COUNT, SEED);
      expect(payloads).toHaveLength(COUNT);
      const leaks: string[] = [];
      for (const p of payloads) {
        expect({ contentType: p.contentType, query: p.query }).toEqual(EXPECTED[format]);
        const out = adapt(format, p.body);
        if (out === 'unparseable' || Array.isArray(out)) continue;
        // Record by record: no draft, and at least one error, or the server would answer 200.
        if (out.drafts.length > 0 || out.errors.length === 0) leaks.push(`${p.why}: ${p.body.slice(0, 200)}`);
      }
      expect(leaks).toEqual([]);
      // Variety: the generator is not stuck on one kind of breakage.
      expect(new Set(payloads.map((p) => p.why.split(/[:(]/)[0])).size).toBeGreaterThanOrEqual(9);
    });
  }

  it('is deterministic for a seed and differs between seeds', () => {
    expect(malformedPayloads('csv', 50, 7)).toEqual(malformedPayloads('csv', 50, 7));
    expect(malformedPayloads('csv', 50, 7)).not.toEqual(malformedPayloads('csv', 50, 8));
  });
});
