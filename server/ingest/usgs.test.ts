/**
 * USGS GeoJSON summary feeds, as USGS served them (fixtures/usgs/, see its README): severity from
 * the PAGER alert or else the magnitude, the version from `updated`, a deleted event withdrawn.
 * Expected values were read off the feed text by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Severity } from '../contract/incidents.ts';
import { compareVersions, severityFromPager, type IncidentDraft } from '../domain/incidents/draft.ts';
import { parseJsonIncidents, type IngestOptions, type ParsedBatch } from './json.ts';

const OPTIONS: IngestOptions = { nowMs: Date.UTC(2026, 10, 23) };

interface Feed {
  type: 'FeatureCollection';
  features: { id: string; properties: Record<string, unknown> }[];
}
const read = (name: string): Feed => JSON.parse(readFileSync(new URL(`./fixtures/usgs/${name}`, import.meta.url), 'utf8')) as Feed;
const MONTH = read('significant_month-2023-10-11.geojson');
const HOUR = read('all_hour-2017-12-03.geojson');

function batch(body: unknown): ParsedBatch {
  const out = parseJsonIncidents(body, OPTIONS);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
const drafts = (body: unknown): IncidentDraft[] => batch(body).drafts.map((d) => d.draft);
const byId = (list: IncidentDraft[], id: string): IncidentDraft => {
  const found = list.find((d) => d.externalId === id);
  if (found === undefined) throw new Error(`no draft ${id}`);
  return found;
};
/** One feature of a feed, deep-copied with some properties replaced: a revision USGS could send. */
function revise(feed: Feed, id: string, properties: Record<string, unknown>): unknown {
  const original = feed.features.find((f) => f.id === id);
  if (original === undefined) throw new Error(`no feature ${id}`);
  const copy = structuredClone(original);
  return { ...copy, properties: { ...copy.properties, ...properties } };
}
const one = (feature: unknown): IncidentDraft => {
  const [d] = drafts(feature);
  if (d === undefined) throw new Error(`no draft: ${JSON.stringify(batch(feature).errors)}`);
  return d;
};

describe('severityFromPager', () => {
  it.each([
    ['green', 'minor'],
    ['yellow', 'moderate'],
    ['orange', 'severe'],
    ['red', 'extreme'],
  ] as const)('%s → %s', (alert, severity) => expect(severityFromPager(alert)).toBe(severity));

  it.each([null, undefined, '', 'Green', 'pending'])('has no level for %j, so magnitude decides', (alert) => {
    expect(severityFromPager(alert)).toBeNull();
  });
});

describe('USGS significant earthquakes, past month (2023-10-11)', () => {
  const result = batch(MONTH);
  const list = result.drafts.map((d) => d.draft);

  it('imports all 18 events, none refused, with their USGS ids', () => {
    expect(result.errors).toEqual([]);
    expect(list).toHaveLength(18);
    expect(list.map((d) => d.externalId)).toEqual(MONTH.features.map((f) => f.id));
    expect(new Set(list.map((d) => d.source))).toEqual(new Set(['usgs']));
    expect(new Set(list.map((d) => d.category))).toEqual(new Set(['earthquake']));
  });

  it('takes severity from the PAGER alert where there is one', () => {
    // M6.3, red: magnitude alone would say severe.
    expect(byId(list, 'us6000len8').severity).toBe('extreme');
    // M6.3, orange.
    expect(byId(list, 'us6000ldpm').severity).toBe('severe');
    // M5.9, yellow: magnitude alone would say severe.
    expect(byId(list, 'us6000ldpv').severity).toBe('moderate');
    // M6.9, green (deep, offshore): magnitude alone would say severe.
    expect(byId(list, 'us6000ldqf').severity).toBe('minor');
  });

  it('falls back to magnitude without an alert: M5.0, no alert → moderate', () => {
    expect(byId(list, 'us6000lec2').severity).toBe('moderate');
  });

  it('counts what a reader counts in the file: 1 red, 2 orange, 4 yellow, 10 green, 1 without alert (M5.0)', () => {
    const counts: Partial<Record<Severity, number>> = {};
    for (const d of list) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
    expect(counts).toEqual({ extreme: 1, severe: 2, moderate: 4 + 1, minor: 10 });
  });

  it('versions each event by `updated` and keeps it open (status reviewed)', () => {
    const d = byId(list, 'us6000len8');
    expect(d).toMatchObject({
      version: [1697054252893],
      sourceStatus: 'open',
      occurredAtMs: 1696984916160,
      title: 'M 6.3 - western Afghanistan',
      geometry: { type: 'Point', coordinates: [62.0449, 34.5565, 9] },
    });
    expect(byId(list, 'us6000lec2').version).toEqual([1697051495499]);
  });

  it("keeps USGS's own status, alert and updated in attributes under their names", () => {
    expect(byId(list, 'us6000len8').attributes).toMatchObject({ status: 'reviewed', alert: 'red', updated: 1697054252893, mag: 6.3 });
    expect('drill' in byId(list, 'us6000len8')).toBe(false);
  });
});

