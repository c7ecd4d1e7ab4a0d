/**
 * Personal data (docs/domain.md §10.2): phone and ID numbers, whether in the reporter fields or dictated
 * into an appeal's text or a responder's note, never reach a role without personal data through
 * any door — HTTP lists and details, history, CSV export, nearby and surroundings, the socket
 * (live, batch, replay), the risk bulletin, the public parcel page — and never reach the log.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/index.ts';
import { SAFE_LOG_OPTIONS } from '../../server/logger.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

/** ISO 7064 MOD 11-2 check character, computed here independently of the server. */
function idCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  return '10X98765432'[[...first17].reduce((a, d, i) => a + Number(d) * weights[i]!, 0) % 11]!;
}
const mobile = fc.stringMatching(/^1[3-9]\d{9}$/);
const idNumber = fc.stringMatching(/^[1-6]\d{5}(19|20)\d{9}$/).map((s) => s + idCheck(s));
const landline = fc.tuple(fc.constantFrom('0571', '010', '021', '0755'), fc.stringMatching(/^[2-8]\d{7}$/)).map(([a, n]) => `${a}-${n}`);
const spaced = mobile.map((m) => `${m.slice(0, 3)} ${m.slice(3, 7)} ${m.slice(7)}`);
const personalNumber = fc.oneof(mobile, idNumber, landline, spaced);
const words = fc.constantFrom('来电人', '反映', '噪音扰民', '请回电', 'caller', 'says', '，', ' ', '：');
const textWith = (n: fc.Arbitrary<string>) => fc.tuple(fc.array(words, { maxLength: 4 }), n, fc.array(words, { maxLength: 4 })).map(([a, x, b]) => ({ text: `${a.join('')}${x}${b.join('')}`, number: x }));

const logLines: string[] = [];
const sink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString());
    done();
  },
});

let s: TestServer;
let viewer: string;
let planner: string;
let parcelCode: string;
const live: { client: Client; seen: string[] }[] = [];
const numbers: string[] = [];

const box = (x: number, y: number, d: number) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

beforeAll(async () => {
  s = await startTestServer({ demoData: false, logger: pino({ level: 'debug', ...SAFE_LOG_OPTIONS }, sink) });
  // A small population: a few incidents turn the district red, so the bulletin has rows to show.
  await api(s, 'PUT', '/api/v1/regions', { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120, 30, 0.1) }, properties: { code: '330106', name: '西湖区', population: 500 } }] });
  viewer = (await api(s, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'lobby' })).body.token;
  planner = (await api(s, 'POST', '/api/v1/tokens', { role: 'planner', name: 'planner' })).body.token;
  parcelCode = (await api(s, 'POST', '/api/v1/parcels', { type: 'Feature', geometry: { type: 'Polygon', coordinates: box(120.05, 30.05, 0.001) }, properties: { landUse: '06', hazardous: true } })).body.properties.code;
  for (const batch of [false, true]) {
    const client: Client = connect(s.url, { auth: { token: viewer, batch }, transports: ['websocket'], forceNew: true });
    const entry = { client, seen: [] as string[] };
    client.onAny((_event, payload) => entry.seen.push(JSON.stringify(payload)));
    await new Promise((r) => client.once('replay:done', r));
    live.push(entry);
  }
});
afterAll(async () => {
  for (const { client } of live) client.disconnect();
  await s?.close();
});

/** The number as written and with its separators removed: neither may appear. */
const forms = (n: string) => [...new Set([n, n.replace(/[^\dXx]/g, '')])];
function leaks(text: string, list: readonly string[]): string[] {
  return list.flatMap((n) => forms(n).filter((f) => text.includes(f)));
}

