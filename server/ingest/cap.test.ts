import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import { compareVersions } from '../domain/incidents/draft.ts';
import { parseCapIncidents } from './cap.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const OPTIONS: IngestOptions = { nowMs: NOW };
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

/** A CAP alert around the given `<info>` blocks; header elements can be replaced or dropped. */
function alert(infos: string, header = '<identifier>A-1</identifier><sender>s@example</sender><sent>2026-11-22T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="${NS}">${header}${infos}</alert>`;
}
const info = (areas: string, extra = '<category>Fire</category><event>火灾</event><severity>Severe</severity>') => `<info>${extra}${areas}</info>`;
const circleArea = (text = '30.25,120.15 2') => `<area><areaDesc>d</areaDesc><circle>${text}</circle></area>`;
const polygonArea = (text: string) => `<area><polygon>${text}</polygon></area>`;

function batch(xml: string, options: IngestOptions = OPTIONS): ParsedBatch {
  const out = parseCapIncidents(xml, options);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
function fatal(xml: string): ErrorDetail[] {
  const out = parseCapIncidents(xml, OPTIONS);
  if (!Array.isArray(out)) throw new Error(`expected a whole-payload error, got ${JSON.stringify(out)}`);
  return out;
}
const first = (xml: string, options?: IngestOptions) => batch(xml, options).drafts[0]?.draft;

describe('parseCapIncidents: geometry', () => {
  it('turns a lat-first polygon into a GeoJSON [lon, lat] ring', () => {
    expect(first(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.2,120.3 30.1,120.1'))))?.geometry).toEqual({
      type: 'Polygon', coordinates: [[[120.1, 30.1], [120.1, 30.2], [120.3, 30.2], [120.1, 30.1]]],
    });
  });

  it('closes an open ring, and refuses fewer than three corners', () => {
    expect(first(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.2,120.3'))))?.geometry).toEqual({
      type: 'Polygon', coordinates: [[[120.1, 30.1], [120.1, 30.2], [120.3, 30.2], [120.1, 30.1]]],
    });
    expect(batch(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.1,120.1')))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/polygon');
  });

  it('reads "lat, lon" with a space after the comma', () => {
    expect(first(alert(info(circleArea('30.25, 120.15 2'))))?.geometry).toEqual({ type: 'Point', coordinates: [120.15, 30.25] });
  });

  it('tells the sender that CAP writes latitude first when the polygon is lon-first', () => {
    const b = batch(alert(info(polygonArea('120.1,30.1 120.1,30.2 120.3,30.2 120.1,30.1'))));
    expect(b.errors[0]?.details[0]?.message).toMatch(/latitude 120.1, outside \[-90, 90\]; CAP writes latitude first/);
  });

  it('turns a circle into its centre with the radius in km in attributes', () => {
    const d = first(alert(info(circleArea('30.25,120.15 2.5'))));
    expect(d?.geometry).toEqual({ type: 'Point', coordinates: [120.15, 30.25] });
    expect(d?.attributes.radiusKm).toBe(2.5);
  });


  it.each(['30.25,120.15', '30.25,120.15 -1', '30.25,120.15 NaN', 'x,y 1', '30.25,200 1', `30.25,120.15 ${'9'.repeat(400)}`])('refuses the circle %j', (text) => {
    expect(batch(alert(info(circleArea(text)))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/circle');
  });

  it('refuses an area with no polygon, circle or geocode, naming the area', () => {
    expect(batch(alert(info('<area><areaDesc>x</areaDesc></area>'))).errors).toEqual([
      { index: 0, details: [{ path: 'alert/info[1]/area[1]', message: 'this area has no <polygon>, <circle> or <geocode>, so it cannot be placed on the map' }] },
    ]);
  });
});

describe('parseCapIncidents: fields', () => {
  it('one pair keeps the identifier as id and is a single record; several get #info.area', () => {
    expect(batch(alert(info(circleArea()))).shape).toBe('single');
    expect(first(alert(info(circleArea())))?.externalId).toBe('A-1');
    const many = batch(alert(info(circleArea() + circleArea()) + info(circleArea())));
    expect(many.shape).toBe('batch');
    expect(many.drafts.map((d) => [d.index, d.draft.externalId])).toEqual([[0, 'A-1#1.1'], [1, 'A-1#1.2'], [2, 'A-1#2.1']]);
  });

  it('gives a distinct, stable content id per pair when the alert has no identifier', () => {
    const xml = alert(info(circleArea('30,120 1') + circleArea('31,121 1')), '<sent>2026-11-22T08:00:00+08:00</sent>');
    const ids = batch(xml).drafts.map((d) => d.draft.externalId);
    expect(ids[0]).toMatch(/^sha256:/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(batch(xml).drafts.map((d) => d.draft.externalId)).toEqual(ids);
  });

  it('takes the source from sender, else ?source=, else "cap"', () => {
    expect(first(alert(info(circleArea())), { ...OPTIONS, defaultSource: 'q' })?.source).toBe('s@example');
    const noSender = alert(info(circleArea()), '<identifier>A-1</identifier>');
    expect(first(noSender, { ...OPTIONS, defaultSource: 'q' })?.source).toBe('q');
    expect(first(noSender)?.source).toBe('cap');
  });

  it.each([
    ['Geo', 'Earthquake', 'earthquake'], ['Geo', '地震', 'earthquake'], ['Geo', 'Landslide', 'other'],
    ['Met', 'Flood Warning', 'flood'], ['Met', 'Heavy Rain', 'flood'], ['Met', '台风', 'flood'], ['Met', 'Heat', 'other'],
    ['Safety', 'x', 'public_security'], ['Security', 'x', 'public_security'], ['Rescue', 'x', 'other'], ['Fire', 'x', 'fire'],
    ['Health', 'x', 'public_health'], ['Env', 'x', 'other'], ['Transport', 'x', 'traffic'], ['Infra', 'x', 'infrastructure'],
    ['CBRNE', 'x', 'hazmat'], ['Other', 'x', 'other'], ['cbrne', 'x', 'hazmat'],
  ])('maps CAP category %s (event %s) to %s', (category, event, expected) => {
    expect(first(alert(info(circleArea(), `<category>${category}</category><event>${event}</event>`)))?.category).toBe(expected);
  });

  it('takes the first category that maps to something specific', () => {
    expect(first(alert(info(circleArea(), '<category>Other</category><category>Fire</category>')))?.category).toBe('fire');
  });

  it.each(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'])('maps severity %s to lower case', (severity) => {
    expect(first(alert(info(circleArea(), `<severity>${severity}</severity>`)))?.severity).toBe(severity.toLowerCase());
  });

  it('refuses an unknown severity, naming the element', () => {
    expect(batch(alert(info(circleArea(), '<severity>High</severity>'))).errors[0]?.details[0]?.path).toBe('alert/info[1]/severity');
  });

  it('occurs at onset, else effective, else sent, else the time of receipt', () => {
    const at = (extra: string, header?: string) => first(alert(info(circleArea(), extra), header))?.occurredAtMs;
    expect(at('<effective>2026-11-22T09:00:00+08:00</effective><onset>2026-11-22T10:00:00+08:00</onset>')).toBe(Date.parse('2026-11-22T02:00:00Z'));
    expect(at('<effective>2026-11-22T09:00:00+08:00</effective>')).toBe(Date.parse('2026-11-22T01:00:00Z'));
    expect(at('')).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(at('', '<sent>2026-11-22T08:00:00-00:00</sent>')).toBe(Date.parse('2026-11-22T08:00:00Z'));
    expect(at('', '<identifier>x</identifier>')).toBe(NOW);
  });

  it('titles by headline, else event; keeps CAP qualifiers in attributes; decodes entities', () => {
    const extra = '<language>zh-CN</language><category>Met</category><event>暴雨 &amp; 内涝</event><urgency>Immediate</urgency><certainty>Likely</certainty><description>&lt;b&gt; &#x6C34;&#27700;</description>';
    const d = first(alert(info(circleArea(), extra)));
    expect(d?.title).toBe('暴雨 & 内涝');
    expect(d?.description).toBe('<b> 水水');
    expect(d?.attributes).toEqual({
      urgency: 'Immediate', certainty: 'Likely', event: '暴雨 & 内涝', msgType: 'Alert', status: 'Actual', language: 'zh-CN', areaDesc: 'd', radiusKm: 2,
    });
    expect(first(alert(info(circleArea(), '<event>e</event><headline>h</headline>')))?.title).toBe('h');
  });

  it('reads the cap: prefix, CAP 1.1, and no namespace at all', () => {
    const body = '<cap:identifier>P</cap:identifier><cap:info><cap:area><cap:circle>30,120 1</cap:circle></cap:area></cap:info>';
    expect(first(`<cap:alert xmlns:cap="${NS}">${body}</cap:alert>`)?.externalId).toBe('P');
    expect(first(alert(info(circleArea())).replace(NS, 'urn:oasis:names:tc:emergency:cap:1.1'))?.externalId).toBe('A-1');
    expect(first(`<alert><identifier>N</identifier>${info(circleArea())}</alert>`)?.externalId).toBe('N');
  });
});

describe('parseCapIncidents: whole-payload errors', () => {
  it.each([
    ['empty', '', /empty/],
    ['not XML', 'lat,lon\n30,120', /malformed at line 1/],
    ['unclosed element', alert(info(circleArea())).replace('</info>', ''), /malformed/],
    ['another root', '<feed><entry/></feed>', /root element must be a CAP <alert>; found <feed>/],
    ['two roots', `${alert(info(circleArea())).replace(/^<\?xml[^>]*>\n/, '')}<alert/>`, /root element/],
    ['no info', alert(''), /no <info>/],
    ['another namespace', '<alert xmlns="urn:example:not-cap"><info/></alert>', /namespace "urn:example:not-cap"/],
  ])('refuses %s', (_, xml, message) => {
    expect(fatal(xml)[0]?.message).toMatch(message);
  });

  it('refuses DOCTYPE and entity declarations: no billion laughs, no XXE', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><alert><identifier>&b;</identifier></alert>';
    const xxe = '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert><identifier>&x;</identifier></alert>';
    for (const xml of [laughs, xxe]) expect(fatal(xml)[0]?.message).toMatch(/DOCTYPE/);
  });

  it('answers (never throws) for nesting deeper than CAP ever goes', () => {
    const deep = `<alert>${'<x>'.repeat(5000)}${'</x>'.repeat(5000)}</alert>`;
    expect(fatal(deep)[0]?.message).toMatch(/cannot be read: Maximum nested tags exceeded/);
  });

  it('says plainly that a cut-off document was cut off', () => {
    const cut = alert(info(circleArea()));
    expect(fatal(cut.slice(0, cut.indexOf('>Severe') + 3))[0]?.message).toBe('the XML is malformed: it ends before closing <alert>, <info>, <severity> (cut off?)');
  });

  it('leaves undeclared entities as text rather than resolving them', () => {
    expect(first(alert(info(circleArea(), '<event>&foo;</event>')))?.title).toBe('&foo;');
  });

  it('fails an <info> without <area> as one record, and keeps the others', () => {
    const b = batch(alert(info('') + info(circleArea())));
    expect(b.errors).toEqual([{ index: 0, details: [{ path: 'alert/info[1]', message: 'this <info> has no <area>, so it cannot be placed on the map' }] }]);
    expect(b.drafts.map((d) => [d.index, d.draft.externalId])).toEqual([[1, 'A-1#2.1']]);
  });
});

/** The header of `alert()` with some elements replaced: identifier, sender, sent, status, msgType, references, note. */
function header(fields: { identifier?: string; sender?: string; sent?: string; status?: string; msgType?: string; references?: string; note?: string }): string {
  const all = { identifier: 'A-1', sender: 's@example', sent: '2026-11-22T08:00:00+08:00', status: 'Actual', msgType: 'Alert', ...fields };
  return Object.entries(all).map(([name, value]) => `<${name}>${value}</${name}>`).join('');
}
const notices = (xml: string) => batch(xml).notices;

describe('parseCapIncidents: status', () => {
  it.each(['Exercise', 'Test', 'System', 'Draft'])('marks a %s alert as a drill, keeping the status in attributes', (status) => {
    const d = first(alert(info(circleArea()), header({ status })));
    expect(d?.drill).toBe(true);
    expect(d?.attributes.status).toBe(status);
  });

  it('leaves an Actual alert, and one without status, live', () => {
    expect(first(alert(info(circleArea()), header({ status: 'Actual' })))?.drill).toBeUndefined();
    expect(first(alert(info(circleArea()), '<identifier>A-1</identifier><sent>2026-11-22T08:00:00+08:00</sent>'))?.drill).toBeUndefined();
  });
});

describe('parseCapIncidents: message types', () => {
  it('answers an Ack with one ack notice carrying its note, and no draft even when it has an <info>', () => {
    const xml = alert(info(circleArea()), header({ identifier: 'ACK-9', msgType: 'Ack', note: 'received', references: 's@example,A-1,2026-11-22T08:00:00+08:00' }));
    expect(batch(xml)).toEqual({
      shape: 'single',
      drafts: [],
      errors: [],
      notices: [{ index: 0, kind: 'ack', source: 's@example', externalId: 'ACK-9', refers: ['A-1', 'A-1#*'], version: [Date.parse('2026-11-22T00:00:00Z')], note: 'received' }],
    });
  });

  it('answers an Error with one error notice; without <note> its note is empty', () => {
    const xml = alert('', header({ identifier: 'ERR-1', msgType: 'Error', references: 's@example,A-1,2026-11-22T08:00:00+08:00' }));
    expect(notices(xml)).toEqual([{ index: 0, kind: 'error', source: 's@example', externalId: 'ERR-1', refers: ['A-1', 'A-1#*'], version: [Date.parse('2026-11-22T00:00:00Z')], note: '' }]);
  });

  it('answers a Cancel without <info> with one cancel notice naming every incident of each referenced alert', () => {
    const references = 's@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-2,2026-11-22T08:30:00+08:00';
    const xml = alert('', header({ identifier: 'C-1', msgType: 'Cancel', sent: '2026-11-22T09:00:00+08:00', references, note: 'all clear' }));
    expect(batch(xml)).toEqual({
      shape: 'single',
      drafts: [],
      errors: [],
      notices: [{ index: 0, kind: 'cancel', source: 's@example', externalId: 'C-1', refers: ['A-1', 'A-1#*', 'A-2', 'A-2#*'], version: [Date.parse('2026-11-22T01:00:00Z'), 2], note: 'all clear' }],
    });
  });

  it('cancels with drafts when a Cancel carries an <info>', () => {
    const xml = alert(info(circleArea()), header({ identifier: 'C-2', msgType: 'Cancel', references: 's@example,A-1,2026-11-22T07:00:00+08:00' }));
    const d = first(xml);
    expect(d?.sourceStatus).toBe('cancelled');
    expect(d?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(d?.externalId).toBe('C-2');
  });

  it('still refuses an Alert or an Update without <info>, as the description of nothing', () => {
    for (const msgType of ['Alert', 'Update']) {
      expect(fatal(alert('', header({ msgType })))[0]?.message).toMatch(/no <info>/);
    }
  });

  it('reads msgType in any case, and treats an unknown one as Alert', () => {
    expect(notices(alert('', header({ msgType: 'cancel', references: 's@example,A-1,x' })))?.[0]?.kind).toBe('cancel');
    expect(first(alert(info(circleArea()), header({ msgType: 'Bulletin' })))?.version).toEqual([Date.parse('2026-11-22T00:00:00Z'), 0]);
  });

  it('puts no drafts in the notice of an Ack that has no identifier, and names it by a content hash', () => {
    const n = notices(alert('', header({ msgType: 'Ack' }).replace('<identifier>A-1</identifier>', '')));
    expect(n?.[0]?.externalId).toMatch(/^sha256:/);
  });
});

describe('parseCapIncidents: references, aliases and versions', () => {
  const update = (infos: string, references: string, more: Parameters<typeof header>[0] = {}) =>
    alert(infos, header({ identifier: 'U-1', msgType: 'Update', sent: '2026-11-22T08:10:00+08:00', references, ...more }));

  it('gives a one-incident alert the aliases I#* and I#1.1, and each incident of a larger one I#*', () => {
    expect(first(alert(info(circleArea())))?.aliases).toEqual(['A-1#*', 'A-1#1.1']);
    expect(batch(alert(info(circleArea() + circleArea()))).drafts.map((d) => d.draft.aliases)).toEqual([['A-1#*'], ['A-1#*']]);
  });

  it('gives no aliases, and no references, to an alert without identifier', () => {
    const d = first(alert(info(circleArea()), '<sender>s@example</sender><sent>2026-11-22T08:00:00+08:00</sent>'));
    expect(d?.aliases).toBeUndefined();
    expect(d?.refers).toBeUndefined();
  });

  it('makes an Update of one area refer to the referenced alert and to its first incident', () => {
    expect(first(update(info(circleArea()), 's@example,A-1,2026-11-22T08:00:00+08:00'))?.refers).toEqual(['A-1#1.1', 'A-1']);
  });

  it('makes each incident of an Update refer to the same info group and area of each referenced alert', () => {
    const xml = update(info(circleArea('30,120 1') + circleArea('31,121 1')) + info(circleArea('32,122 1'), '<severity>Minor</severity>'),
      's@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-0,2026-11-22T07:00:00+08:00');
    expect(batch(xml).drafts.map((d) => [d.draft.externalId, d.draft.refers])).toEqual([
      ['U-1#1.1', ['A-1#1.1', 'A-1', 'A-0#1.1', 'A-0']],
      ['U-1#1.2', ['A-1#1.2', 'A-0#1.2']],
      ['U-1#2.1', ['A-1#2.1', 'A-0#2.1']],
    ]);
  });

  it("ignores references to another sender's alerts, and malformed ones, but keeps them all in attributes", () => {
    const references = 'other@example,B-1,2026-11-22T07:00:00+08:00 s@example,A-1,2026-11-22T08:00:00+08:00 s@example,A-7 s@example,A-1,2026-11-22T08:00:00+08:00';
    const d = first(update(info(circleArea()), references));
    expect(d?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(d?.attributes.references).toEqual([
      'other@example,B-1,2026-11-22T07:00:00+08:00', 's@example,A-1,2026-11-22T08:00:00+08:00', 's@example,A-7', 's@example,A-1,2026-11-22T08:00:00+08:00',
    ]);
    const cancel = alert('', header({ msgType: 'Cancel', references: 'other@example,B-1,2026-11-22T07:00:00+08:00' }));
    expect(notices(cancel)?.[0]?.refers).toEqual([]);
  });

  it('matches references against ?source= when the alert names no sender', () => {
    const xml = alert(info(circleArea()), '<identifier>U-2</identifier><sent>2026-11-22T08:10:00+08:00</sent><msgType>Update</msgType><references>q,A-1,2026-11-22T08:00:00+08:00 cap,A-2,2026-11-22T08:00:00+08:00</references>');
    expect(first(xml, { ...OPTIONS, defaultSource: 'q' })?.refers).toEqual(['A-1#1.1', 'A-1']);
    expect(first(xml)?.refers).toEqual(['A-2#1.1', 'A-2']);
  });

  it('versions a record by sent and message type, so Cancel > Update > Alert within one second', () => {
    const sent = '2026-11-22T08:00:00+08:00';
    const ms = Date.parse('2026-11-22T00:00:00Z');
    const of = (msgType: string) => first(alert(info(circleArea()), header({ msgType, sent, references: 's@example,A-0,2026-11-22T07:00:00+08:00' })))?.version ?? [];
    expect([of('Alert'), of('Update'), of('Cancel')]).toEqual([[ms, 0], [ms, 1], [ms, 2]]);
    expect(compareVersions(of('Cancel'), of('Update'))).toBeGreaterThan(0);
    expect(compareVersions(of('Update'), of('Alert'))).toBeGreaterThan(0);
    const later = first(alert(info(circleArea()), header({ sent: '2026-11-22T08:00:01+08:00' })))?.version ?? [];
    expect(compareVersions(later, of('Cancel'))).toBeGreaterThan(0);
  });

  it('leaves a record without a readable sent unversioned', () => {
    expect(first(alert(info(circleArea()), '<identifier>A-1</identifier>'))?.version).toEqual([]);
    const d = first(alert(info(circleArea(), '<effective>2026-11-22T09:00:00+08:00</effective>'), header({ sent: 'yesterday' })));
    expect(d?.version).toEqual([]);
    expect(notices(alert('', header({ msgType: 'Cancel', sent: 'yesterday' })))?.[0]?.version).toEqual([]);
  });
});

/** Great-circle distance in km on the sphere of mean radius 6371.0088 km, by the haversine formula. */
function haversineKm([lon1, lat1]: readonly number[], [lon2, lat2]: readonly number[]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2! - lat1!) * rad) / 2) ** 2 + Math.cos(lat1! * rad) * Math.cos(lat2! * rad) * Math.sin(((lon2! - lon1!) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
/** Twice the signed area of a ring in the lon/lat plane: positive when counter-clockwise. */
const shoelace = (ring: readonly (readonly number[])[]) => ring.slice(1).reduce((sum, p, k) => sum + ring[k]![0]! * p[1]! - p[0]! * ring[k]![1]!, 0);

describe('parseCapIncidents: areas of several shapes', () => {
  const square = '30.1,120.1 30.2,120.1 30.2,120.2 30.1,120.2 30.1,120.1';
  const triangle = '31,121 31.5,121 31,121.5 31,121';

  it('keeps two polygons and a circle as a MultiPolygon of three parts, and the circle in attributes', () => {
    const d = first(alert(info(`<area><areaDesc>d</areaDesc><polygon>${square}</polygon><circle>30.25,120.15 2</circle><polygon>${triangle}</polygon></area>`)));
    expect(d?.geometry?.type).toBe('MultiPolygon');
    const parts = d?.geometry?.type === 'MultiPolygon' ? d.geometry.coordinates : [];
    expect(parts).toHaveLength(3);
    // Polygons first, in document order, then circles.
    expect(parts[0]).toEqual([[[120.1, 30.1], [120.1, 30.2], [120.2, 30.2], [120.2, 30.1], [120.1, 30.1]]]);
    expect(parts[1]).toEqual([[[121, 31], [121, 31.5], [121.5, 31], [121, 31]]]);
    expect(d?.attributes.circles).toEqual([{ center: [120.15, 30.25], radiusKm: 2 }]);
    expect(d?.attributes).not.toHaveProperty('radiusKm');
    expect(d?.attributes.areaDesc).toBe('d');
  });

  it('draws a circle as a closed, counter-clockwise 64-gon whose corners lie at the radius', () => {
    const d = first(alert(info(`<area><polygon>${square}</polygon><circle>30.25,120.15 2</circle></area>`)));
    const ring = d?.geometry?.type === 'MultiPolygon' ? (d.geometry.coordinates[1]?.[0] ?? []) : [];
    expect(ring).toHaveLength(65);
    expect(ring[64]).toEqual(ring[0]);
    for (const p of ring) expect(haversineKm([120.15, 30.25], p)).toBeCloseTo(2, 4);
    // The first corner is due north: 2 km is 2 / 6371.0088 rad = 0.0179864° of latitude.
    expect(ring[0]?.[0]).toBeCloseTo(120.15, 7);
    expect(ring[0]?.[1]).toBeCloseTo(30.2679864, 6);
    // A quarter of the way round (16 corners) it is due west, on the same side as GeoJSON's right-hand rule puts it.
    expect(ring[16]?.[0]).toBeLessThan(120.15);
    expect(ring[16]?.[1]).toBeCloseTo(30.25, 4);
    expect(shoelace(ring)).toBeGreaterThan(0);
  });

  it('draws two circles as two 64-gons; a zero radius as its centre four times', () => {
    const d = first(alert(info('<area><circle>30,120 1</circle><circle>31,121 0</circle></area>')));
    const parts = d?.geometry?.type === 'MultiPolygon' ? d.geometry.coordinates : [];
    expect(parts.map((p) => p[0]?.length)).toEqual([65, 4]);
    expect(parts[1]).toEqual([[[121, 31], [121, 31], [121, 31], [121, 31]]]);
    expect(d?.attributes.circles).toEqual([{ center: [120, 30], radiusKm: 1 }, { center: [121, 31], radiusKm: 0 }]);
  });

  it('keeps a circle that reaches over the antimeridian inside [-180, 180]', () => {
    const d = first(alert(info('<area><circle>0,179.99 5</circle><circle>0,0 1</circle></area>')));
    const ring = d?.geometry?.type === 'MultiPolygon' ? (d.geometry.coordinates[0]?.[0] ?? []) : [];
    expect(ring.every((p) => Math.abs(p[0]!) <= 180)).toBe(true);
    expect(ring.some((p) => p[0]! < 0)).toBe(true);
  });

  it('names the broken shape by its position when an area has several of a kind', () => {
    const b = batch(alert(info(`<area><polygon>${square}</polygon><polygon>30.1,120.1 30.2,120.1</polygon><circle>30,120 -1</circle></area>`)));
    expect(b.drafts).toEqual([]);
    expect(b.errors[0]?.details.map((e) => e.path)).toEqual(['alert/info[1]/area[1]/polygon[2]', 'alert/info[1]/area[1]/circle']);
  });
});

describe('parseCapIncidents: areas given by geocode', () => {
  const geocode = (name: string, value: string) => `<geocode><valueName>${name}</valueName><value>${value}</value></geocode>`;

  it('places an area of geocodes only by null geometry, its geocodes and its path', () => {
    const xml = alert(info(circleArea() + `<area><areaDesc>Los Angeles County</areaDesc>${geocode('SAME', '006037')}${geocode('FIPS6', '006037')}</area>`));
    const d = batch(xml).drafts[1]?.draft;
    expect(d?.geometry).toBeNull();
    expect(d?.geocodes).toEqual([{ valueName: 'SAME', value: '006037' }, { valueName: 'FIPS6', value: '006037' }]);
    expect(d?.placePath).toBe('alert/info[1]/area[2]');
    expect(d?.attributes.areaDesc).toBe('Los Angeles County');
  });

  it('keeps the geometry, and leaves geocodes aside, when an area also has a shape', () => {
    const d = first(alert(info(`<area><circle>30,120 1</circle>${geocode('SAME', '006037')}</area>`)));
    expect(d?.geometry).toEqual({ type: 'Point', coordinates: [120, 30] });
    expect(d?.geocodes).toBeUndefined();
    expect(d?.placePath).toBeUndefined();
  });

  it('skips a geocode without name or value, and refuses an area whose geocodes all lack one', () => {
    const half = '<geocode><valueName>SAME</valueName></geocode>';
    expect(first(alert(info(`<area>${half}${geocode('UGC', 'CAZ041')}</area>`)))?.geocodes).toEqual([{ valueName: 'UGC', value: 'CAZ041' }]);
    expect(batch(alert(info(`<area>${half}</area>`))).errors).toEqual([
      { index: 0, details: [{ path: 'alert/info[1]/area[1]/geocode', message: 'no <geocode> of this area has both a <valueName> and a <value>, so it cannot be placed on the map' }] },
    ]);
  });
});

describe('parseCapIncidents: one event in several languages', () => {
  const content = '<category>Fire</category><severity>Severe</severity><urgency>Immediate</urgency><certainty>Observed</certainty><onset>2026-11-22T09:00:00+08:00</onset>';
  const words = (language: string, headline: string, description = `${headline}.`) =>
    `${language ? `<language>${language}</language>` : ''}<event>${headline}</event><headline>${headline}</headline><description>${description}</description>`;
  const area = (desc: string, shape = '<circle>30.25,120.15 2</circle>') => `<area><areaDesc>${desc}</areaDesc>${shape}</area>`;

  it('makes one incident of the same event in English and Spanish, the first info giving the words', () => {
    const xml = alert(info(area('Hangzhou'), `${words('en-US', 'Fire')}${content}`) + info(area('Hangzhou (es)'), `${words('es-US', 'Incendio')}${content}`));
    const b = batch(xml);
    expect(b.shape).toBe('single');
    expect(b.drafts).toHaveLength(1);
    const d = b.drafts[0]?.draft;
    expect(d?.externalId).toBe('A-1');
    expect(d?.aliases).toEqual(['A-1#*', 'A-1#1.1']);
    expect(d?.title).toBe('Fire');
    expect(d?.description).toBe('Fire.');
    expect(d?.attributes.language).toBe('en-US');
    expect(d?.attributes.texts).toEqual([
      { language: 'en-US', title: 'Fire', description: 'Fire.', areaDesc: 'Hangzhou' },
      { language: 'es-US', title: 'Incendio', description: 'Incendio.', areaDesc: 'Hangzhou (es)' },
    ]);
  });

  it('compares numbers as numbers, times as instants, and categories as a set', () => {
    const other = '<severity>severe</severity><category>Fire</category><urgency>Immediate</urgency><certainty>Observed</certainty><onset>2026-11-22T01:00:00+00:00</onset>';
    const xml = alert(info(area('a'), `${words('zh-CN', '火灾')}${content}`) + info(area('a', '<circle>30.250, 120.1500 2.0</circle>'), `${words('en-US', 'Fire')}${other}`));
    expect(batch(xml).drafts).toHaveLength(1);
  });

  it('keeps infos apart when their content differs: severity, times, or areas', () => {
    for (const change of [
      (c: string) => c.replace('Severe', 'Moderate'),
      (c: string) => c.replace('09:00:00+08:00', '10:00:00+08:00'),
      (c: string) => `${c}<expires>2026-11-23T00:00:00+08:00</expires>`,
    ]) {
      const b = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a'), `${words('es-US', 'Incendio')}${change(content)}`)));
      expect(b.drafts.map((d) => [d.draft.externalId, d.draft.title, d.draft.attributes.texts])).toEqual([['A-1#1.1', 'Fire', undefined], ['A-1#2.1', 'Incendio', undefined]]);
    }
    const otherCircle = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a', '<circle>30.25,120.15 3</circle>'), `${words('es-US', 'Incendio')}${content}`)));
    expect(otherCircle.drafts).toHaveLength(2);
    const moreAreas = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a') + area('b'), `${words('es-US', 'Incendio')}${content}`)));
    expect(moreAreas.drafts.map((d) => d.draft.externalId)).toEqual(['A-1#1.1', 'A-1#2.1', 'A-1#2.2']);
  });

  it('never merges two infos of one language; a missing language is en-US', () => {
    const same = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${content}`) + info(area('a'), `${words('en-US', 'Fire again')}${content}`)));
    expect(same.drafts).toHaveLength(2);
    const implied = batch(alert(info(area('a'), `${words('', 'Fire')}${content}`) + info(area('a'), `${words('en-US', 'Fire')}${content}`)));
    expect(implied.drafts).toHaveLength(2);
    const withFrench = batch(alert(info(area('a'), `${words('', 'Fire')}${content}`) + info(area('a'), `${words('fr-CA', 'Incendie')}${content}`)));
    expect(withFrench.drafts.map((d) => (d.draft.attributes.texts as { language: string }[]).map((t) => t.language))).toEqual([['en-US', 'fr-CA']]);
  });

  it('groups in document order: en, fr, en makes {en, fr} and {en}; the groups number the ids', () => {
    const xml = alert(
      info(area('a'), `${words('en-CA', 'Storm')}${content}`) +
      info(area('a'), `${words('fr-CA', 'Orage')}${content}`) +
      info(area('a'), `${words('en-CA', 'Storm, again')}${content}`),
    );
    expect(batch(xml).drafts.map((d) => [d.index, d.draft.externalId, d.draft.title, (d.draft.attributes.texts as unknown[] | undefined)?.length])).toEqual([
      [0, 'A-1#1.1', 'Storm', 2],
      [1, 'A-1#2.1', 'Storm, again', undefined],
    ]);
  });

  it('makes one incident per area of a merged group, each with its own area names', () => {
    const en = info(area('North', '<circle>30,120 1</circle>') + area('South', '<circle>29,120 1</circle>'), `${words('en-CA', 'Storm')}${content}`);
    const fr = info(area('Nord', '<circle>30,120 1</circle>') + area('Sud', '<circle>29,120 1</circle>'), `${words('fr-CA', 'Orage')}${content}`);
    const b = batch(alert(en + fr));
    expect(b.drafts.map((d) => [d.draft.externalId, d.draft.attributes.areaDesc, (d.draft.attributes.texts as { areaDesc: string }[]).map((t) => t.areaDesc)])).toEqual([
      ['A-1#1.1', 'North', ['North', 'Nord']],
      ['A-1#1.2', 'South', ['South', 'Sud']],
    ]);
  });

  it('fails a merged group once, naming the first info', () => {
    const bad = content.replace('Severe', 'High');
    const b = batch(alert(info(area('a'), `${words('en-US', 'Fire')}${bad}`) + info(area('a'), `${words('es-US', 'Incendio')}${bad}`)));
    expect(b.errors).toEqual([{ index: 0, details: [{ path: 'alert/info[1]/severity', message: '"High" is not a CAP severity (Extreme, Severe, Moderate, Minor, Unknown)' }] }]);
  });

  it('places a merged group given by geocode at the first info\'s area', () => {
    const geo = '<area><areaDesc>x</areaDesc><geocode><valueName>SAME</valueName><value>006037</value></geocode></area>';
    const d = first(alert(info(geo, `${words('en-US', 'Fire')}${content}`) + info(geo, `${words('es-US', 'Incendio')}${content}`)));
    expect(d?.geometry).toBeNull();
    expect(d?.placePath).toBe('alert/info[1]/area[1]');
  });
});