describe('USGS all earthquakes, past hour (2017-12-03)', () => {
  const result = batch(HOUR);
  const list = result.drafts.map((d) => d.draft);

  it('imports all 8, automatic and reviewed alike open', () => {
    expect(result.errors).toEqual([]);
    expect(list.map((d) => d.sourceStatus)).toEqual(Array(8).fill('open'));
    expect(list.filter((d) => d.attributes.status === 'automatic')).toHaveLength(7);
  });

  it('has no alerts, so severity is by magnitude: seven below M2 minor, the M4.7 moderate', () => {
    expect(list.map((d) => d.severity)).toEqual([...Array(7).fill('minor'), 'moderate']);
    expect(byId(list, 'us1000bknk')).toMatchObject({ severity: 'moderate', version: [1512340670040] });
    expect(byId(list, 'nc72934355')).toMatchObject({ severity: 'minor', version: [1512342889220], occurredAtMs: 1512342790490 });
  });
});

describe('revisions of one USGS event', () => {
  // us6000lec2 has no PAGER alert, so its severity follows its magnitude.
  const first = one(revise(MONTH, 'us6000lec2', { mag: 6.5 }));
  const later = one(revise(MONTH, 'us6000lec2', { mag: 7.1, updated: 1697051495499 + 3_600_000 }));

  it('a later `updated` with a larger magnitude is a newer version with a higher severity', () => {
    expect([first.externalId, later.externalId]).toEqual(['us6000lec2', 'us6000lec2']);
    expect(first.severity).toBe('severe');
    expect(later.severity).toBe('extreme');
    expect(later.version).toEqual([1697055095499]);
    expect(compareVersions(later.version ?? [], first.version ?? [])).toBeGreaterThan(0);
    expect(compareVersions(first.version ?? [], later.version ?? [])).toBeLessThan(0);
  });

  it('a change without a later `updated` is the same version (a duplicate): the version is the clock, not the content', () => {
    const original = byId(drafts(MONTH), 'us6000lec2');
    const sameClock = one(revise(MONTH, 'us6000lec2', { mag: 7.1 }));
    expect(compareVersions(sameClock.version ?? [], original.version ?? [])).toBe(0);
  });

  it('a PAGER alert arriving later overrides the magnitude', () => {
    const paged = one(revise(MONTH, 'us6000lec2', { mag: 7.1, alert: 'yellow', updated: 1697051495499 + 7_200_000 }));
    expect(paged.severity).toBe('moderate');
    expect(compareVersions(paged.version ?? [], later.version ?? [])).toBeGreaterThan(0);
  });

  it('a deleted event is cancelled, keeping "deleted" as USGS said it', () => {
    const deleted = one(revise(MONTH, 'us6000len8', { status: 'deleted', updated: 1697054252893 + 60_000 }));
    expect(deleted).toMatchObject({ externalId: 'us6000len8', sourceStatus: 'cancelled', version: [1697054312893] });
    expect(deleted.attributes.status).toBe('deleted');
  });

  it('an explicit severity property wins over the alert and the magnitude', () => {
    expect(one(revise(MONTH, 'us6000len8', { severity: 'minor' })).severity).toBe('minor');
  });

  it('an event without `updated` is unversioned', () => {
    expect('version' in one(revise(MONTH, 'us6000len8', { updated: null }))).toBe(false);
  });

  it('our own version or updatedAt, when given, is used instead of `updated`', () => {
    expect(one(revise(MONTH, 'us6000len8', { version: 2 })).version).toEqual([2, null]);
  });

  it('a drill flag on a USGS event is passed on', () => {
    expect(one(revise(MONTH, 'us6000len8', { drill: true })).drill).toBe(true);
  });
});

describe('USGS events that are not in USGS words', () => {
  it.each([
    ['status', 'closed', 'a USGS event status must be automatic, reviewed or deleted'],
    ['status', 'REVIEWED', 'a USGS event status must be automatic, reviewed or deleted'],
    ['alert', 'purple', 'a PAGER alert must be green, yellow, orange or red'],
  ])('refuses %s %j, naming the property', (key, value, message) => {
    expect(batch(revise(MONTH, 'us6000len8', { [key]: value })).errors).toEqual([{ index: 0, details: [{ path: `properties.${key}`, message }] }]);
  });

  it('refuses an `updated` that is not epoch milliseconds', () => {
    expect(batch(revise(MONTH, 'us6000len8', { updated: '2023-10-11' })).errors[0]?.details.map((d) => d.path)).toEqual(['properties.updated']);
  });
});
