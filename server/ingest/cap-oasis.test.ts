/**
 * The CAP adapter on alerts written by others: the four examples of the CAP 1.2 specification
 * (Appendix A) and a bilingual Environment Canada alert, kept unchanged in `fixtures/cap/` (see
 * its README for sources and licences). Every expected value below is read off the XML by hand.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../domain/incidents/draft.ts';
import { parseCapIncidents } from './cap.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';

const OPTIONS: IngestOptions = { nowMs: Date.parse('2026-11-23T00:00:00Z') };
const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`./fixtures/cap/${name}`, import.meta.url)), 'utf8');

function batch(xml: string): ParsedBatch {
  const out = parseCapIncidents(xml, OPTIONS);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}

/** Replaces `from` in `text`, failing loudly if it is not there, so a derived alert is what it says. */
function edit(text: string, from: string | RegExp, to: string): string {
  if (typeof from === 'string' ? !text.includes(from) : !from.test(text)) throw new Error(`"${String(from)}" is not in the text`);
  return text.replace(from, to);
}

describe('OASIS CAP 1.2 Appendix A', () => {
  it('A.1 Homeland Security Advisory: its area is named only in words, so it is one failed record', () => {
    // <area><areaDesc>U.S. nationwide and interests worldwide</areaDesc></area>: no polygon, circle or geocode.
    expect(batch(fixture('oasis-a1-hsas-advisory.xml'))).toEqual({
      shape: 'single',
      drafts: [],
      errors: [{ index: 0, details: [{ path: 'alert/info[1]/area[1]', message: 'this area has no <polygon>, <circle> or <geocode>, so it cannot be placed on the map' }] }],
    });
  });

  it('A.2 Severe Thunderstorm Warning: one live incident on its polygon, lat,lon turned to lon,lat', () => {
    const b = batch(fixture('oasis-a2-severe-thunderstorm.xml'));
    expect(b.errors).toEqual([]);
    expect(b.shape).toBe('single');
    // sent 2003-06-17T14:57:00-07:00 is 21:57 UTC; no onset or effective, so it also occurred then.
    const sentMs = Date.parse('2003-06-17T21:57:00Z');
    expect(b.drafts).toEqual([{
      index: 0,
      draft: {
        source: 'KSTO@NWS.NOAA.GOV',
        externalId: 'KSTO1055887203',
        category: 'other', // Met, and "SEVERE THUNDERSTORM" names no flood, rain or typhoon
        severity: 'severe',
        occurredAtMs: sentMs,
        title: 'SEVERE THUNDERSTORM WARNING',
        description: 'AT 254 PM PDT...NATIONAL WEATHER SERVICE DOPPLER RADAR INDICATED A SEVERE THUNDERSTORM OVER SOUTH CENTRAL ALPINE COUNTY...OR ABOUT 18 MILES SOUTHEAST OF KIRKWOOD...MOVING SOUTHWEST AT 5 MPH. HAIL...INTENSE RAIN AND STRONG DAMAGING WINDS ARE LIKELY WITH THIS STORM.',
        reporter: null,
        geometry: { type: 'Polygon', coordinates: [[[-120.14, 38.47], [-119.95, 38.34], [-119.74, 38.52], [-119.89, 38.62], [-120.14, 38.47]]] },
        attributes: {
          urgency: 'Immediate',
          certainty: 'Observed',
          event: 'SEVERE THUNDERSTORM',
          msgType: 'Alert',
          status: 'Actual',
          areaDesc: 'EXTREME NORTH CENTRAL TUOLUMNE COUNTY IN CALIFORNIA, EXTREME NORTHEASTERN CALAVERAS COUNTY IN CALIFORNIA, SOUTHWESTERN ALPINE COUNTY IN CALIFORNIA',
        },
        version: [sentMs, 0],
        aliases: ['KSTO1055887203#*', 'KSTO1055887203#1.1'],
      },
    }]);
  });

  it('A.4 AMBER Alert in English and Spanish: one incident with both texts, placed by its SAME geocode', () => {
    const b = batch(fixture('oasis-a4-amber-two-languages.xml'));
    expect(b.errors).toEqual([]);
    expect(b.shape).toBe('single');
    expect(b.drafts).toHaveLength(1);
    const d = b.drafts[0]?.draft;
    expect(d?.externalId).toBe('KAR0-0306112239-SW');
    expect(d?.source).toBe('KARO@CLETS.DOJ.CA.GOV');
    expect(d?.attributes.status).toBe('Actual');
    expect(d?.drill).toBeUndefined();
    expect(d?.category).toBe('other'); // Rescue
    expect(d?.severity).toBe('severe');
    expect(d?.title).toBe('Amber Alert in Los Angeles County');
    expect(d?.attributes.language).toBe('en-US');
    expect(d?.geometry).toBeNull();
    expect(d?.geocodes).toEqual([{ valueName: 'SAME', value: '006037' }]);
    expect(d?.placePath).toBe('alert/info[1]/area[1]');
    const texts = d?.attributes.texts as { language: string; title: string; description: string; areaDesc: string }[];
    expect(texts.map(({ language, title, areaDesc }) => ({ language, title, areaDesc }))).toEqual([
      { language: 'en-US', title: 'Amber Alert in Los Angeles County', areaDesc: 'Los Angeles County' },
      { language: 'es-US', title: 'Alerta Amber en el condado de Los Ángeles', areaDesc: 'condado de Los Ángeles' },
    ]);
    expect(texts[0]?.description).toMatch(/^DATE\/TIME: 06\/11\/03, 1915 HRS\. {2}VICTIM\(S\): KHAYRI DOE JR\./);
    expect(texts[1]?.description).toMatch(/^DATE\/TIME: 06\/11\/03, 1915 HORAS\. VÍCTIMAS: KHAYRI DOE JR\./);
    // sent 2003-06-11T22:39:00-07:00 is 2003-06-12T05:39 UTC.
    expect(d?.version).toEqual([Date.parse('2003-06-12T05:39:00Z'), 0]);
  });
});

