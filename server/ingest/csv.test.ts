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
    expect(drafts(`${latName},${lonName}\n30.1,120.2\n`)[0]?.geometry?.coordinates).toEqual([120.2, 30.1]);
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
    const b = batch('Lat,Lon,Category,Severity\n91,181,blaze,high\n');
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

/** A version element the row did not give. */
const NOT_GIVEN = null;
/** 2026-11-23 08:00 in Beijing (+08:00), worked out by hand: midnight UTC. */
const EIGHT_AM_BEIJING = Date.UTC(2026, 10, 23, 0, 0, 0);

describe('parseCsvIncidents: version, status and drill', () => {
  it.each(['updatedAt', 'updated_at', 'UpdatedAt', '更新时间'])('reads the update time from "%s" as [not given, updatedAt]', (column) => {
    expect(drafts(`lat,lon,${column}\n30,120,2026-11-23 08:00:00+08:00\n`)[0]?.version).toEqual([NOT_GIVEN, EIGHT_AM_BEIJING]);
  });

  it('reads version as [version, not given], and both as [version, updatedAt]', () => {
    expect(drafts('lat,lon,version\n30,120,3\n')[0]?.version).toEqual([3, NOT_GIVEN]);
    expect(drafts('lat,lon,version,updatedAt\n30,120,2,1795392000000\n')[0]?.version).toEqual([2, 1795392000000]);
  });

  it('leaves version, status and drill out when the cells are blank or the columns absent', () => {
    for (const text of ['lat,lon,version,updatedAt,status,drill\n30,120,,,,\n', 'lat,lon\n30,120\n']) {
      const [d] = drafts(text);
      expect(d && ['version', 'sourceStatus', 'drill'].filter((k) => k in d)).toEqual([]);
    }
  });

  it('refuses a version that is not a plain number and an update time without zone, naming the column as written', () => {
    const b = batch('lat,lon,Version,updated_at\n30,120,v2,2026-11-23 08:00:00\n');
    expect(b.drafts).toEqual([]);
    expect(b.errors[0]?.details).toHaveLength(2);
    expect(b.errors[0]?.details).toEqual(expect.arrayContaining([
      { path: 'updated_at', message: expect.stringContaining('has no time zone') },
      { path: 'Version', message: '"v2" is not a version; write a plain number like 3' },
    ]));
  });

  it.each([
    ['open', 'open'], ['Closed', 'closed'], ['CANCELLED', 'cancelled'],
    ['开放', 'open'], ['处理中', 'open'], ['已办结', 'closed'], ['已关闭', 'closed'], ['已撤销', 'cancelled'], ['已取消', 'cancelled'],
    ['automatic', 'open'], ['reviewed', 'open'], ['deleted', 'cancelled'],
  ])('reads status %s as %s', (word, status) => {
    expect(drafts(`lat,lon,status\n30,120,${word}\n`)[0]?.sourceStatus).toBe(status);
    expect(drafts(`lat,lon,状态\n30,120,${word}\n`)[0]?.sourceStatus).toBe(status);
  });

  it('refuses any other status, listing the words it takes', () => {
    expect(batch('lat,lon,status\n30,120,resolved\n').errors[0]?.details).toEqual([{
      path: 'status',
      message: '"resolved" is not a status; use one of open, closed, cancelled, 开放, 处理中, 已办结, 已关闭, 已撤销, 已取消, automatic, reviewed, deleted',
    }]);
    expect(batch('lat,lon,状态\n30,120,待处理\n').errors[0]?.details[0]?.path).toBe('状态');
  });

  it.each([['true', true], ['FALSE', false], ['1', true], ['0', false], ['Yes', true], ['no', false]])('reads drill %s as %s', (word, drill) => {
    expect(drafts(`lat,lon,drill\n30,120,${word}\n`)[0]?.drill).toBe(drill);
  });

  it('refuses any other drill value, listing the words it takes', () => {
    expect(batch('lat,lon,drill\n30,120,maybe\n').errors[0]?.details).toEqual([
      { path: 'drill', message: '"maybe" is not true or false; use one of true, false, yes, no, 1, 0' },
    ]);
  });

  it('keeps none of these columns in attributes', () => {
    expect(drafts('lat,lon,version,updatedAt,status,drill\n30,120,1,0,open,no\n')[0]?.attributes).toEqual({});
  });
});

