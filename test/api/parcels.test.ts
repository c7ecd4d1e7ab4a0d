/**
 * Land-code parcels through the public contract (docs/domain.md §6): code issue and check characters,
 * the lifecycle (no skips, no reversals, append-only history), bad geometry, concurrent issue.
 * Expected check characters come from the formula written again in this file.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, LogEvent, ParcelDetail, ParcelFeature, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

/** ISO 7064 MOD 11-2 as docs/domain.md §6.1 writes it. */
function checkChar(digits: string): string {
  let p = 0;
  for (const d of digits) p = ((p + Number(d)) * 2) % 11;
  const c = (12 - p) % 11;
  return c === 10 ? 'X' : String(c);
}

const box = (w: number, s: number, size: number) => [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]];
const CITY = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 800_000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.1, 30, 0.1) }, properties: { code: '330108', name: '滨江区', population: 500_000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.2, 30, 0.1) }, properties: { code: 'ZONE-A', name: 'Zone A', population: 1000 } },
  ],
};

const parcelAt = (lon: number, lat: number, landUse = '07', extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: box(lon, lat, 0.001) },
  properties: { landUse, name: `parcel at ${lon},${lat}`, ...extra },
});

const doc = (title: string, number: string, issuedAt: string) => ({ title, number, issuedAt });

