/**
 * Open311 XML: the fixtures in fixtures/open311/ (expected drafts written out by hand), the shapes
 * a body may have, fields as texts, and the raw scan's limits, on a small fixture with lowered
 * limits and on generated bodies with the defaults.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.ts';
import { open311Draft } from './open311.ts';
import { parseOpen311XmlIncidents, scanOpen311Xml } from './open311-xml.ts';
import { parseIntakeBody, type ParseOutcome } from './parse-body.ts';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const OPTIONS: IngestOptions = { nowMs: NOW };
const fixture = (name: string) => readFileSync(new URL(`./fixtures/open311/${name}`, import.meta.url), 'utf8');
const limits = (over: Partial<IntakeLimits>): IntakeLimits => ({ ...DEFAULT_INTAKE_LIMITS, ...over });

function batch(xml: string): ParsedBatch {
  const out = parseOpen311XmlIncidents(xml, OPTIONS);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
function fatal(xml: string): ErrorDetail[] {
  const out = parseOpen311XmlIncidents(xml, OPTIONS);
  if (!Array.isArray(out)) throw new Error(`expected a whole-payload error, got ${JSON.stringify(out)}`);
  return out;
}
const request = (fields: string) => `<request>${fields}<lat>30.27</lat><long>120.15</long></request>`;
const first = (xml: string) => batch(xml).drafts[0]?.draft;

describe('parseOpen311XmlIncidents: fixtures', () => {
  it('reads a single <request> root as one record, dropping the e-mail address and extensions', () => {
    const b = batch(fixture('single-request.xml'));
    expect(b.shape).toBe('single');
    expect(b.errors).toEqual([]);
    expect(b.drafts).toEqual([{
      index: 0,
      draft: {
        source: 'open311', externalId: '12345-2026-112300031', category: 'hotline', severity: 'unknown',
        geometry: { type: 'Point', coordinates: [120.1352, 30.2781] },
        // 01:10 at +08:00 is 17:10 UTC the day before.
        occurredAtMs: Date.UTC(2026, 10, 22, 17, 10),
        title: '噪音扰民', description: '夜间施工噪音', reporter: { name: '张三' },
        attributes: { service_code: 'NOISE-01', open311Status: 'open', updated_datetime: '2026-11-23T01:25:00+08:00', address: '西湖区文三路 259 号' },
        version: [Date.UTC(2026, 10, 22, 17, 25), 0],
        sourceStatus: 'open',
      },
    }]);
    expect(JSON.stringify(b)).not.toContain('zhangsan@example.com');
    expect(JSON.stringify(b)).not.toContain('ABC-DEVICE-42');
  });

  it('decodes entities and character references in text, keeps CDATA as written, and reads prefixed names', () => {
    const b = batch(fixture('entities.xml'));
    expect(b.shape).toBe('batch');
    expect(b.errors).toEqual([]);
    const [one, two] = b.drafts.map((d) => d.draft);
    expect(one).toMatchObject({
      externalId: 'E-1',
      title: 'Graffiti & Posters',
      // &#x202F; is the narrow no-break space, &#233; é, &#x6587; 文.
      description: 'Tag reads "<KING>" & it\'s 2\u202fm wide: café wall, 中文',
      attributes: { open311Status: 'Closed', address: "Rue de l'Église & 5th <corner>", status_notes: 'Removed today & repainted', updated_datetime: '2026-11-23T10:00:00Z' },
      sourceStatus: 'closed',
      version: [Date.UTC(2026, 10, 23, 10), 1],
      geometry: { type: 'Point', coordinates: [2.3522, 48.8566] },
    });
    expect(two).toMatchObject({ externalId: 'E-2', description: '&amp; stays as written in CDATA', version: [null, 0] });
    expect(two).not.toHaveProperty('sourceStatus');
  });

  it('converts a request exactly as the same request in JSON', () => {
    const json = {
      service_request_id: '12345-2026-112300031', status: 'open', service_name: '噪音扰民', service_code: 'NOISE-01', description: '夜间施工噪音',
      requested_datetime: '2026-11-23T01:10:00+08:00', updated_datetime: '2026-11-23T01:25:00+08:00', address: '西湖区文三路 259 号',
      lat: 30.2781, long: 120.1352, first_name: '张', last_name: '三', email: 'zhangsan@example.com',
    };
    expect(first(fixture('single-request.xml'))).toEqual(open311Draft(json, OPTIONS));
  });
});

describe('parseOpen311XmlIncidents: shapes', () => {
  it('reads every <request> of <service_requests> as a batch, and leaves other children unread', () => {
    const b = batch(`<service_requests>${request('<service_request_id>a</service_request_id>')}<note>x</note>${request('<service_request_id>b</service_request_id>')}</service_requests>`);
    expect(b.shape).toBe('batch');
    expect(b.drafts.map((d) => [d.index, d.draft.externalId])).toEqual([[0, 'a'], [1, 'b']]);
  });

  it.each([
    ['an empty body', '  ', '', 'the Open311 XML document is empty'],
    ['no request', '<?xml version="1.0"?><service_requests>\n</service_requests>', 'service_requests', 'there are no service requests (<request>) in the body'],
    ['an error response', '<errors><error><code>403</code><description>Invalid api_key</description></error></errors>', 'errors', 'the body is an Open311 error response (<errors>), not service requests'],
    ['another root', '<alert><info/></alert>', 'alert', 'the root element must be <service_requests> or <request>; found <alert>'],
    ['a cut-off body', '<service_requests><request><lat>1</lat>', '', 'the XML is malformed: it ends before closing <service_requests>, <request> (cut off?)'],
  ])('refuses %s as a whole', (_, xml, path, message) => {
    expect(fatal(xml)).toEqual([{ path, message }]);
  });

  it('refuses two root elements as malformed', () => {
    expect(fatal(`${request('')}${request('')}`)[0]?.message).toMatch(/^the XML is malformed at line 1, column \d+: Multiple possible root nodes found/);
  });

  it('refuses a DOCTYPE: no entity expansion, so no billion laughs and no external entities', () => {
    const laughs = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><request><description>&b;</description></request>';
    const external = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><request><description>&x;</description></request>';
    for (const xml of [laughs, external]) expect(fatal(xml)[0]?.message).toBe('Open311 XML must not contain a DOCTYPE or entity declarations');
  });

  it('answers, rather than throws, for nesting deeper than a request needs', () => {
    const deep = `<request>${'<x>'.repeat(40)}1${'</x>'.repeat(40)}<lat>1</lat><long>2</long></request>`;
    expect(fatal(deep)[0]?.message).toMatch(/^the XML cannot be read: /);
  });
});

describe('parseOpen311XmlIncidents: fields', () => {
  it('reads an empty element as not given', () => {
    expect(first(request('<service_name/><description></description><status></status>'))).toMatchObject({ title: '', description: '' });
    expect(first(request('<status/>'))).not.toHaveProperty('sourceStatus');
  });

  it('fails a record with a field given twice or holding markup, naming the field', () => {
    const b = batch(`<service_requests>${request('<status>open</status><status>closed</status>')}${request('<description>see <b>here</b></description>')}</service_requests>`);
    expect(b.errors.map((e) => [e.index, e.details.map((d) => d.path)])).toEqual([[0, ['status']], [1, ['description']]]);
    expect(b.errors[0]?.details[0]?.message).toBe('must be text (got ["open","closed"])');
  });

  it('refuses lat 0, long 0 in XML too, naming both fields', () => {
    const b = batch('<request><lat>0</lat><long>0.0</long></request>');
    expect(b.errors[0]?.details.map((d) => d.path)).toEqual(['lat', 'long']);
    expect(b.errors[0]?.details[0]?.message).toContain('0,0 is the placeholder for a request that was not geocoded');
  });

  it('reads elements named like Object members as fields, without touching Object.prototype', () => {
    const xml = request('<__proto__><polluted>yes</polluted></__proto__><constructor>c</constructor><toString>t</toString><service_request_id>p</service_request_id>');
    expect(first(xml)?.externalId).toBe('p');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Without an id the hash covers those fields too, so two such requests still differ.
    const a = first(request('<constructor>1</constructor>'))?.externalId;
    const b = first(request('<constructor>2</constructor>'))?.externalId;
    expect(a).toMatch(/^sha256:/);
    expect(a).not.toBe(b);
  });
});

describe('scanOpen311Xml on limits.xml, with lowered limits', () => {
  // limits.xml: <service_requests> and three <request>s of 3, 3 and 4 fields: 1 + 4 + 4 + 5 = 14 elements.
  // The third request, from <request> to </request>, is 9 + 44 + 15 + 18 + 60 + 10 = 156 bytes.
  const xml = fixture('limits.xml');

  it('passes it at the limits it meets exactly', () => {
    expect(scanOpen311Xml(xml, limits({ maxRecords: 3, capMaxElements: 14, maxFields: 4, maxRecordBytes: 156 }))).toBeNull();
  });

  it.each([
    ['maxRecords', { maxRecords: 2 }, 'request[3]', 'the body holds more than 2 service requests (limit INTAKE_MAX_RECORDS = 2)'],
    ['capMaxElements', { capMaxElements: 13 }, 'request[3]', 'the body has more than 13 XML elements (limit INTAKE_CAP_MAX_ELEMENTS = 13)'],
    ['maxFields', { maxFields: 3 }, 'request[3]/description', 'service request 3 has more than 3 fields (limit INTAKE_MAX_FIELDS = 3)'],
    ['maxRecordBytes', { maxRecordBytes: 155 }, 'request[3]', 'service request 3 is longer than 155 bytes (limit INTAKE_MAX_RECORD_KB = '],
  ])('refuses it one under %s, naming the limit and its setting', (_, over, path, message) => {
    const problem = scanOpen311Xml(xml, limits(over));
    expect(problem).toMatchObject({ kind: 'too_large', path });
    expect(problem?.message.startsWith(message)).toBe(true);
  });
});

describe('Open311 XML bodies over the default limits, through the parse worker code', () => {
  const job = (xml: string) => ({ format: 'open311-xml' as const, body: new TextEncoder().encode(xml), charset: 'utf-8', charsetGiven: false, limits: DEFAULT_INTAKE_LIMITS, options: OPTIONS, hashSource: null });
  const refusal = (outcome: ParseOutcome) => (outcome.type === 'refused' ? { code: outcome.code, message: outcome.message } : { code: 'parsed', message: '' });
  const many = (n: number, fields = '') => `<service_requests>${Array.from({ length: n }, (_, k) => `<request><service_request_id>${k}</service_request_id>${fields}<lat>30.1</lat><long>120.1</long></request>`).join('')}</service_requests>`;

  it('takes 20,000 requests and refuses 20,001, naming INTAKE_MAX_RECORDS', () => {
    expect(scanOpen311Xml(many(20_000), DEFAULT_INTAKE_LIMITS)).toBeNull();
    const out = refusal(parseIntakeBody(job(many(20_001))));
    expect(out.code).toBe('payload_too_large');
    expect(out.message).toContain('the body holds more than 20,000 service requests (limit INTAKE_MAX_RECORDS = 20,000)');
  });

  it('refuses more than 100,000 elements, naming INTAKE_CAP_MAX_ELEMENTS', () => {
    // 5,000 requests of 20 fields: 1 + 5,000 × 21 = 105,001 elements, each request within every other limit.
    const fields = Array.from({ length: 17 }, (_, k) => `<x${k}>v</x${k}>`).join('');
    const out = refusal(parseIntakeBody(job(many(5_000, fields))));
    expect(out.code).toBe('payload_too_large');
    expect(out.message).toContain('the body has more than 100,000 XML elements (limit INTAKE_CAP_MAX_ELEMENTS = 100,000)');
  });

  it('refuses a request of more than 100 fields, naming INTAKE_MAX_FIELDS', () => {
    const fields = Array.from({ length: 97 }, (_, k) => `<x${k}/>`).join('');
    expect(refusal(parseIntakeBody(job(many(1, fields)))).code).toBe('parsed'); // id + 97 + lat + long = 100
    const out = refusal(parseIntakeBody(job(many(1, `${fields}<one_more/>`))));
    expect(out.message).toContain('service request 1 has more than 100 fields (limit INTAKE_MAX_FIELDS = 100)');
  });

  it('refuses a text, and a request of short texts, longer than 64 kB, naming INTAKE_MAX_RECORD_KB', () => {
    const text = refusal(parseIntakeBody(job(many(1, `<description>${'y'.repeat(65 * 1024)}</description>`))));
    expect(text).toMatchObject({ code: 'payload_too_large' });
    expect(text.message).toContain('is longer than 64 kB (limit INTAKE_MAX_RECORD_KB = 64)');
    // 90 fields of 800 characters: each text is short, the request is 72,000+ bytes.
    const fields = Array.from({ length: 90 }, (_, k) => `<x${k}>${'z'.repeat(800)}</x${k}>`).join('');
    expect(refusal(parseIntakeBody(job(many(1, fields)))).message).toContain('service request 1 is longer than 64 kB (limit INTAKE_MAX_RECORD_KB = 64)');
  });

  it('refuses a 30 MB attribute on its length, before its end', () => {
    const xml = `<service_requests junk="${'A'.repeat(30 * 1024 * 1024)}">${request('')}</service_requests>`;
    const started = performance.now();
    expect(scanOpen311Xml(xml, DEFAULT_INTAKE_LIMITS)?.message).toContain('the tag <service_requests> with its attributes is longer than 64 kB');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('reads a body within the limits', () => {
    const outcome = parseIntakeBody(job(many(3)));
    expect(outcome.type === 'parsed' && !Array.isArray(outcome.parsed) && outcome.parsed.drafts.map((d) => d.draft.externalId)).toEqual(['0', '1', '2']);
  });
});
