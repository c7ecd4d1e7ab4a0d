/**
 * Seeded generators of intake payloads that hold NO valid record at all, by construction: every
 * record breaks at least one rule, or the payload as a whole cannot be read. The server must answer
 * 400 (or 415) to each and store nothing. Each payload says `why` it is invalid, for failure output.
 */
import fc from 'fast-check';

export type IntakeFormat = 'json' | 'csv' | 'cap' | 'open311';

export interface MalformedPayload {
  body: string;
  contentType: string;
  /** `''`, or `'?format=open311'` for Open311 bodies. */
  query: string;
  why: string;
}

type Bad = { body: string; why: string };
/** A broken record and why it is broken (a function, so TypeScript infers a tuple). */
const pair = <T>(record: T, why: string): [T, string] => [record, why];
const bad = (why: string) => (body: string): Bad => ({ body, why });

// ---- numbers -------------------------------------------------------------------------------
/** In range and written as plain decimals (4 places), so only the rule under test is broken. */
const validLat = fc.integer({ min: -900_000, max: 900_000 }).map((n) => n / 10_000);
const validLon = fc.integer({ min: -1_800_000, max: 1_800_000 }).map((n) => n / 10_000);
/** Finite, and strictly outside [-limit, limit]. */
const outside = (limit: number) =>
  fc.oneof(fc.double({ min: limit, max: 1e300, minExcluded: true, noNaN: true }), fc.double({ min: -1e300, max: -limit, maxExcluded: true, noNaN: true }));
/** Decimal text at least `limit + 1` away from 0, so no formatting can round it back into range. */
const outsideText = (limit: number) =>
  fc.tuple(fc.boolean(), fc.nat({ max: 1e6 }), fc.nat({ max: 9999 })).map(([neg, n, frac]) => `${neg ? '-' : ''}${limit + 1 + n}.${frac}`);
/** Text that is not a plain decimal number at all. */
const notDecimalText = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '1e2', '0x1E', 'abc', '30°15′N', '三十', '30.2.1', '--5', '.', '+', 'null', 'true');
const hugeText = fc.integer({ min: 310, max: 2000 }).map((digits) => `1${'0'.repeat(digits)}`);

/** Cuts a text strictly before its end: a bracketed/enclosed document can then never be complete. */
const truncated = (text: fc.Arbitrary<string>, why: string) =>
  fc.tuple(text, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([t, f]) => {
    const cut = Math.floor(f * t.length);
    return { body: t.slice(0, cut), why: `${why} (cut at ${cut} of ${t.length} characters)` };
  });
/** Random bytes whose first byte is a control character, which no JSON or XML text may start with. */
const randomBytes = (forbidden?: RegExp) =>
  fc.tuple(fc.integer({ min: 1, max: 8 }), fc.uint8Array({ maxLength: 300 })).map(([lead, bytes]) => ({
    body: forbidden ? String.fromCharCode(lead, ...bytes).replace(forbidden, ' ') : String.fromCharCode(lead, ...bytes),
    why: 'random bytes',
  }));
const empty = fc.constantFrom('', ' ', '\n', '\r\n\r\n', '\t \n').map(bad('empty body'));
const text = fc.constantFrom('西湖区火情', 'Road flooded', '', '文三路, 追尾', 'a "quoted" title');