describe('land-code parcels', () => {
  let s: TestServer;
  let first: ParcelFeature;

  beforeAll(async () => {
    s = await startTestServer();
    expect((await api(s, 'PUT', '/api/v1/regions', CITY)).status).toBe(200);
  });
  afterAll(() => s?.close());

  it('issues a valid code from the region the parcel lies in, this year, sequence 1', async () => {
    const res = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.05, 30.05));
    expect(res.status).toBe(201);
    first = res.body;
    const code = first.properties.code;
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    expect(code).toBe(`330106-${year}-00001-${checkChar(`330106${year}00001`)}`);
    expect(res.headers.get('location')).toBe(`/api/v1/parcels/${code}`);
    expect(first.properties).toMatchObject({ regionCode: '330106', landUse: '07', stage: 'planned', hazardous: false });
    // ~ 0.001° × 0.001° at 30° N: 111.2 km × 96.3 km per degree → about 10,700 m².
    expect(first.properties.areaM2).toBeGreaterThan(10_000);
    expect(first.properties.areaM2).toBeLessThan(11_500);
    // The region can also be given; then it wins.
    const given = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.05, 30.06, '05', { regionCode: '330108' }));
    expect(given.body.properties.code).toMatch(/^330108-\d{4}-00001-[0-9X]$/);
  });

  it('detects every single-digit change of an issued code by its check character', async () => {
    const code = first.properties.code;
    const digits = code.replace(/-/g, '').slice(0, 15);
    let tried = 0;
    for (let i = 0; i < 15; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const changed = digits.slice(0, i) + d + digits.slice(i + 1);
        const typed = `${changed.slice(0, 6)}-${changed.slice(6, 10)}-${changed.slice(10, 15)}-${code.at(-1)}`;
        tried++;
        // Independent of the server: the formula itself says the typed code is wrong …
        expect(checkChar(changed)).not.toBe(code.at(-1));
        // … and the server refuses it as mistyped, not just "not found".
        const res = await api(s, 'GET', `/api/v1/parcels/${typed}`);
        expect(res.status).toBe(404);
        if (changed.slice(10, 15) !== '00000' && !changed.slice(6, 10).startsWith('0')) expect(res.body.error.message).toMatch(/check character/);
      }
    }
    expect(tried).toBe(135);
    expect((await api(s, 'GET', `/api/v1/parcels/${code}`)).status).toBe(200);
  });

  it('never issues a sequence twice, also under 40 concurrent requests', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => api(s, 'POST', '/api/v1/parcels', parcelAt(120.02 + i * 0.0015, 30.02))));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const codes = answers.map((a) => a.body.properties.code as string);
    expect(new Set(codes).size).toBe(40);
    const seqs = codes.map((c) => Number(c.split('-')[2])).sort((a, b) => a - b);
    // Sequence 1 went to the first parcel of 330106: these are 2..41, without gaps.
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    for (const c of codes) expect(c.at(-1)).toBe(checkChar(c.replace(/-/g, '').slice(0, 15)));
  });

  it('steps through the lifecycle; skips and reversals are 409 naming the expected step', async () => {
    const code = first.properties.code;
    const step = (body: unknown) => api(s, 'POST', `/api/v1/parcels/${code}/steps`, body);
    const skip = await step({ step: 'planning_permit', department: '自然资源和规划局', documents: [doc('建设工程规划许可证', '建字第1号', '2026-01-05')] });
    expect(skip.status).toBe(409);
    expect(skip.body.error.message).toMatch(/"supplied"/);
    const plan = [
      ['supplied', '公共资源交易中心', doc('国有建设用地使用权出让合同', '杭出让〔2026〕7号', '2026-02-01')],
      ['planning_permit', '自然资源和规划局', doc('建设工程规划许可证', '建字第330106202600012号', '2026-03-10')],
      ['construction_permit', '住房和城乡建设局', doc('建筑工程施工许可证', '330106202604150101', '2026-04-15')],
      ['completed', '住房和城乡建设局', doc('竣工验收备案表', '杭竣备〔2026〕88号', '2026-09-30')],
    ] as const;
    for (const [name, department, document] of plan) {
      const res = await step({ step: name, department, documents: [document] });
      expect(res.status, name).toBe(201);
      expect(res.body.parcel.properties.stage).toBe(name);
    }
    const back = await step({ step: 'supplied', department: '公共资源交易中心', documents: [doc('x', 'y', '2026-10-01')] });
    expect(back.status).toBe(409);
    expect(back.body.error.message).toMatch(/goes back/);
    expect(back.body.error.message).toMatch(/"registered"/);
    const again = await step({ step: 'completed', department: '住房和城乡建设局', documents: [doc('x', 'y', '2026-10-01')] });
    expect(again.status).toBe(409);

    const detail = (await api(s, 'GET', `/api/v1/parcels/${code}`)).body as ParcelDetail;
    expect(detail.properties.stage).toBe('completed');
    expect(detail.nextStep).toBe('registered');
    expect(detail.steps.map((x) => x.step)).toEqual(['planned', 'supplied', 'planning_permit', 'construction_permit', 'completed']);
    expect(detail.steps.slice(1).map((x) => [x.department, x.documents])).toEqual(plan.map(([, department, document]) => [department, [document]]));
    const times = detail.steps.map((x) => Date.parse(x.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('keeps the history append-only: no route edits or deletes a step', async () => {
    const code = first.properties.code;
    const before = (await api(s, 'GET', `/api/v1/parcels/${code}`)).body.steps;
    for (const [method, route] of [
      ['PUT', `/api/v1/parcels/${code}/steps`],
      ['PATCH', `/api/v1/parcels/${code}/steps`],
      ['DELETE', `/api/v1/parcels/${code}/steps`],
      ['DELETE', `/api/v1/parcels/${code}/steps/1`],
      ['PATCH', `/api/v1/parcels/${code}/steps/1`],
      ['DELETE', `/api/v1/parcels/${code}`],
    ] as const) {
      const res = await api(s, method, route, method === 'DELETE' ? undefined : { step: 'planned' });
      expect(res.status, `${method} ${route}`).toBe(405);
      expect(res.body.error.message).toMatch(/append-only|never deleted/);
    }
    expect((await api(s, 'GET', `/api/v1/parcels/${code}`)).body.steps).toEqual(before);
  });

  it('refuses bad parcels saying where, and stores nothing', async () => {
    const count = async () => (await api(s, 'GET', '/api/v1/parcels?limit=10000')).body.features.length;
    const before = await count();
    const bowTie = { type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[120.01, 30.01], [120.02, 30.02], [120.02, 30.01], [120.01, 30.02], [120.01, 30.01]]] }, properties: { landUse: '06' } };
    const crossing = await api(s, 'POST', '/api/v1/parcels', bowTie);
    expect(crossing.status).toBe(400);
    expect(crossing.body.error.details[0].path).toBe('geometry.coordinates.0');
    expect(crossing.body.error.message).toMatch(/crosses itself near \[120\.015, 30\.015\]/);
    const open = await api(s, 'POST', '/api/v1/parcels', { ...bowTie, geometry: { type: 'Polygon', coordinates: [[[120.01, 30.01], [120.02, 30.01], [120.02, 30.02], [120.01, 30.02]]] } });
    expect(open.status).toBe(400);
    expect(open.body.error.message).toMatch(/not closed/);
    const landUse = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.05, 30.07, '13'));
    expect(landUse.status).toBe(400);
    expect(landUse.body.error.details.map((d: { path: string }) => d.path)).toContain('properties.landUse');
    const outside = await api(s, 'POST', '/api/v1/parcels', parcelAt(121.5, 31.5));
    expect(outside.status).toBe(400);
    expect(outside.body.error.details[0].path).toBe('regionCode');
    const badRegion = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.25, 30.05));
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.message).toMatch(/not a 6-digit/);
    const typo = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.05, 30.07, '07', { lnadUse: '07' }));
    expect(typo.status).toBe(400);
    expect(await count()).toBe(before);
    // Steps: documents are required, and a viewer may not step.
    const code = first.properties.code;
    expect((await api(s, 'POST', `/api/v1/parcels/${code}/steps`, { step: 'registered', department: '不动产登记中心', documents: [] })).status).toBe(400);
    const viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby' })).body.token;
    expect((await api(s, 'POST', `/api/v1/parcels/${code}/steps`, { step: 'registered', department: '不动产登记中心', documents: [doc('不动产权证书', '浙(2026)杭州市不动产权第1号', '2026-11-01')] }, { token: viewer })).status).toBe(403);
    expect((await api(s, 'POST', '/api/v1/parcels', parcelAt(120.05, 30.08), { token: viewer })).status).toBe(403);
  });

  it('finds parcels by partial code, name, land use, stage and box', async () => {
    const code = first.properties.code;
    const byCode = await api(s, 'GET', `/api/v1/parcels?q=${code.slice(0, 13)}`);
    expect(byCode.body.features.map((f: ParcelFeature) => f.id)).toContain(code);
    const byStage = await api(s, 'GET', '/api/v1/parcels?stage=completed');
    expect(byStage.body.features.map((f: ParcelFeature) => f.id)).toEqual([code]);
    const byUse = await api(s, 'GET', '/api/v1/parcels?landUse=05');
    expect(byUse.body.features).toHaveLength(1);
    const inBox = await api(s, 'GET', '/api/v1/parcels?bbox=120.049,30.049,120.0505,30.0505');
    expect(inBox.body.features.map((f: ParcelFeature) => f.id)).toEqual([code]);
    expect((await api(s, 'GET', '/api/v1/parcels?stage=built')).status).toBe(400);
  });

  it('streams parcel:created and parcel:stepped with their seqs to a socket subscribed to parcels', async () => {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(s.url, {
      auth: { token: s.adminToken, batch: true, subscribe: { layers: ['parcels'] } },
      transports: ['websocket'],
      reconnection: false,
    });
    const events: LogEvent[] = [];
    socket.on('events:batch', (batch) => events.push(...batch));
    try {
      await new Promise((resolve) => socket.once('replay:done', resolve));
      const created = await api(s, 'POST', '/api/v1/parcels', parcelAt(120.15, 30.05, '08'));
      const code = created.body.properties.code;
      await api(s, 'POST', `/api/v1/parcels/${code}/steps`, { step: 'supplied', department: '自然资源和规划局', documents: [doc('国有建设用地划拨决定书', '杭划〔2026〕3号', '2026-05-01')] });
      await expect.poll(() => events.length, { timeout: 5_000 }).toBe(2);
      expect(events.map((e) => e.type)).toEqual(['parcel:created', 'parcel:stepped']);
      expect(events[0]!.seq).toBe(created.body.properties.seq);
      expect(events[1]).toMatchObject({ payload: { code, from: 'planned', to: 'supplied', step: { department: '自然资源和规划局' } } });
      // Nothing else (no incident or risk event) reached this parcels-only socket.
    } finally {
      socket.close();
    }
  });

  it('imports many parcels with progress and one event', async () => {
    const features = Array.from({ length: 2500 }, (_, i) => parcelAt(120.11 + (i % 50) * 0.0015, 30.01 + Math.floor(i / 50) * 0.0015, '06'));
    features[7] = { ...features[7]!, properties: { landUse: '99' } } as never;
    const started = await api(s, 'POST', '/api/v1/parcels/import', { type: 'FeatureCollection', features });
    expect(started.status).toBe(202);
    let job = started.body;
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api(s, 'GET', started.headers.get('location')!)).body;
    }
    expect(job).toMatchObject({ status: 'done', total: 2500, done: 2500, accepted: 2499, rejected: 1 });
    expect(job.errors[0]).toMatchObject({ index: 7, path: 'features.7.properties.landUse' });
    const codes = job.items.map((x: { code: string }) => x.code);
    expect(new Set(codes).size).toBe(2499);
    expect((await api(s, 'GET', `/api/v1/parcels/${codes[100]}`)).body.properties.regionCode).toBe('330108');
  });
});
