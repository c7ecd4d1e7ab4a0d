import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
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
    expect(first(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.2,120.3'))))?.geometry.coordinates[0]).toHaveLength(4);
    expect(batch(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.1,120.1')))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/polygon');
  });

  it('reads "lat, lon" with a space after the comma', () => {
    expect(first(alert(info(circleArea('30.25, 120.15 2'))))?.geometry.coordinates).toEqual([120.15, 30.25]);
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

  it('prefers the polygon when an area has both', () => {
    const d = first(alert(info('<area><circle>30.25,120.15 2</circle><polygon>30.1,120.1 30.2,120.1 30.2,120.3 30.1,120.1</polygon></area>')));
    expect(d?.geometry.type).toBe('Polygon');
    expect(d?.attributes).not.toHaveProperty('radiusKm');
  });

  it.each(['30.25,120.15', '30.25,120.15 -1', '30.25,120.15 NaN', 'x,y 1', '30.25,200 1'])('refuses the circle %j', (text) => {
    expect(batch(alert(info(circleArea(text)))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/circle');
  });

  it('refuses an area with neither polygon nor circle, naming the area', () => {
    expect(batch(alert(info('<area><areaDesc>x</areaDesc><geocode><valueName>a</valueName><value>1</value></geocode></area>'))).errors).toEqual([
      { index: 0, details: [{ path: 'alert/info[1]/area[1]', message: 'this area has neither a <polygon> nor a <circle>, so it cannot be placed on the map' }] },
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
