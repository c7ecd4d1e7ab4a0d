import { describe, expect, it } from 'vitest';
import type { ErrorDetail } from '../contract/common.ts';
import { parseCsvIncidents } from './csv.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const OPTIONS: IngestOptions = { nowMs: NOW };

function batch(text: string, options: IngestOptions = OPTIONS): ParsedBatch {
  const out = parseCsvIncidents(text, options);
  if (Array.isArray(out)) throw new Error(`expected a batch, got ${JSON.stringify(out)}`);
  return out;
}
function fatal(text: string): ErrorDetail[] {
  const out = parseCsvIncidents(text, OPTIONS);
  if (!Array.isArray(out)) throw new Error(`expected a whole-payload error, got ${JSON.stringify(out)}`);
  return out;
}
const drafts = (text: string, options?: IngestOptions) => batch(text, options).drafts.map((d) => d.draft);

describe('parseCsvIncidents: syntax', () => {
  it('strips a UTF-8 BOM before the header', () => {
    expect(drafts('\uFEFFlat,lon\n30.1,120.2\n')[0]?.geometry).toEqual({ type: 'Point', coordinates: [120.2, 30.1] });
  });

  it('reads CRLF, LF and lone CR line ends alike', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      expect(drafts(['lat,lon,title', '30.1,120.2,a', '30.3,120.4,b'].join(eol) + eol).map((d) => d.title)).toEqual(['a', 'b']);
    }
  });

  it('reads quoted values with commas, doubled quotes and line breaks (CRLF kept as \\n)', () => {
    const [d] = drafts('lat,lon,title,description\r\n30.1,120.2,"西湖, 断桥","他说 ""快来""\r\n第二行"\r\n');
    expect(d?.title).toBe('西湖, 断桥');
    expect(d?.description).toBe('他说 "快来"\n第二行');
  });

  it('skips blank lines (also trailing ones and all-empty rows) without counting them', () => {
    const b = batch('lat,lon\n\n30.1,120.2\n,\n   \n999,120\n\n\n');
    expect(b.drafts.map((d) => d.index)).toEqual([0]);
    expect(b.errors.map((e) => e.index)).toEqual([1]);
  });

  it('refuses a row with text after a closing quote, naming the column, and reads on', () => {
    const b = batch('lat,lon,title\n30.1,120.2,"a"b\n30.1,120.2,ok\n');
    expect(b.errors).toEqual([{ index: 0, details: [{ path: 'title', message: expect.stringContaining('after its closing quote') }] }]);
    expect(b.drafts.map((d) => d.draft.title)).toEqual(['ok']);
  });

  it('keeps a quote inside an unquoted value as text, as spreadsheets do', () => {
    expect(drafts('lat,lon,title\n30.1,120.2,5" pipe\n')[0]?.title).toBe('5" pipe');
  });

  it('refuses a row whose number of values differs from the header', () => {
    const b = batch('lat,lon,title\n30.1,120.2\n30.1,120.2,a,b\n');
    expect(b.errors.map((e) => e.details[0]?.message)).toEqual([
      'line 2 has 2 values but the header has 3 columns; quote values that contain commas',
      'line 3 has 4 values but the header has 3 columns; quote values that contain commas',
    ]);
  });
});

describe('parseCsvIncidents: whole-payload errors', () => {
  it.each([
    ['empty', ''],
    ['blank lines', '\n\r\n  \n'],
    ['only a BOM', '\uFEFF'],
  ])('refuses an empty file (%s)', (_, text) => {
    expect(fatal(text)[0]?.message).toMatch(/empty/);
  });

  it('refuses a header without rows', () => {
    expect(fatal('lat,lon\r\n\r\n')).toEqual([{ path: '', message: 'the CSV file has a header but no rows' }]);
  });

  it('refuses a file without location columns, listing what it found', () => {
    expect(fatal('id,title\n1,a\n')[0]?.message).toBe('the header needs location columns lat and lon (or latitude and longitude); found: id, title');
  });

  it('names the missing half of a location', () => {
    expect(fatal('lat,title\n1,a\n')[0]?.path).toBe('lon');
    expect(fatal('longitude,title\n1,a\n')[0]?.path).toBe('lat');
  });

  it('hints at the separator when the header is one semicolon-separated cell', () => {
    expect(fatal('lat;lon\n30;120\n')[0]?.message).toMatch(/separated by commas/);
  });

  it('refuses two columns for the same field', () => {
    expect(fatal('lat,latitude,lon\n1,1,1\n')).toEqual([{ path: 'latitude', message: 'columns "lat" and "latitude" hold the same field; keep one of them' }]);
  });

  it('refuses a header with text after a closing quote', () => {
    expect(fatal('"lat"x,lon\n30,120\n')[0]?.message).toMatch(/^the header \(line 1\): column 1 has text after its closing quote/);
  });

  it('refuses a quote that never closes', () => {
    expect(fatal('lat,lon,title\n30,120,"oops\n30,120,x\n')[0]?.message).toMatch(/line 2 is never closed/);
  });
});

