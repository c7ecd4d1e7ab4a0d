/**
 * Measures per risk level (docs/domain.md §16): the config is validated, versioned (409 on a stale
 * version) and audited; every district of `GET /api/v1/risk` carries exactly the measures the
 * config requires for its level and the categories behind its score, worked out here on our own;
 * a responder's tick on an incident's checklist is in its history, on the audit chain and on the
 * stream, and a repeated tick records nothing.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Category,
  ClientToServerEvents,
  DistrictMeasure,
  IncidentChecklist,
  IncidentHistory,
  IncidentUpdatedEvent,
  MeasuresConfig,
  RiskLevel,
  RiskSnapshot,
  ServerToClientEvents,
} from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const square = (west: number) => [[[west, 50], [west + 0.1, 50], [west + 0.1, 50.1], [west, 50.1], [west, 50]]];
// Red: 1,000 residents and a severe flood (score 50) with a moderate fire beside it. Orange: a
// million residents and one extreme hazmat spill (score 0.1, lifted to orange by the extreme rule).
// Green: one minor traffic accident among 100,000 (score 0.1).
const CITY = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(10) }, properties: { code: 'MR', name: '红区', population: 1_000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(10.1) }, properties: { code: 'MO', name: '橙区', population: 1_000_000 } },
    { type: 'Feature', geometry: { type: 'Polygon', coordinates: square(10.2) }, properties: { code: 'MG', name: '绿区', population: 100_000 } },
  ],
};
const EXPECTED_LEVELS: Record<string, RiskLevel> = { MR: 'red', MO: 'orange', MG: 'green' };

const text = (id: string, zh: string) => ({ id, text: { 'zh-CN': zh, en: `${id} in English` } });
/** Version 2, written for this test: an override of a level measure, additions, and two categories naming one id. */
const OURS: Omit<MeasuresConfig, 'version'> = {
  levels: {
    red: [text('one', '一级响应'), text('duty', '领导带班')],
    orange: [text('two', '二级响应')],
    yellow: [text('three', '三级响应')],
    blue: [text('four', '四级响应')],
    green: [text('patrol', '日常巡查')],
  },
  categories: {
    flood: { red: [text('duty', '防汛领导带班'), text('pumps', '泵站全开')] },
    fire: { red: [text('pumps', '消防取水'), text('water', '保障水源')] },
    hazmat: { orange: [text('cordon', '设置警戒区')] },
  },
};

/**
 * docs/domain.md §16.1 written out again: the level's list, then each category behind the score
 * (largest first) replacing a listed id in place or adding after, an id taken by an earlier
 * category left alone.
 */
function expectedMeasures(config: MeasuresConfig, level: RiskLevel, categories: Category[]): DistrictMeasure[] {
  const list: DistrictMeasure[] = config.levels[level].map((m) => ({ id: m.id, text: m.text['zh-CN'], textEn: m.text.en }));
  const taken: string[] = [];
  for (const category of categories) {
    for (const m of config.categories?.[category]?.[level] ?? []) {
      if (taken.includes(m.id)) continue;
      taken.push(m.id);
      const entry = { id: m.id, text: m.text['zh-CN'], textEn: m.text.en, category };
      const index = list.findIndex((x) => x.id === m.id);
      if (index >= 0) list[index] = entry;
      else list.push(entry);
    }
  }
  return list;
}

const behindScore = (byCategory: Partial<Record<Category, number>>): Category[] =>
  (Object.keys(byCategory) as Category[]).filter((c) => (byCategory[c] ?? 0) > 0).sort((a, b) => (byCategory[b] ?? 0) - (byCategory[a] ?? 0));