// ---- JSON (strict incident schema) ----------------------------------------------------------
const KNOWN = new Set(['source', 'externalId', 'category', 'severity', 'geometry', 'lat', 'lon', 'latitude', 'longitude', 'occurredAt', 'reportedAt', 'title', 'description', 'reporter', 'type', '__proto__']);
const badJsonRecord: fc.Arbitrary<[Record<string, unknown>, string]> = fc.oneof(
  fc.tuple(outside(90), validLon).map(([lat, lon]) => pair({ lat, lon }, 'latitude out of range')),
  fc.tuple(validLat, outside(180)).map(([lat, lon]) => pair({ latitude: lat, longitude: lon }, 'longitude out of range')),
  fc.tuple(text, fc.constantFrom('fire', 'flood')).map(([title, category]) => pair({ title, category }, 'no location')),
  validLat.map((lat) => pair({ lat }, 'latitude without longitude')),
  fc.tuple(fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(validLat, { maxLength: 2 }), fc.object()), validLon)
    .map(([lat, lon]) => pair({ lat, lon }, 'latitude of the wrong type')),
  fc.tuple(validLat, validLon, fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k)), fc.jsonValue())
    .map(([lat, lon, key, value]) => pair({ lat, lon, [key]: value }, `unknown field "${key}"`)),
  fc.tuple(validLat, validLon, fc.constantFrom('fires', 'FIRE', '火灾', '', 'unknown')).map(([lat, lon, category]) => pair({ lat, lon, category }, 'unknown category')),
  fc.tuple(validLat, validLon, fc.constantFrom('2026-11-22 08:00', 'yesterday', '2026-13-01T00:00:00Z', -5)).map(([lat, lon, occurredAt]) => pair({ lat, lon, occurredAt }, 'bad occurredAt')),
  fc.tuple(outside(180), validLat).map(([lon, lat]) => pair({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [lon, lat] } }, 'Feature outside the globe')),
  fc.tuple(validLon, validLat).map(([lon, lat]) => pair({ geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon, lat], [lon, lat]]] } }, 'polygon ring of 3 positions')),
  fc.tuple(validLon, validLat).map(([lon, lat]) => pair({ geometry: { type: 'LineString', coordinates: [[lon, lat], [lon, lat]] } }, 'LineString geometry')),
);
const validJsonText = fc.array(fc.record({ lat: validLat, lon: validLon, title: text }), { minLength: 1, maxLength: 4 }).map((r) => JSON.stringify(r));
const jsonPayload: fc.Arbitrary<Bad> = fc.oneof(
  fc.array(badJsonRecord, { minLength: 1, maxLength: 5 }).map((rs) => ({ body: JSON.stringify(rs.map(([r]) => r)), why: `every record broken: ${rs.map(([, w]) => w).join('; ')}` })),
  badJsonRecord.map(([r, why]) => ({ body: JSON.stringify(r), why: `one record: ${why}` })),
  badJsonRecord.map(([r, why]) => ({ body: JSON.stringify({ type: 'FeatureCollection', features: [r] }), why: `collection of one: ${why}` })),
  truncated(validJsonText, 'truncated JSON'),
  validJsonText.map((t) => ({ body: `${t.slice(0, -2)}]}`, why: 'wrong nesting: [{...]}' })),
  fc.tuple(validLon, fc.constantFrom('NaN', 'Infinity', '-Infinity', 'undefined', "'30'")).map(([lon, v]) => ({ body: `[{"lat": ${v}, "lon": ${lon}}]`, why: `not JSON: ${v}` })),
  fc.tuple(validLon, hugeText).map(([lon, v]) => ({ body: `{"lat": ${v}, "lon": ${lon}}`, why: 'enormous latitude' })),
  fc.integer({ min: 500, max: 5000 }).map((d) => ({ body: `${'['.repeat(d)}{"lat":30,"lon":120}${']'.repeat(d)}`, why: `deep nesting (${d} arrays)` })),
  fc.constantFrom('42', '"incident"', 'true', 'null', '{"type":"FeatureCollection","features":{}}').map(bad('not an incident shape')),
  randomBytes(),
  empty,
);

// ---- CSV ------------------------------------------------------------------------------------
const latName = fc.constantFrom('lat', 'Latitude', ' LAT ');
const lonName = fc.constantFrom('lon', 'lng', 'Long', 'longitude');
const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const eol = fc.constantFrom('\n', '\r\n');
/** One row whose latitude or longitude is unusable. */
const badCsvRow = fc.tuple(fc.boolean(), fc.oneof(outsideText(180), notDecimalText, hugeText, fc.constant('')), text).map(([latBad, v, title]) =>
  latBad ? [v, '120.15', title] : ['30.27', v, title]);
const csvPayload: fc.Arbitrary<Bad> = fc.oneof(
  fc.tuple(latName, lonName, fc.array(badCsvRow, { minLength: 1, maxLength: 6 }), eol, fc.boolean()).map(([la, lo, rows, nl, bom]) => ({
    body: `${bom ? '\uFEFF' : ''}${la},${lo},title${nl}${rows.map((r) => r.map(csvCell).join(',')).join(nl)}${nl}`,
    why: 'every row has an unusable coordinate',
  })),
  fc.tuple(fc.array(fc.constantFrom('id', 'title', 'address', 'x', 'y', '纬度', '经度', 'lat.', 'latlon', 'position'), { minLength: 1, maxLength: 5 }), eol)
    .map(([cols, nl]) => ({ body: `${[...new Set(cols)].join(',')}${nl}30.27,120.15,a,b,c${nl}`, why: 'no location columns' })),
  fc.tuple(latName, lonName, eol).map(([la, lo, nl]) => ({ body: `${la},${lo}${nl}${nl}`, why: 'header only' })),
  fc.tuple(lonName, eol).map(([lo, nl]) => ({ body: `lat,latitude,${lo}${nl}30,30,120${nl}`, why: 'two latitude columns' })),
  fc.tuple(fc.constantFrom(';', '\t'), eol).map(([sep, nl]) => ({ body: `lat${sep}lon${nl}30.27${sep}120.15${nl}`, why: 'not comma-separated' })),
  fc.tuple(validLat, validLon, eol).map(([la, lo, nl]) => ({ body: `lat,lon,title${nl}"${la},${lo},a${nl}${la},${lo},b${nl}`, why: 'quote never closed' })),
  fc.tuple(validLat, validLon, eol).map(([la, lo, nl]) => ({ body: `lat,lon,title${nl}"${la}"x,${lo},a${nl}`, why: 'text after a closing quote' })),
  fc.tuple(validLat, validLon, eol).map(([la, lo, nl]) => ({ body: `lat,lon,title,severity${nl}${la},${lo}${nl}${la},${lo},a,minor,extra${nl}`, why: 'wrong number of values in every row' })),
  truncated(fc.constant('lat,lon,title\n"30.27,120.15,unterminated'), 'truncated inside a quoted value'),
  randomBytes(/,/g),
  empty,
);