describe('personal numbers through every door', () => {
  it('reach a viewer or planner nowhere in full, and an administrator everywhere (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(textWith(personalNumber), textWith(personalNumber), personalNumber, textWith(personalNumber), async (title, description, phone, note) => {
        run++;
        const mine = [title.number, description.number, phone, note.number];
        numbers.push(...mine);
        const post = await api(s, 'POST', '/api/v1/incidents', {
          externalId: `privacy-${run}`,
          source: 'privacy',
          category: 'hotline',
          severity: 'severe',
          lat: 30.0505,
          lon: 120.0505,
          title: title.text,
          description: description.text,
          reporter: { name: '张三', phone },
        });
        expect(post.status).toBe(201);
        const id = post.body.items[0].id as string;
        expect((await api(s, 'PATCH', `/api/v1/incidents/${id}`, { status: 'acknowledged', note: note.text })).status).toBe(200);
        const asAdmin = JSON.stringify((await api(s, 'GET', `/api/v1/incidents/${id}`)).body);
        expect(asAdmin).toContain(JSON.stringify(phone).slice(1, -1));
        expect(JSON.stringify((await api(s, 'GET', `/api/v1/incidents/${id}/history`)).body)).toContain(JSON.stringify(note.text).slice(1, -1));
        for (const token of [viewer, planner]) {
          const doors = [
            `/api/v1/incidents`,
            `/api/v1/incidents/${id}`,
            `/api/v1/incidents?format=csv`,
            `/api/v1/incidents/${id}/history`,
            `/api/v1/incidents/${id}/nearby?radius=2000`,
            `/api/v1/parcels/${parcelCode}/surroundings?radius=2000`,
            `/api/v1/risk/bulletin?format=json`,
            `/api/v1/risk/bulletin?format=html`,
          ];
          for (const door of doors) {
            const res = await api(s, 'GET', door, undefined, { token });
            expect(res.status, door).toBe(200);
            const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
            expect(leaks(text, mine), door).toEqual([]);
          }
        }
        const page = await fetch(`${s.url}/p/${parcelCode}`);
        expect(leaks(await page.text(), mine), '/p/{code}').toEqual([]);
      }),
      { numRuns: 25, seed: 20261124 },
    );
  }, 120_000);

  it('reach no viewer socket, live (single and batch) or replayed from the start', async () => {
    await new Promise((r) => setTimeout(r, 300));
    for (const { seen } of live) {
      expect(seen.length).toBeGreaterThan(25);
      expect(leaks(seen.join('\n'), numbers)).toEqual([]);
    }
    const replay: Client = connect(s.url, { auth: { token: viewer, since: 0, batch: true }, transports: ['websocket'], forceNew: true });
    const replayed: string[] = [];
    replay.onAny((_e, payload) => replayed.push(JSON.stringify(payload)));
    await new Promise((r) => replay.once('replay:done', r));
    replay.disconnect();
    expect(replayed.join('\n')).toContain('acknowledged');
    expect(leaks(replayed.join('\n'), numbers)).toEqual([]);
  });

  it('reach no log line, even from rejected payloads that carry them', async () => {
    const n = '13912345678';
    const id = `330106${'1990'}0101123`;
    const idFull = id + idCheck(id);
    numbers.push(n, idFull);
    await api(s, 'POST', '/api/v1/incidents', { lat: n, lon: 120, title: `bad ${n}` });
    await api(s, 'POST', '/api/v1/incidents', undefined, { contentType: 'text/csv', rawBody: `lat,lon,title\n${n},${idFull},x\n` });
    await api(s, 'POST', '/api/v1/incidents', undefined, { rawBody: `{"lat": 30, "lon": 120, "title": "${idFull}"` });
    await api(s, 'GET', `/api/v1/incidents/${n}`);
    await api(s, 'PATCH', `/api/v1/incidents/${idFull}`, { status: 'acknowledged', note: n });
    const all = logLines.join('\n');
    // The request lines are there (so the log was captured), with the number in the path masked.
    expect(all).toContain('/api/v1/incidents/139****5678');
    expect(leaks(all, numbers)).toEqual([]);
  });

  it('the log scrubber masks messages, fields and error stacks (direct check)', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info', ...SAFE_LOG_OPTIONS }, new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }));
    const err = new Error('caller 13800001111 not reachable');
    logger.info({ detail: { text: '身份证 110105194912310021' }, list: ['0571-87654321'] }, 'appeal from 13800002222');
    logger.error({ err }, 'failed');
    logger.info({ reporter: { phone: '13800003333' } }, 'reporter field');
    const all = lines.join('\n');
    for (const number of ['13800001111', '110105194912310021', '0571-87654321', '13800002222', '13800003333']) expect(all).not.toContain(number);
    expect(all).toContain('138****2222');
  });
});
