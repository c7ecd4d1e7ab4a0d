/**
 * The public parcel page: rendering of hand-made parcels (both languages, escaping, no personal
 * data) and the `/p` routes on a real store (found, not found, mistyped, look-up form redirects).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_NAMES, type ParcelDetail } from '../contract/parcels.ts';
import { formatLandCode } from '../contract/land-code.ts';
import { lookupPageHtml, parcelPageHtml, type PageContext } from './parcel-page/html.ts';
import { PRIVATE_NOTE, RECORDER, startPageServer, type PageServer } from './parcel-page/test-fixtures.ts';
import { emptyStoreDir } from '../../test/support/server.ts';

const ZH: PageContext = { lang: 'zh-CN', basePath: '/p', timeZone: 'Asia/Shanghai' };
const EN: PageContext = { ...ZH, lang: 'en' };

function detail(overrides: Partial<ParcelDetail['properties']> = {}): ParcelDetail {
  return {
    type: 'Feature',
    id: '330106-2026-00042-0',
    geometry: { type: 'Polygon', coordinates: [[[120.15, 30.27], [120.151, 30.27], [120.151, 30.271], [120.15, 30.27]]] },
    properties: {
      code: '330106-2026-00042-0',
      regionCode: '330106',
      landUse: '05',
      hazardous: false,
      stage: 'supplied',
      name: '文三路商业地块',
      address: '西湖区文三路 1 号',
      areaM2: 12_345.6,
      center: [120.1505, 30.2703],
      createdAt: '2026-02-28T02:30:00.000Z',
      updatedAt: '2026-03-01T02:30:00.000Z',
      synthetic: false,
      seq: 7,
      ...overrides,
    },
    steps: [
      { seq: 3, step: 'planned', department: '规划和自然资源局', actor: { name: '王五', role: 'planner' }, at: '2026-02-28T02:30:00.000Z', documents: [{ title: '控制性详细规划批复', number: '杭规〔2026〕7号', issuedAt: '2026-02-20' }], note: '联系王五 139' },
      { seq: 7, step: 'supplied', department: '公共资源交易中心', actor: { name: '赵六', role: 'planner' }, at: '2026-03-01T02:30:00.000Z', documents: [{ title: '国有建设用地使用权出让合同', number: '3301062026A0042', issuedAt: '2026-02-28T20:00:00Z' }], note: null },
    ],
    nextStep: 'planning_permit',
  };
}

const stageElement = (html: string): string => /<div class="stage" data-testid="parcel-stage"[^>]*>.*?<\/div>/s.exec(html)?.[0] ?? '';

describe('parcelPageHtml', () => {
  it('shows code, name, land use, current stage, next step, area, region and location in Chinese by default', () => {
    const html = parcelPageHtml(detail(), ZH);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>330106-2026-00042-0 · 文三路商业地块 · 城市大脑 · 土地码</title>');
    expect(stageElement(html)).toContain('data-stage="supplied"');
    expect(stageElement(html)).toContain(STAGE_NAMES.supplied['zh-CN']);
    expect(html).toContain(`下一步：${STAGE_NAMES.planning_permit['zh-CN']}`);
    expect(html).toContain('<dd>05 商服用地</dd>');
    expect(html).toContain('<dd>12,346 平方米（1.23 公顷）</dd>');
    expect(html).toContain('<dd>330106</dd>');
    expect(html).toContain('<dd>北纬 30.27030°，东经 120.15050°</dd>');
    expect(html.match(/<li class="done">/g)).toEqual(['<li class="done">']);
    expect(html).toContain('<li class="done">控规赋码</li>');
    expect(html).toMatch(/<li class="current" aria-current="step">土地供应/);
  });

  it('speaks English with lang=en', () => {
    const html = parcelPageHtml(detail(), EN);
    expect(html).toContain('<html lang="en">');
    expect(stageElement(html)).toContain('Land supplied (grant / allocation)');
    expect(html).toContain('<dd>05 Commercial &amp; services</dd>');
    expect(html).toContain('<dd>12,346 m² (1.23 ha)</dd>');
    expect(html).toContain('<dd>30.27030° N, 120.15050° E</dd>');
    expect(html).toContain('Next step: Planning permit');
  });

  it('lists every step with department, local time and documents, but never the actor or the note', () => {
    const html = parcelPageHtml(detail(), ZH);
    const timeline = /<ol class="timeline".*?<\/ol>\n/s.exec(html)?.[0] ?? '';
    expect(timeline.match(/<li data-step=/g)).toHaveLength(2);
    expect(timeline.indexOf('data-step="planned"')).toBeLessThan(timeline.indexOf('data-step="supplied"'));
    // 02:30 UTC is 10:30 in Asia/Shanghai (UTC+8, no DST).
    expect(timeline).toContain('>2026-03-01 10:30</time> · 部门：公共资源交易中心');
    // Ten digits in a row could be a phone or account number: masked like any free text on this page
    // (the last third kept), as is done by hand here.
    expect(timeline).toContain('国有建设用地使用权出让合同 <span class="number">*******026A0042</span>');
    // A date-time issue date is shown as the local date: 20:00 UTC on the 28th is the 1st in Shanghai.
    expect(timeline).toContain('签发日期 2026-03-01');
    expect(timeline).toContain('签发日期 2026-02-20');
    for (const personal of ['王五', '赵六', '139', 'planner']) expect(html).not.toContain(personal);
  });

  it('labels synthetic and hazardous parcels, and only those', () => {
    const plain = parcelPageHtml(detail(), ZH);
    expect(plain).not.toContain('data-testid="parcel-synthetic"');
    expect(plain).not.toContain('class="flag hazardous"');
    const flagged = parcelPageHtml(detail({ synthetic: true, hazardous: true }), EN);
    expect(flagged).toContain('Demo data: this parcel is synthetic, not a real parcel.');
    expect(flagged).toContain('Hazardous (e.g. chemical storage)');
  });

  it('says the last stage is reached once supervised', () => {
    const html = parcelPageHtml({ ...detail({ stage: 'supervised' }), nextStep: null }, EN);
    expect(html).toContain('All stages completed');
    expect(html.match(/<li class="done">/g)).toHaveLength(6);
  });

  it('escapes everything that comes from the store', () => {
    const evil = '<script>alert("x")</script>&\'';
    const d = detail({ name: evil, address: evil });
    d.steps[1]!.department = evil;
    d.steps[1]!.documents[0] = { title: evil, number: evil, issuedAt: '2026-02-28' };
    const html = parcelPageHtml(d, ZH);
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;');
  });

  it('has no script, and no inline style attributes (so a strict CSP can apply)', () => {
    const html = parcelPageHtml(detail({ synthetic: true, hazardous: true }), ZH) + lookupPageHtml({ kind: 'invalid', typed: 'x', message: 'm', detail: 'd' }, ZH);
    expect(html).not.toMatch(/<script|\son\w+=|\sstyle=|javascript:/i);
  });
});

describe('lookupPageHtml', () => {
  it('puts the typed code back into a GET form to the mount path, keeping the language', () => {
    const html = lookupPageHtml({ kind: 'invalid', typed: '330106-2026-00042-"9', message: 'wrong' }, EN);
    expect(html).toContain('<form method="get" action="/p"');
    expect(html).toContain('value="330106-2026-00042-&quot;9"');
    expect(html).toContain('<input type="hidden" name="lang" value="en">');
    expect(lookupPageHtml({ kind: 'none' }, ZH)).not.toContain('name="lang"');
  });
});

describe('/p routes on a real store', () => {
  let s: PageServer;
  let code = '';
  beforeAll(async () => {
    // A copy of the run's migrated empty store: initdb in WASM would take 8–25 s.
    s = await startPageServer(await emptyStoreDir());
    code = (await s.addParcel({ name: '文三路 <东> 地块', synthetic: true })).properties.code;
    await s.step(code, { step: 'supplied', department: '公共资源交易中心', documents: [{ title: '出让合同', number: 'HZ-2026-0042', issuedAt: '2026-03-02' }], note: PRIVATE_NOTE });
  });
  afterAll(() => s?.close());

  const get = (route: string) => fetch(`${s.url}${route}`, { redirect: 'manual' });

  it('serves the page without a token, with its current stage and a strict CSP matching its inline style', async () => {
    const res = await get(`/p/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(stageElement(html)).toContain('data-stage="supplied"');
    expect(html).toContain('文三路 &lt;东&gt; 地块');
    expect(html).toContain('data-testid="parcel-synthetic"');
    expect(html).toContain('HZ-2026-0042');
    expect(html).not.toContain(RECORDER.name);
    expect(html).not.toContain(PRIVATE_NOTE);
    const style = /<style>(.*?)<\/style>/s.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(res.headers.get('content-security-policy')).toContain(`style-src 'sha256-${hash}'`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('speaks English with ?lang=en', async () => {
    const html = await (await get(`/p/${code}?lang=en`)).text();
    expect(stageElement(html)).toContain('Land supplied');
  });

  it('answers 404 saying no parcel has a well-formed code that was never issued', async () => {
    const unknown = formatLandCode({ adcode: '330106', year: 2026, seq: 99_999 });
    const res = await get(`/p/${unknown}?lang=en`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain(`No parcel has the land code ${unknown}`);
    expect(html).toContain(`value="${unknown}"`);
    expect((await (await get(`/p/${unknown}`)).text())).toContain(`没有地块使用土地码 ${unknown}`);
  });

  it('answers 404 saying the check character is wrong for a mistyped code, with a form to type it again', async () => {
    const wrong = code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');
    const res = await get(`/p/${wrong}?lang=en`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/check character/);
    expect(html).toContain(`value="${wrong}"`);
    const zh = await (await get(`/p/${wrong}`)).text();
    expect(zh).toContain(`校验位是 ${wrong.at(-1)}，但按其数字应为 ${code.at(-1)}`);
    expect(zh).toContain('check character'); // parseLandCode's own words, below the translation
  });

  it('answers 404 with the expected shape for text that is no land code at all', async () => {
    const res = await get(`/p/${encodeURIComponent('<hello>')}?lang=en`);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('&quot;&lt;hello&gt;&quot; is not a land code');
    expect(html).not.toContain('<hello>');
  });

  it('redirects the look-up form (GET /p?code=) to /p/{code}, keeping lang=en', async () => {
    const res = await get(`/p?code=${encodeURIComponent(` ${code} `)}&lang=en`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/p/${code}?lang=en`);
    const odd = await get(`/p?code=${encodeURIComponent('a/b?c')}`);
    expect(odd.headers.get('location')).toBe('/p/a%2Fb%3Fc');
  });

  it('sends a lower-case check character x to the canonical address', async () => {
    const withX = '330106-2026-00005-X'; // ISO 7064 MOD 11-2 over 330106202600005 gives 10, written X (worked out by hand)
    const res = await get(`/p/${withX.toLowerCase()}`);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe(`/p/${withX}`);
  });

  it('shows the empty look-up form at /p and refuses an empty code', async () => {
    const form = await get('/p');
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('<form method="get" action="/p"');
    const empty = await get('/p?code=%20');
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('未输入土地码');
  });
});