describe('measures per risk level', () => {
  let s: TestServer;
  let responder: string;
  let viewer: string;
  let socket: Client;
  const updates: IncidentUpdatedEvent[] = [];
  const configured: number[] = [];
  const ids: Record<string, string> = {};

  const snapshot = async () => (await api(s, 'GET', '/api/v1/risk')).body as RiskSnapshot;
  const config = async () => (await api(s, 'GET', '/api/v1/measures/config')).body.config as MeasuresConfig;
  const auditEntries = async () => (await api(s, 'GET', '/api/v1/audit?after=0&limit=1000')).body.entries as { action: string; subject: string; actor: { role: string }; detail: Record<string, unknown> }[];

  beforeAll(async () => {
    s = await startTestServer({ demoData: false });
    expect((await api(s, 'PUT', '/api/v1/regions', CITY)).status).toBe(200);
    responder = (await api(s, 'POST', '/api/v1/tokens', { role: 'responder', name: '处置员' })).body.token;
    viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: '大屏' })).body.token;
    const posted = await api(s, 'POST', '/api/v1/incidents', [
      { source: 'm', externalId: 'flood', category: 'flood', severity: 'severe', lon: 10.05, lat: 50.05 },
      { source: 'm', externalId: 'fire', category: 'fire', severity: 'moderate', lon: 10.06, lat: 50.05 },
      { source: 'm', externalId: 'spill', category: 'hazmat', severity: 'extreme', lon: 10.15, lat: 50.05 },
      { source: 'm', externalId: 'crash', category: 'traffic', severity: 'minor', lon: 10.25, lat: 50.05 },
      { source: 'm', externalId: 'sea', category: 'fire', severity: 'minor', lon: 11.5, lat: 50.05 },
    ]);
    expect(posted.status).toBe(201);
    for (const item of posted.body.items) ids[['flood', 'fire', 'spill', 'crash', 'sea'][item.index]!] = item.id;
    const levels = async () => JSON.stringify(Object.fromEntries((await snapshot()).regions.map((r) => [r.code, r.level])));
    for (const deadline = Date.now() + 10_000; (await levels()) !== JSON.stringify(EXPECTED_LEVELS); ) {
      if (Date.now() > deadline) throw new Error(`the districts did not reach ${JSON.stringify(EXPECTED_LEVELS)}: ${await levels()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    socket = connect(s.url, { auth: { token: viewer, subscribe: { layers: ['incidents', 'risk'] } }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.on('incident:updated', (e) => updates.push(e));
    socket.on('measures:configured', (e) => configured.push(e.version));
    await new Promise((resolve) => socket.once('replay:done', resolve));
  });
  afterAll(async () => {
    socket?.disconnect();
    await s?.close();
  });

  it('starts from the built-in default, saved by nobody, and every district carries its level\'s measures', async () => {
    const res = await api(s, 'GET', '/api/v1/measures/config', undefined, { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ savedAt: null, savedBy: null, config: { version: 1 } });
    const defaults = res.body.config as MeasuresConfig;
    for (const region of (await snapshot()).regions) {
      expect(region.measures, region.code).toEqual(expectedMeasures(defaults, region.level, behindScore(region.explanation.byCategory)));
      expect(region.measures.length, region.code).toBeGreaterThan(0);
    }
  });

  it('refuses a config that is not valid, naming the field, and one from a role that may not change it', async () => {
    const bad = { ...OURS, levels: { ...OURS.levels, orange: [text('two', '二级'), text('two', '又一个')] } };
    const res = await api(s, 'PUT', '/api/v1/measures/config', bad);
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('levels.orange.1.id');
    const missing = await api(s, 'PUT', '/api/v1/measures/config', { levels: { red: [] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { path: string }) => d.path)).toContain('levels.green');
    expect((await api(s, 'PUT', '/api/v1/measures/config', OURS, { token: responder })).status).toBe(403);
    expect((await config()).version).toBe(1);
  });

  it('saves the next version, audited and streamed, and /risk follows it at once; a stale version is 409', async () => {
    const res = await api(s, 'PUT', '/api/v1/measures/config', { ...OURS, version: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ config: { version: 2 }, savedBy: { role: 'admin' } });
    const stale = await api(s, 'PUT', '/api/v1/measures/config', { ...OURS, version: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/current version is 2/);
    expect((await config()).version).toBe(2);

    const audit = (await auditEntries()).filter((e) => e.action === 'measures:configured');
    expect(audit.map((e) => [e.subject, e.actor.role])).toEqual([['measures-config/v2', 'admin']]);
    await expect.poll(() => configured, { timeout: 5_000 }).toEqual([2]);

    const ours = await config();
    const regions = new Map((await snapshot()).regions.map((r) => [r.code, r]));
    // Written out by hand for this city: flood (5) is the larger part of the red district's score.
    expect(behindScore(regions.get('MR')!.explanation.byCategory)).toEqual(['flood', 'fire']);
    expect(regions.get('MR')!.measures.map((m) => [m.id, m.text, m.category ?? null])).toEqual([
      ['one', '一级响应', null],
      ['duty', '防汛领导带班', 'flood'],
      ['pumps', '泵站全开', 'flood'],
      ['water', '保障水源', 'fire'],
    ]);
    for (const region of regions.values()) {
      expect(region.measures, region.code).toEqual(expectedMeasures(ours, EXPECTED_LEVELS[region.code]!, behindScore(region.explanation.byCategory)));
    }
    // The daily bulletin prints them for each district, in either language.
    const bulletin = await api(s, 'GET', '/api/v1/risk/bulletin?format=json');
    expect(bulletin.body.units.find((u: { code: string }) => u.code === 'MO').measures).toEqual(regions.get('MO')!.measures);
    const html = await api(s, 'GET', '/api/v1/risk/bulletin?format=html&lang=en');
    expect(html.body).toContain('cordon in English');
  });

  it("lists an incident's checklist, records a tick in its history, on the audit chain and the stream, and a repeat records nothing", async () => {
    const url = `/api/v1/incidents/${ids.fire}/measures`;
    const list = await api(s, 'GET', url, undefined, { token: viewer });
    expect(list.status).toBe(200);
    const checklist = list.body as IncidentChecklist;
    // A fire in the red district: the red measures with the fire entries only.
    expect(checklist).toMatchObject({ regionCode: 'MR', level: 'red', measuresVersion: 2 });
    expect(checklist.items.map(({ done: _d, at: _a, by: _b, ...m }) => m)).toEqual(expectedMeasures(await config(), 'red', ['fire']));
    expect(checklist.items.every((i) => !i.done && i.at === null)).toBe(true);

    const before = (await api(s, 'GET', `/api/v1/incidents/${ids.fire}/history`)).body as IncidentHistory;
    const tick = await api(s, 'POST', `${url}/water`, { done: true }, { token: responder });
    expect(tick.status).toBe(200);
    expect(tick.body.changed).toBe(true);
    expect(tick.body.checklist.items.find((i: { id: string }) => i.id === 'water')).toMatchObject({ done: true, by: { name: '处置员', role: 'responder' } });

    const history = (await api(s, 'GET', `/api/v1/incidents/${ids.fire}/history`)).body as IncidentHistory;
    expect(history.items).toHaveLength(before.items.length + 1);
    const entry = history.items.at(-1)!;
    expect(entry).toMatchObject({ from: 'reported', to: 'reported', actor: { name: '处置员', role: 'responder' }, measure: { id: 'water', done: true, text: '保障水源', textEn: 'water in English' } });
    expect(tick.body.checklist.seq).toBe(entry.seq);
    const audited = (await auditEntries()).filter((e) => e.subject === ids.fire && e.detail.measure === 'water');
    expect(audited.map((e) => [e.action, e.detail.done, e.detail.seq])).toEqual([['incident:updated', true, entry.seq]]);
    await expect.poll(() => updates.filter((u) => u.id === ids.fire).map((u) => [u.seq, u.change.measure?.id, u.change.measure?.done]), { timeout: 5_000 }).toEqual([[entry.seq, 'water', true]]);

    // The same tick again: nothing new anywhere. Then unticked: recorded, and the checklist says so.
    const again = await api(s, 'POST', `${url}/water`, { done: true }, { token: responder });
    expect(again.body.changed).toBe(false);
    expect((await api(s, 'GET', `/api/v1/incidents/${ids.fire}/history`)).body.items).toHaveLength(history.items.length);
    const untick = await api(s, 'POST', `${url}/water`, { done: false }, { token: responder });
    expect(untick.body.changed).toBe(true);
    expect(untick.body.checklist.items.find((i: { id: string }) => i.id === 'water').done).toBe(false);
    expect((await api(s, 'GET', `/api/v1/incidents/${ids.fire}/history`)).body.items.at(-1).measure).toMatchObject({ id: 'water', done: false });
  });

  it('refuses, recording nothing, a measure not in force, a closed or unplaced incident, a bad body and a viewer', async () => {
    const head = async () => (await api(s, 'GET', '/api/v1/health')).body.seq as number;
    const seq = await head();
    // `cordon` is an orange hazmat measure: not on a fire's checklist in the red district.
    const notInForce = await api(s, 'POST', `/api/v1/incidents/${ids.fire}/measures/cordon`, { done: true }, { token: responder });
    expect(notInForce.status).toBe(409);
    expect(notInForce.body.error.message).toMatch(/"cordon" is not in force/);
    const outside = await api(s, 'POST', `/api/v1/incidents/${ids.sea}/measures/one`, { done: true }, { token: responder });
    expect(outside.status).toBe(409);
    expect(outside.body.error.message).toMatch(/outside every district/);
    expect((await api(s, 'POST', `/api/v1/incidents/${ids.fire}/measures/one`, { done: 'yes' }, { token: responder })).body.error.details[0].path).toBe('done');
    expect((await api(s, 'POST', `/api/v1/incidents/${ids.fire}/measures/one`, { done: true }, { token: viewer })).status).toBe(403);
    expect((await api(s, 'POST', '/api/v1/incidents/nope/measures/one', { done: true })).status).toBe(404);
    expect((await api(s, 'PATCH', `/api/v1/incidents/${ids.crash}`, { status: 'rejected' }, { token: responder })).status).toBe(200);
    const closed = await api(s, 'POST', `/api/v1/incidents/${ids.crash}/measures/patrol`, { done: true }, { token: responder });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toMatch(/rejected: its checklist is closed/);
    // Only the rejection was recorded.
    expect(await head()).toBe(seq + 1);
  });
});
