import { describe, expect, it } from 'vitest';
import { parseCsvIncidents } from './csv.ts';
import { chooseFormat, formatEntry, INTAKE_CONTENT_TYPES, INTAKE_FORMATS, INTAKE_QUERY_FLAGS, parseText, type IntakeFormat } from './formats.ts';

/** A Content-Type match as the route makes it, written plainly: exact, or the one `+json` wildcard. */
const matcher = (contentType: string) => (types: readonly string[]) =>
  types.some((t) => t === contentType || (t === 'application/*+json' && /^application\/[a-z0-9.-]+\+json$/.test(contentType)));

const OPTIONS = { nowMs: Date.parse('2026-11-23T00:00:00Z') };

describe('intake formats', () => {
  it('has exactly one entry for each format', () => {
    const formats: IntakeFormat[] = ['json', 'open311', 'open311-xml', 'csv', 'cap'];
    expect(INTAKE_FORMATS.map((f) => f.format).sort()).toEqual([...formats].sort());
    for (const f of formats) expect(formatEntry(f).format).toBe(f);
  });

  // What docs/api.md promises a sender, written out by hand.
  it.each([
    [undefined, 'application/json', 'json'],
    [undefined, 'application/geo+json', 'json'],
    [undefined, 'application/vnd.usgs+json', 'json'],
    [undefined, 'text/csv', 'csv'],
    [undefined, 'application/csv', 'csv'],
    [undefined, 'application/cap+xml', 'cap'],
    [undefined, 'application/xml', 'cap'],
    [undefined, 'text/xml', 'cap'],
    ['open311', 'application/json', 'open311'],
    ['open311', 'application/xml', 'open311-xml'],
    ['open311', 'text/xml', 'open311-xml'],
    ['open311', 'application/cap+xml', undefined],
    ['open311', 'text/csv', undefined],
    [undefined, 'text/plain', undefined],
    ['geojson', 'application/json', undefined],
  ] as const)('?format=%s with %s is %s', (flag, contentType, expected) => {
    expect(chooseFormat(flag, matcher(contentType))?.format).toBe(expected);
  });

  it('takes the content types and the one format flag the route announces', () => {
    expect([...INTAKE_CONTENT_TYPES].sort()).toEqual(['application/*+json', 'application/cap+xml', 'application/csv', 'application/geo+json', 'application/json', 'application/xml', 'text/csv', 'text/xml']);
    expect(INTAKE_QUERY_FLAGS).toEqual(['open311']);
  });

  it('parses a text document by its format: JSON ones as JSON first', () => {
    const csv = 'lat,lon,category\n30.25,120.15,fire\n';
    expect(parseText(formatEntry('csv'), csv, OPTIONS)).toEqual(parseCsvIncidents(csv, OPTIONS));
    expect(() => parseText(formatEntry('json'), csv, OPTIONS)).toThrow(SyntaxError);
    const single = parseText(formatEntry('json'), JSON.stringify({ lat: 30.25, lon: 120.15, category: 'fire' }), OPTIONS);
    expect(Array.isArray(single) ? single : single.drafts.map((d) => d.draft.geometry)).toEqual([{ type: 'Point', coordinates: [120.15, 30.25] }]);
  });
});