describe('parseCsvIncidents: a command centre export with Chinese headers', () => {
  const header = '事件编号,纬度,经度,事件类型,严重程度,发生时间,标题,描述,地址,更新时间,状态,所属区';

  it('maps every Chinese column', () => {
    const text = `${header}\nHZ-9,30.2741,120.1551,火灾,严重,2026-11-23 08:00:00+08:00,武林广场火情,三楼冒烟,延安路 1 号,2026-11-23T01:00:00Z,处理中,上城区\n`;
    expect(drafts(text)[0]).toEqual({
      source: 'csv', externalId: 'HZ-9', category: 'fire', severity: 'severe',
      geometry: { type: 'Point', coordinates: [120.1551, 30.2741] }, occurredAtMs: EIGHT_AM_BEIJING,
      title: '武林广场火情', description: '三楼冒烟', reporter: null,
      attributes: { address: '延安路 1 号', 所属区: '上城区' },
      version: [NOT_GIVEN, EIGHT_AM_BEIJING + 3_600_000], sourceStatus: 'open',
    });
  });

  it('takes 编号 for the id and 内容 for the description', () => {
    expect(drafts('编号,纬度,经度,内容\nA-1,30,120,漏水\n')[0]).toMatchObject({ externalId: 'A-1', description: '漏水' });
  });

  it.each([
    ['火灾', 'fire'], ['洪涝', 'flood'], ['内涝', 'flood'], ['交通', 'traffic'], ['交通事故', 'traffic'], ['危化品', 'hazmat'],
    ['公共卫生', 'public_health'], ['治安', 'public_security'], ['基础设施', 'infrastructure'], ['地震', 'earthquake'],
    ['12345', 'hotline'], ['热线', 'hotline'], ['其他', 'other'], ['Public_Health', 'public_health'],
  ])('reads the category %s as %s, under either header', (word, category) => {
    expect(drafts(`纬度,经度,事件类型\n30,120,${word}\n`)[0]?.category).toBe(category);
    expect(drafts(`lat,lon,category\n30,120,${word}\n`)[0]?.category).toBe(category);
  });

  it.each([
    ['特别严重', 'extreme'], ['特大', 'extreme'], ['严重', 'severe'], ['重大', 'severe'], ['较重', 'moderate'], ['较大', 'moderate'],
    ['一般', 'minor'], ['未知', 'unknown'], ['Extreme', 'extreme'],
  ])('reads the severity %s as %s, under either header', (word, severity) => {
    expect(drafts(`纬度,经度,严重程度\n30,120,${word}\n`)[0]?.severity).toBe(severity);
    expect(drafts(`lat,lon,severity\n30,120,${word}\n`)[0]?.severity).toBe(severity);
  });

  it('names the Chinese column in every error of a row', () => {
    const b = batch('纬度,经度,事件类型,严重程度,发生时间\n91,120,爆炸,很严重,2026-11-23 08:00:00\n');
    expect(b.errors[0]?.details.map((d) => d.path)).toEqual(['纬度', '事件类型', '严重程度', '发生时间']);
  });

  it('lists our words and the Chinese ones when a category or severity is unknown', () => {
    const [category, severity] = batch('纬度,经度,事件类型,严重程度\n30,120,爆炸,很严重\n').errors[0]?.details ?? [];
    expect(category?.message).toBe('"爆炸" is not a category; use one of fire, flood, traffic, hazmat, public_health, public_security, infrastructure, earthquake, hotline, other, 火灾, 洪涝, 内涝, 交通, 交通事故, 危化品, 公共卫生, 治安, 基础设施, 地震, 12345, 热线, 其他');
    expect(severity?.message).toBe('"很严重" is not a severity; use one of unknown, minor, moderate, severe, extreme, 特别严重, 特大, 严重, 重大, 较重, 较大, 一般, 未知');
  });

  it('refuses a 发生时间 without zone, asking for one, rather than guessing Beijing time', () => {
    expect(batch('纬度,经度,发生时间\n30,120,2026-11-23 08:00:00\n').errors[0]?.details).toEqual([{
      path: '发生时间',
      message: '"2026-11-23 08:00:00" has no time zone, so the instant is ambiguous; add one, e.g. 2026-11-23 08:00:00+08:00 for Beijing time or 2026-11-23 08:00:00Z for UTC',
    }]);
  });

  it('refuses 地址 beside address, and 编号 beside id: each pair holds one field', () => {
    expect(fatal('纬度,经度,address,地址\n30,120,a,b\n')[0]).toEqual({ path: '地址', message: 'columns "address" and "地址" hold the same field; keep one of them' });
    expect(fatal('id,纬度,经度,编号\n1,30,120,2\n')[0]?.path).toBe('编号');
  });

  it('names the missing half of a location with the Chinese name among the others', () => {
    expect(fatal('纬度,标题\n30,a\n')[0]).toEqual({ path: 'lon', message: 'the header has no longitude column (lon, lng, long, longitude or 经度), so no row can be placed on the map' });
  });
});
