/**
 * Intake bodies for the limit tests: the attacks that once stalled the server (built once, as
 * bytes), and a seeded family of bodies just under and just over each intake limit, in every
 * format, whose counts are exact by construction.
 */
import { mulberry32, type Random } from '../../server/demo/random.ts';

export interface Payload {
  name: string;
  contentType: string;
  query?: string;
  body: Uint8Array<ArrayBuffer>;
  /** 'accept': 201; otherwise the expected 4xx. */
  expect: 'accept' | 400 | 413;
}

const CAP = 'application/cap+xml';
const CSV = 'text/csv';
const JSON_TYPE = 'application/json';
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const bytes = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** A closed ring of `n` positions (the last repeats the first) around Hangzhou, [lon, lat]. */
export function ring(n: number, jitter = 0): [number, number][] {
  const points: [number, number][] = [];
  for (let i = 0; i < n - 1; i++) {
    const a = (2 * Math.PI * i) / (n - 1);
    points.push([+(120.1 + 0.05 * Math.cos(a) + jitter).toFixed(6), +(30.1 + 0.05 * Math.sin(a)).toFixed(6)]);
  }
  points.push(points[0]!);
  return points;
}
const capPolygon = (r: [number, number][]) => r.map(([lon, lat]) => `${lat},${lon}`).join(' ');
const alert = (infos: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?><alert xmlns="${NS}"${extra}><identifier>limits-${infos.length}</identifier><sender>test</sender><sent>2026-11-23T08:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>${infos}</alert>`;
const info = (body: string, description = 'flood') => `<info><category>Met</category><event>Flood</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty><description>${description}</description>${body}</info>`;
const area = (shapes: string) => `<area><areaDesc>here</areaDesc>${shapes}</area>`;
const circle = (k: number) => `<circle>30.${100 + k},120.${100 + k} 2</circle>`;

/** The attacks, against the default limits, each refused as the expected status. */
export function attacks(): Payload[] {
  const big = ring(250_001);
  const feature = (r: [number, number][]) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [r] }, properties: { title: 'ring' } });
  const million = Array.from({ length: 1_000_000 }, (_, i) => `30.${i % 90000},120.${i % 90000}`).join(' ');
  return [
    { name: 'CSV of 1M identical rows (15 MB)', contentType: CSV, body: bytes(`lat,lon,title\n${'30.1,120.2,abc\n'.repeat(1_000_000)}`), expect: 413 },
    { name: 'CAP polygon of 1M points', contentType: CAP, body: bytes(alert(info(area(`<polygon>${million}</polygon>`)))), expect: 400 },
    { name: 'CAP with 1M <info>', contentType: CAP, body: bytes(alert('<info/>'.repeat(1_000_000))), expect: 413 },
    { name: 'CSV with 1M columns', contentType: CSV, body: bytes(`lat,lon${',c'.repeat(1_000_000)}\n30,120${',x'.repeat(1_000_000)}\n`), expect: 413 },
    { name: 'a 30 MB CAP attribute', contentType: CAP, body: bytes(alert(info(area(circle(1))), ` junk="${'A'.repeat(30 * 1024 * 1024)}"`)), expect: 413 },
    { name: 'a 250k-point ring as CAP', contentType: CAP, body: bytes(alert(info(area(`<polygon>${capPolygon(big)}</polygon>`)))), expect: 400 },
    { name: 'a 250k-point ring as JSON', contentType: JSON_TYPE, body: bytes(JSON.stringify(feature(big))), expect: 400 },
    { name: 'a 250k-point ring in Open311', contentType: JSON_TYPE, query: '?format=open311', body: bytes(JSON.stringify({ service_requests: [{ lat: 30.1, long: 120.1, geometry: feature(big).geometry }] })), expect: 400 },
    // A mass-event feed gone wrong: one alert with 20,000 small circles (sent twice, it ran the server out of memory).
    { name: 'one CAP alert carrying 20,000 circles', contentType: CAP, body: bytes(alert(info(area(Array.from({ length: 20_000 }, (_, k) => `<circle>30.1${k % 1000},120.1${k % 997} 0.01</circle>`).join(''))))), expect: 413 },
    // CSV has no geometry column (lat/lon only): a WKT ring arrives as one 5 MB value, too long a row.
    { name: 'a 250k-point ring as CSV WKT', contentType: CSV, body: bytes(`lat,lon,wkt\n30.1,120.1,"POLYGON((${big.map((p) => p.join(' ')).join(', ')}))"\n`), expect: 413 },
  ];
}

/** Limits of the server the family is sent to: small, so bodies at them stay small. */
export const FAMILY_ENV = {
  INTAKE_MAX_RECORDS: '40',
  INTAKE_MAX_FIELDS: '12',
  INTAKE_MAX_RECORD_KB: '2',
  INTAKE_MAX_POSITIONS: '300',
  INTAKE_CAP_MAX_INFOS: '3',
  INTAKE_CAP_MAX_AREAS: '8',
  INTAKE_CAP_MAX_SHAPES: '10',
  INTAKE_CAP_MAX_ELEMENTS: '400',
};
const L = Object.fromEntries(Object.entries(FAMILY_ENV).map(([k, v]) => [k, Number(v)])) as Record<keyof typeof FAMILY_ENV, number>;
const RECORD_BYTES = L.INTAKE_MAX_RECORD_KB * 1024;

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
/** Text of exactly `n` UTF-8 bytes, ASCII or 3-byte CJK (with ASCII to make up the rest). */
function filler(r: Random, n: number): string {
  const cjk = r() < 0.5 ? '火'.repeat(Math.floor(n / 3)) : '';
  return cjk + 'x'.repeat(n - Buffer.byteLength(cjk));
}

/**
 * One seed's bodies: for each limit, one at it (accepted) and one past it (refused), in the
 * format(s) the limit applies to. `tag` keeps every record's id unique across seeds.
 */
export function family(seed: number, tag: string): Payload[] {
  const r = mulberry32(seed);
  const out: Payload[] = [];
  const both = (name: string, contentType: string, build: (over: boolean) => string, refusal: 400 | 413, query?: string) => {
    for (const over of [false, true]) out.push({ name: `${name} ${over ? 'over' : 'at'} the limit`, contentType, body: bytes(build(over)), expect: over ? refusal : 'accept', ...(query && { query }) });
  };
  const lat = () => (30 + r() * 0.2).toFixed(5);
  const lon = () => (120 + r() * 0.2).toFixed(5);
  const id = (k: string) => `${tag}-${k}-${Math.floor(r() * 1e9)}`;
  const eol = pick(r, ['\n', '\r\n']);

  // CSV
  both('CSV rows', CSV, (over) => ['id,lat,lon,title', ...Array.from({ length: L.INTAKE_MAX_RECORDS + (over ? 1 : 0) }, (_, i) => `${id(`r${i}`)},${lat()},${lon()},"row, ${i}"`)].join(eol), 413);
  both('CSV columns', CSV, (over) => {
    const extra = L.INTAKE_MAX_FIELDS - 4 + (over ? 1 : 0);
    const names = Array.from({ length: extra }, (_, k) => `c${k}`);
    return [['id', 'lat', 'lon', 'title', ...names].join(','), [id('c'), lat(), lon(), 'wide', ...names.map(() => pick(r, ['1', '"a,b"', '']))].join(',')].join(eol);
  }, 413);
  both('CSV row bytes', CSV, (over) => {
    const head = `${id('b')},${lat()},${lon()},`;
    return `id,lat,lon,note${eol}${head}${filler(r, RECORD_BYTES - Buffer.byteLength(head) + (over ? 1 : 0))}`;
  }, 413);

  // JSON and Open311
  const plain = (k: number) => ({ externalId: id(`j${k}`), lat: Number(lat()), lon: Number(lon()), title: 'plain' });
  both('JSON records', JSON_TYPE, (over) => JSON.stringify(Array.from({ length: L.INTAKE_MAX_RECORDS + (over ? 1 : 0) }, (_, k) => plain(k))), 413);
  both('GeoJSON properties', JSON_TYPE, (over) => {
    const properties = Object.fromEntries(Array.from({ length: L.INTAKE_MAX_FIELDS + (over ? 1 : 0) }, (_, k) => [k === 0 ? 'externalId' : `p${k}`, k === 0 ? id('f') : k]));
    return JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [Number(lon()), Number(lat())] }, properties }] });
  }, 413);
  both('GeoJSON record bytes', JSON_TYPE, (over) => {
    const feature = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring(50, r() / 100)] }, properties: { externalId: id('s'), note: '' } };
    // The scan measures a record's text without its geometry value; the note makes up the rest.
    const base = Buffer.byteLength(JSON.stringify(feature)) - Buffer.byteLength(JSON.stringify(feature.geometry));
    feature.properties.note = filler(r, RECORD_BYTES - base + (over ? 1 : 0));
    return JSON.stringify([feature]);
  }, 413);
  both('GeoJSON positions', JSON_TYPE, (over) => JSON.stringify({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring(L.INTAKE_MAX_POSITIONS + (over ? 1 : 0), r() / 100)] }, properties: { externalId: id('p') } }), 400);
  both('Open311 requests', JSON_TYPE, (over) => JSON.stringify({ service_requests: Array.from({ length: L.INTAKE_MAX_RECORDS + (over ? 1 : 0) }, (_, k) => ({ service_request_id: id(`o${k}`), lat: lat(), long: lon(), service_name: '噪音扰民' })) }), 413, '?format=open311');

  // CAP
  const capInfos = (n: number) => alert(Array.from({ length: n }, (_, k) => info(area(circle(k)))).join('')).replace('<identifier>', `<identifier>${id('i')}`);
  both('CAP infos', CAP, (over) => capInfos(L.INTAKE_CAP_MAX_INFOS + (over ? 1 : 0)), 413);
  both('CAP areas', CAP, (over) => alert(info(Array.from({ length: L.INTAKE_CAP_MAX_AREAS + (over ? 1 : 0) }, (_, k) => area(circle(k))).join(''))).replace('<identifier>', `<identifier>${id('a')}`), 413);
  // Four circles an area at most: an area's shapes are one geometry, each circle 65 positions of INTAKE_MAX_POSITIONS.
  const inAreasOfFour = (n: number) => Array.from({ length: Math.ceil(n / 4) }, (_, a) => area(Array.from({ length: Math.min(4, n - 4 * a) }, (_, k) => circle(4 * a + k)).join(''))).join('');
  both('CAP shapes', CAP, (over) => alert(info(inAreasOfFour(L.INTAKE_CAP_MAX_SHAPES + (over ? 1 : 0)))).replace('<identifier>', `<identifier>${id('s')}`), 413);
  both('CAP polygon points', CAP, (over) => alert(info(area(`<polygon>${capPolygon(ring(L.INTAKE_MAX_POSITIONS + (over ? 1 : 0), r() / 100))}</polygon>`))).replace('<identifier>', `<identifier>${id('g')}`), 400);
  both('CAP parameters', CAP, (over) => alert(info(`${'<parameter><valueName>k</valueName><value>v</value></parameter>'.repeat(L.INTAKE_MAX_FIELDS + (over ? 1 : 0))}${area(circle(0))}`)).replace('<identifier>', `<identifier>${id('m')}`), 413);
  both('CAP description bytes', CAP, (over) => alert(info(area(circle(0)), filler(r, RECORD_BYTES + (over ? 1 : 0)))).replace('<identifier>', `<identifier>${id('d')}`), 413);
  both('CAP elements', CAP, (over) => {
    const base = alert(info(area(circle(0)))).replace('<identifier>', `<identifier>${id('e')}`);
    const count = (base.match(/<[^/?!]/g) ?? []).length;
    return base.replace('</alert>', `${'<note/>'.repeat(L.INTAKE_CAP_MAX_ELEMENTS - count + (over ? 1 : 0))}</alert>`);
  }, 413);
  return out;
}