describe('OASIS A.3 and the earthquake it updates', () => {
  const update = fixture('oasis-a3-earthquake-update.xml');
  // The original that A.3 references (trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00),
  // rebuilt from A.3 itself: its own identifier and sent time, an Alert, referencing nothing.
  const original = edit(edit(edit(edit(update,
    '<identifier>TRI13970876.2</identifier>', '<identifier>TRI13970876.1</identifier>'),
    '<sent>2003-06-11T20:56:00-07:00</sent>', '<sent>2003-06-11T20:30:00-07:00</sent>'),
    '<msgType>Update</msgType>', '<msgType>Alert</msgType>'),
    /\s*<references>[^<]*<\/references>/, '');
  // The sender then withdraws the event: a Cancel naming both earlier messages.
  const cancelReferences = '<references>trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00 trinet@caltech.edu,TRI13970876.2,2003-06-11T20:56:00-07:00</references>';
  const cancel = (sent: string) => edit(edit(edit(edit(update,
    '<identifier>TRI13970876.2</identifier>', '<identifier>TRI13970876.3</identifier>'),
    '<sent>2003-06-11T20:56:00-07:00</sent>', `<sent>${sent}</sent>`),
    '<msgType>Update</msgType>', '<msgType>Cancel</msgType>'),
    /<references>[^<]*<\/references>/, cancelReferences);
  const withoutInfo = (xml: string) => edit(xml, /\s*<info>[\s\S]*<\/info>/, '');

  const updateMs = Date.parse('2003-06-12T03:56:00Z'); // 20:56 PDT
  const originalMs = Date.parse('2003-06-12T03:30:00Z'); // 20:30 PDT
  const only = (xml: string) => {
    const b = batch(xml);
    expect(b.errors).toEqual([]);
    expect(b.drafts).toHaveLength(1);
    return b.drafts[0]?.draft;
  };

  it('A.3 is an Update of TRI13970876.1: it refers to that alert and its first incident', () => {
    const d = only(update);
    expect(d?.externalId).toBe('TRI13970876.2');
    expect(d?.source).toBe('trinet@caltech.edu');
    expect(d?.refers).toEqual(['TRI13970876.1#1.1', 'TRI13970876.1']);
    expect(d?.aliases).toEqual(['TRI13970876.2#*', 'TRI13970876.2#1.1']);
    expect(d?.version).toEqual([updateMs, 1]);
    expect(d?.sourceStatus).toBeUndefined();
    expect(d?.drill).toBeUndefined();
    expect(d?.category).toBe('earthquake');
    expect(d?.severity).toBe('minor');
    expect(d?.title).toBe('EQ 3.4 Imperial County CA');
    // <circle>32.9525,-115.5527 0</circle>: a point, as CAP allows with radius 0.
    expect(d?.geometry).toEqual({ type: 'Point', coordinates: [-115.5527, 32.9525] });
    expect(d?.attributes.radiusKm).toBe(0);
    expect(d?.attributes.references).toEqual(['trinet@caltech.edu,TRI13970876.1,2003-06-11T20:30:00-07:00']);
  });

  it('the original Alert is older than A.3, and A.3 names it by its id', () => {
    const o = only(original);
    expect(o?.externalId).toBe('TRI13970876.1');
    expect(o?.refers).toBeUndefined();
    expect(o?.aliases).toEqual(['TRI13970876.1#*', 'TRI13970876.1#1.1']);
    expect(o?.version).toEqual([originalMs, 0]);
    const u = only(update);
    expect(u?.refers).toContain(o?.externalId);
    expect(compareVersions(u?.version ?? [], o?.version ?? [])).toBeGreaterThan(0);
  });

  it('a Cancel with <info> ends the incident, newer than both, naming both alerts', () => {
    const c = only(cancel('2003-06-11T21:10:00-07:00'));
    expect(c?.externalId).toBe('TRI13970876.3');
    expect(c?.sourceStatus).toBe('cancelled');
    expect(c?.refers).toEqual(['TRI13970876.1#1.1', 'TRI13970876.1', 'TRI13970876.2#1.1', 'TRI13970876.2']);
    expect(c?.version).toEqual([Date.parse('2003-06-12T04:10:00Z'), 2]);
    expect(compareVersions(c?.version ?? [], only(update)?.version ?? [])).toBeGreaterThan(0);
    expect(compareVersions(c?.version ?? [], only(original)?.version ?? [])).toBeGreaterThan(0);
  });

  it('a Cancel sent in the same second as the Update still wins', () => {
    const c = only(cancel('2003-06-11T20:56:00-07:00'));
    expect(c?.version).toEqual([updateMs, 2]);
    expect(compareVersions(c?.version ?? [], only(update)?.version ?? [])).toBeGreaterThan(0);
  });

  it('a Cancel without <info> is one cancel notice naming every incident of both alerts', () => {
    expect(batch(withoutInfo(cancel('2003-06-11T21:10:00-07:00')))).toEqual({
      shape: 'single',
      drafts: [],
      errors: [],
      notices: [{
        index: 0,
        kind: 'cancel',
        source: 'trinet@caltech.edu',
        externalId: 'TRI13970876.3',
        refers: ['TRI13970876.1', 'TRI13970876.1#*', 'TRI13970876.2', 'TRI13970876.2#*'],
        version: [Date.parse('2003-06-12T04:10:00Z'), 2],
        note: '',
      }],
    });
  });
});