// ---- CAP ------------------------------------------------------------------------------------
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';
const capAlert = (infos: string[], prefix = '') => {
  const p = prefix ? `${prefix}:` : '';
  const tagged = infos.join('').replace(/<(\/?)(\w)/g, `<$1${p}$2`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${p}alert xmlns${prefix ? `:${prefix}` : ''}="${NS}"><${p}identifier>X-1</${p}identifier><${p}sent>2026-11-22T08:00:00+08:00</${p}sent>${tagged}</${p}alert>`;
};
const capInfo = (areas: string[], extra = '<category>Fire</category><severity>Severe</severity>') => `<info>${extra}${areas.join('')}</info>`;
const circleOf = (lat: number, lon: number) => `<area><circle>${lat},${lon} 1</circle></area>`;
const badArea = fc.oneof(
  fc.tuple(validLat, validLon).map(([la, lo]) => `<area><polygon>${lo + 100 * Math.sign(lo || 1)},${la} ${la},${lo} ${la},${lo}</polygon></area>`),
  fc.tuple(outsideText(90), validLon).map(([la, lo]) => `<area><circle>${la},${lo} 1</circle></area>`),
  fc.tuple(validLat, validLon).map(([la, lo]) => `<area><polygon>${la},${lo} ${la},${lo}</polygon></area>`),
  fc.tuple(notDecimalText, validLon).map(([v, lo]) => `<area><circle>${v},${lo} 1</circle></area>`),
  fc.tuple(validLat, validLon, fc.constantFrom('-1', 'NaN', '1e999', '', 'km')).map(([la, lo, r]) => `<area><circle>${la},${lo} ${r}</circle></area>`),
  fc.constantFrom('<area><areaDesc>西湖区</areaDesc></area>', '<area/>'),
);
const validCap = fc.array(fc.tuple(validLat, validLon), { minLength: 1, maxLength: 3 }).map((ps) => capAlert([capInfo(ps.map(([la, lo]) => circleOf(la, lo)))]));
const capPayload: fc.Arbitrary<Bad> = fc.oneof(
  fc.tuple(fc.array(fc.array(badArea, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), fc.constantFrom('', 'cap'))
    .map(([infos, prefix]) => ({ body: capAlert(infos.map((a) => capInfo(a)), prefix), why: 'every area unusable' })),
  fc.tuple(validLat, validLon, fc.constantFrom('<severity>High</severity>', '<onset>2026-11-22 08:00</onset>', '<effective>soon</effective>'))
    .map(([la, lo, extra]) => ({ body: capAlert([capInfo([circleOf(la, lo)], extra)]), why: `every info broken: ${extra}` })),
  fc.integer({ min: 1, max: 3 }).map((n) => ({ body: capAlert(Array.from({ length: n }, () => capInfo([]))), why: 'no info has an area' })),
  fc.constant({ body: capAlert([]), why: 'no info' }),
  truncated(validCap, 'truncated XML'),
  fc.tuple(validLat, validLon).map(([la, lo]) => ({ body: capAlert([`<info><area>${circleOf(la, lo).slice(6, -7)}</info></area>`]), why: 'wrong nesting' })),
  fc.tuple(validLat, validLon, fc.constantFrom('feed', 'Alert', 'alerts', 'rss')).map(([la, lo, root]) => ({ body: `<${root}>${capInfo([circleOf(la, lo)])}</${root}>`, why: `wrong root: <${root}>` })),
  validCap.map((t) => ({ body: t.replace(NS, 'urn:example:not-cap'), why: 'another namespace' })),
  validCap.map((t) => ({ body: t.replace('?>', '?><!DOCTYPE alert [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'), why: 'entity expansion (billion laughs)' })),
  validCap.map((t) => ({ body: t.replace('?>', '?><!DOCTYPE alert [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), why: 'external entity (XXE)' })),
  fc.integer({ min: 40, max: 3000 }).map((d) => ({ body: `<alert xmlns="${NS}">${'<info>'.repeat(d)}${'</info>'.repeat(d)}</alert>`, why: `deep nesting (${d} <info> levels)` })),
  randomBytes(/</g),
  empty,
);

// ---- Open311 --------------------------------------------------------------------------------
const badOpen311: fc.Arbitrary<[unknown, string]> = fc.oneof(
  fc.tuple(text, fc.string()).map(([name, address]) => pair({ service_request_id: 'R', service_name: name, address }, 'address only')),
  fc.tuple(outside(90), validLon).map(([lat, long]) => pair({ lat, long }, 'latitude out of range')),
  fc.tuple(validLat, outsideText(180)).map(([lat, long]) => pair({ lat: String(lat), long }, 'longitude out of range (text)')),
  fc.tuple(notDecimalText, validLon).map(([lat, long]) => pair({ lat, long }, `latitude "${lat}"`)),
  fc.tuple(fc.oneof(fc.boolean(), fc.array(validLat), fc.object(), fc.constant(null)), validLon).map(([lat, long]) => pair({ lat, long }, 'latitude of the wrong type')),
  fc.tuple(validLat, validLon, fc.constantFrom('description', 'service_name', 'phone', 'address'), fc.oneof(fc.boolean(), fc.object(), fc.array(fc.string(), { minLength: 1 })))
    .map(([lat, long, key, value]) => pair({ lat, long, [key]: value }, `${key} of the wrong type`)),
  fc.tuple(validLat, validLon).map(([lat, long]) => pair({ lat, long, requested_datetime: 'yesterday' }, 'bad requested_datetime')),
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)).map((v) => pair(v, 'not an object')),
);
const open311Payload: fc.Arbitrary<Bad> = fc.oneof(
  fc.array(badOpen311, { minLength: 1, maxLength: 5 }).map((rs) => ({ body: JSON.stringify(rs.map(([r]) => r)), why: `every request broken: ${rs.map(([, w]) => w).join('; ')}` })),
  badOpen311.map(([r, why]) => ({ body: JSON.stringify({ service_requests: [r] }), why: `wrapped: ${why}` })),
  badOpen311.filter(([r]) => typeof r === 'object' && r !== null).map(([r, why]) => ({ body: JSON.stringify(r), why: `single: ${why}` })),
  fc.constantFrom('[]', '{"service_requests":[]}', '{"service_requests":"none"}', '42', '"x"').map(bad('no service requests')),
  truncated(fc.tuple(validLat, validLon).map(([lat, long]) => JSON.stringify([{ service_request_id: '1', lat, long }])), 'truncated JSON'),
  fc.tuple(validLat, fc.constantFrom('NaN', 'Infinity', '1e999', '1' + '0'.repeat(400))).map(([lat, v]) => ({ body: `[{"lat": ${lat}, "long": ${v}}]`, why: `non-finite long: ${v.slice(0, 12)}` })),
  fc.integer({ min: 100, max: 3000 }).map((d) => ({ body: `${'['.repeat(d)}{"lat":30,"long":120}${']'.repeat(d)}`, why: `deep nesting (${d} arrays)` })),
  randomBytes(),
  empty,
);

const BY_FORMAT: Record<IntakeFormat, { arbitrary: fc.Arbitrary<Bad>; contentType: string; query: string }> = {
  json: { arbitrary: jsonPayload, contentType: 'application/json', query: '' },
  csv: { arbitrary: csvPayload, contentType: 'text/csv', query: '' },
  cap: { arbitrary: capPayload, contentType: 'application/cap+xml', query: '' },
  open311: { arbitrary: open311Payload, contentType: 'application/json', query: '?format=open311' },
};

/**
 * `count` payloads of one format, the same for the same `seed`, none holding a single valid record.
 * Send each as `POST /api/v1/incidents{query}` with `Content-Type: {contentType}`.
 */
export function malformedPayloads(format: IntakeFormat, count: number, seed: number): MalformedPayload[] {
  const { arbitrary, contentType, query } = BY_FORMAT[format];
  return fc.sample(arbitrary, { numRuns: count, seed }).map((p) => ({ ...p, contentType, query }));
}