describe('parseCsvIncidents: columns and values', () => {
  it.each([
    ['lat', 'lon'], ['LAT', 'LNG'], [' Latitude ', ' Longitude '], ['lat', 'long'], ['latitude', 'lng'],
  ])('finds the location in %s / %s', (latName, lonName) => {
    expect(drafts(`${latName},${lonName}\n30.1,120.2\n`)[0]?.geometry.coordinates).toEqual([120.2, 30.1]);
  });

  it('maps known columns (aliases, any case) and keeps unknown ones as strings in attributes', () => {
    const text = 'External_ID,lat,lon,Category,SEVERITY,occurred_at,title,description,reporter_name,reporter_phone,source,district,empty\n'
      + 'X-1,30.1,120.2,Fire,Severe,2026-11-22T08:00:00+08:00,起火,三楼,王女士,13800000000,hz-119,西湖区,\n';
    expect(drafts(text)[0]).toEqual({
      source: 'hz-119', externalId: 'X-1', category: 'fire', severity: 'severe',
      geometry: { type: 'Point', coordinates: [120.2, 30.1] }, occurredAtMs: Date.parse('2026-11-22T00:00:00Z'),
      title: '起火', description: '三楼', reporter: { name: '王女士', phone: '13800000000' }, attributes: { district: '西湖区' },
    });
  });

  it('keeps columns named like Object properties (constructor, toString, __proto__) as attributes', () => {
    const [d] = drafts('lat,lon,constructor,toString,__proto__,hasOwnProperty\n30,120,a,b,c,d\n');
    expect(JSON.parse(JSON.stringify(d?.attributes))).toEqual(JSON.parse('{"constructor":"a","toString":"b","__proto__":"c","hasOwnProperty":"d"}'));
    expect(d?.category).toBe('other');
  });

  it('takes the id from "id" and the time from "time" too', () => {
    const [d] = drafts('id,time,lat,lon\n7,1795300000000,30,120\n');
    expect([d?.externalId, d?.occurredAtMs]).toEqual(['7', 1795300000000]);
  });

  it('uses ?source= for rows without a source, then "csv"', () => {
    const text = 'source,lat,lon\n,30,120\nown,30,120\n';
    expect(drafts(text, { ...OPTIONS, defaultSource: 'hz-12345' }).map((d) => d.source)).toEqual(['hz-12345', 'own']);
    expect(drafts(text).map((d) => d.source)).toEqual(['csv', 'own']);
  });

  it('defaults: category other, severity unknown, time of receipt, no reporter', () => {
    expect(drafts('lat,lon\n30,120\n')[0]).toMatchObject({ category: 'other', severity: 'unknown', occurredAtMs: NOW, reporter: null, title: '' });
  });

  it('gives rows without an id a content hash: same cells, same id, whatever the column order', () => {
    const [a, b] = drafts('lat,lon,title\n30,120,a\n30,120,b\n');
    const [c] = drafts('title,lon,lat\na,120,30\n');
    expect(a?.externalId).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(a?.externalId).not.toBe(b?.externalId);
    expect(c?.externalId).toBe(a?.externalId);
  });

  it('accepts "2026-11-22 08:00:00+08:00" (a space for the T) and refuses a time without zone', () => {
    const b = batch('lat,lon,time\n30,120,2026-11-22 08:00:00+08:00\n30,120,2026-11-22 08:00:00\n');
    expect(b.drafts[0]?.draft.occurredAtMs).toBe(Date.parse('2026-11-22T00:00:00Z'));
    expect(b.errors[0]?.details[0]?.path).toBe('time');
  });

  it.each(['NaN', 'Infinity', '1e999', '1e2', '0x1E', '30,5', '', '--1', '.'])('refuses the latitude %j', (lat) => {
    const text = `lat,lon\n${lat.includes(',') ? `"${lat}"` : lat},120\n`;
    expect(batch(text).errors[0]?.details[0]?.path).toBe('lat');
  });

  it.each(['30', '-30.5', '+30.25', '.5', '30.', ' 30.1 '])('accepts the plain decimal %j', (lat) => {
    expect(batch(`lat,lon\n${lat},120\n`).drafts).toHaveLength(1);
  });

  it('suggests swapped columns for a latitude of 120 beside a longitude of 30', () => {
    expect(batch('lat,lon\n120.2,30.1\n').errors[0]?.details).toEqual([
      { path: 'lat', message: 'the latitude 120.2 is outside [-90, 90]; are latitude and longitude swapped?' },
    ]);
  });

  it('reports every wrong field of a row, by column name as written', () => {
    const b = batch('Lat,Lon,Category,Severity\n91,181,火灾,high\n');
    expect(b.errors[0]?.details.map((d) => d.path)).toEqual(['Lat', 'Lon', 'Category', 'Severity']);
  });

  it('applies the JSON limits to text columns', () => {
    expect(batch(`lat,lon,title\n30,120,${'长'.repeat(501)}\n`).errors[0]?.details).toEqual([
      { path: 'title', message: 'is 501 characters long; at most 500 are allowed' },
    ]);
  });

  it('keeps a value under an unnamed header column', () => {
    expect(drafts('lat,lon,\n30,120,x\n')[0]?.attributes).toEqual({ 'column 3': 'x' });
  });
});