describe('Environment Canada: a bilingual Update of three areas', () => {
  const b = batch(fixture('eccc-2019-10-20-special-weather-statement.xml'));
  const R = 'urn:oid:2.49.0.1.124.4119129247.2019';

  it('makes one incident per area, not per language, each with the English and French texts', () => {
    expect(b.errors).toEqual([]);
    expect(b.drafts.map((d) => [d.index, d.draft.externalId, d.draft.attributes.areaDesc, (d.draft.attributes.texts as { language: string; areaDesc: string }[]).map((t) => `${t.language}: ${t.areaDesc}`)])).toEqual([
      [0, 'urn:oid:2.49.0.1.124.1576205950.2019#1.1', 'City of Thunder Bay', ['en-CA: City of Thunder Bay', 'fr-CA: ville de Thunder Bay']],
      [1, 'urn:oid:2.49.0.1.124.1576205950.2019#1.2', 'Cloud Bay - Dorion', ['en-CA: Cloud Bay - Dorion', 'fr-CA: Cloud Bay - Dorion']],
      [2, 'urn:oid:2.49.0.1.124.1576205950.2019#1.3', 'Kakabeka Falls - Whitefish Lake - Arrow Lake', ['en-CA: Kakabeka Falls - Whitefish Lake - Arrow Lake', 'fr-CA: Kakabeka Falls - lac Whitefish - lac Arrow']],
    ]);
    const texts = b.drafts[0]?.draft.attributes.texts as { title: string }[];
    expect(texts.map((t) => t.title)).toEqual(['special weather statement in effect', 'bulletin météorologique spécial en vigueur']);
  });

  it('refers each area to the same area of the alert it updates', () => {
    expect(b.drafts.map((d) => d.draft.refers)).toEqual([[`${R}#1.1`, R], [`${R}#1.2`], [`${R}#1.3`]]);
    expect(b.drafts.every((d) => d.draft.source === 'cap-pac@canada.ca')).toBe(true);
    expect(b.drafts.every((d) => compareVersions(d.draft.version ?? [], [Date.parse('2019-10-20T19:56:43Z'), 1]) === 0)).toBe(true);
  });

  it('reads a polygon wrapped over several lines as one closed ring', () => {
    const g = b.drafts[0]?.draft.geometry;
    const ring = g?.type === 'Polygon' ? (g.coordinates[0] ?? []) : [];
    // 19 "lat,lon" pairs over five lines, the first repeated last.
    expect(ring).toHaveLength(19);
    expect(ring[0]).toEqual([-89.0388, 48.5448]);
    expect(ring[1]).toEqual([-89.0231, 48.5001]);
    expect(ring[18]).toEqual(ring[0]);
  });
});
