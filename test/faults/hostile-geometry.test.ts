/**
 * Hostile geometry (docs/reliability.md): generated GeoJSON with NaN and Infinity, out-of-range
 * numbers, unclosed and self-crossing rings, bow-ties, antimeridian crossings, positions of the
 * wrong length, deep nesting and million-vertex polygons, sent to every endpoint that takes
 * geometry. Each answer is a 4xx with a message, or a success whose stored result is sound; never
 * a 5xx, a crash, or an answer slower than 2 s; health keeps answering throughout.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosCount } from '../support/chaos.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const RUNS = chaosCount(25, 300);
const BUDGET_MS = 2000;
let s: TestServer;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
const tried: Record<string, number> = {};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  s = await startTestServer({ demoData: false, env: { RATE_LIMIT_PER_TOKEN: '0', RATE_LIMIT_PER_IP: '0' } });
  await api(s, 'PUT', '/api/v1/regions', {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[120, 30], [120.2, 30], [120.2, 30.2], [120, 30.2], [120, 30]]] }, properties: { code: 'H1', name: 'Home', population: 1000 } }],
  });
  // One sound polygon down each route first: the 2 s budget is for what a hostile payload costs,
  // not for a route's first request after start (its parse worker, compiled code, first query plans).
  const warm = JSON.stringify([[[120.05, 30.05], [120.06, 30.05], [120.06, 30.06], [120.05, 30.06], [120.05, 30.05]]]);
  // (The regions route had its first request above: putting a small box there would move Home.)
  for (const target of TARGETS.filter((t) => t.name !== 'regions')) expect((await send(target.method, target.path, target.body(warm, 0))).status).toBeLessThan(500);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  console.log(`hostile geometry: ${Object.entries(tried).map(([k, v]) => `${k} ${v}`).join(', ')} payloads (${Object.values(tried).reduce((a, b) => a + b, 0)} in all)`);
  await s?.close();
});

// ---- generators: raw JSON text, so NaN, Infinity and 1e400 can be written --------------------
const num = (n: number) => (Number.isInteger(n) ? `${n}` : n.toFixed(6));
const badNumber = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '1e308', '-1e308', '180.0000001', '-180.0000001', '90.0001', '-90.0001', '"120"', 'null', 'true', '[]', '{}');
const lon = fc.integer({ min: 12_000_000, max: 12_020_000 }).map((v) => v / 100_000);
const lat = fc.integer({ min: 3_000_000, max: 3_020_000 }).map((v) => v / 100_000);
const goodPos = fc.tuple(lon, lat).map(([x, y]) => `[${num(x)},${num(y)}]`);
const box = (x: number, y: number, d: number) => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const ringText = (points: number[][]) => `[${points.map((p) => `[${p.map(num).join(',')}]`).join(',')}]`;

/** Polygon coordinates (as text) that break a rule, and what they break. */
const hostileRing: fc.Arbitrary<{ coords: string; why: string }> = fc.oneof(
  fc.tuple(badNumber, fc.nat(4)).map(([b, at]) => ({ coords: `[[${box(120.05, 30.05, 0.01).map((p, i) => (i === at ? `[${b},${num(p[1]!)}]` : `[${num(p[0]!)},${num(p[1]!)}]`)).join(',')}]]`, why: `number ${b}` })),
  fc.tuple(lon, lat).map(([x, y]) => ({ coords: `[${ringText(box(x, y, 0.01).slice(0, 4))}]`, why: 'unclosed ring' })),
  fc.tuple(lon, lat).map(([x, y]) => ({ coords: `[${ringText([[x, y], [x + 0.01, y], [x, y]])}]`, why: 'ring of 3 positions' })),
  fc.tuple(lon, lat).map(([x, y]) => ({ coords: `[${ringText([[x, y], [x + 0.01, y + 0.01], [x + 0.01, y], [x, y + 0.01], [x, y]])}]`, why: 'bow-tie' })),
  fc.array(fc.tuple(lon, lat), { minLength: 5, maxLength: 30 }).map((pts) => ({ coords: `[${ringText([...pts, pts[0]!])}]`, why: 'random (likely self-crossing) ring' })),
  fc.constant({ coords: `[${ringText([[179.9, 30], [-179.9, 30], [-179.9, 30.1], [179.9, 30.1], [179.9, 30]])}]`, why: 'antimeridian crossing' }),
  fc.tuple(lon, lat).map(([x, y]) => ({ coords: `[${ringText([[x, y], [x, y], [x, y], [x, y]])}]`, why: 'zero-area ring' })),
  fc.tuple(lon, lat).map(([x, y]) => ({ coords: `[${ringText(box(x, y, 0.01))},${ringText(box(x + 1, y + 1, 0.001))}]`, why: 'hole outside its shell' })),
  fc.tuple(lon, lat, fc.integer({ min: 3, max: 10 })).map(([x, y, n]) => ({ coords: `[[${box(x, y, 0.01).map((p) => `[${[...p, ...Array(n - 2).fill(0)].map(num).join(',')}]`).join(',')}]]`, why: `positions of ${n} numbers` })),
  fc.constantFrom('[]', '[[]]', '[[[]]]', '"x"', '{}', 'null', '[[[1]]]', '[[[1,2],[3,4]]]').map((c) => ({ coords: c, why: `coordinates ${c}` })),
  fc.integer({ min: 2_000, max: 20_000 }).map((depth) => ({ coords: `${'['.repeat(depth)}1${']'.repeat(depth)}`, why: `${depth}-deep nested arrays` })),
);
const feature = (type: string, coords: string, properties: string) => `{"type":"Feature","geometry":{"type":"${type}","coordinates":${coords}},"properties":${properties}}`;

interface Target {
  name: string;
  method: string;
  path: string;
  body: (coords: string, n: number) => string;
}
const TARGETS: Target[] = [
  { name: 'incidents', method: 'POST', path: '/api/v1/incidents', body: (c, n) => feature('Polygon', c, `{"externalId":"hostile-${n}","title":"x"}`) },
  { name: 'regions', method: 'PUT', path: '/api/v1/regions', body: (c) => `{"type":"FeatureCollection","features":[${feature('Polygon', c, '{"code":"H1","name":"Home","population":1000}')}]}` },
  { name: 'parcels', method: 'POST', path: '/api/v1/parcels', body: (c) => feature('Polygon', c, '{"landUse":"07"}') },
  { name: 'parcel import', method: 'POST', path: '/api/v1/parcels/import', body: (c) => `{"type":"FeatureCollection","features":[${feature('Polygon', c, '{"landUse":"07"}')}]}` },
  { name: 'population', method: 'PUT', path: '/api/v1/population', body: (c) => `{"type":"FeatureCollection","features":[${feature('Polygon', c, '{"population":10}')}]}` },
  { name: 'facilities', method: 'PUT', path: '/api/v1/facilities', body: (c) => `{"type":"FeatureCollection","features":[${feature('Polygon', c, '{"kind":"hospital","capacity":1}')}]}` },
];

async function send(method: string, path: string, body: string | undefined): Promise<{ status: number; ms: number; text: string }> {
  const started = performance.now();
  const res = await fetch(`${s.url}${path}`, { method, headers: { authorization: `Bearer ${s.adminToken}`, 'content-type': 'application/json' }, ...(body !== undefined && { body }) });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, text };
}

async function healthy(): Promise<void> {
  const h = await send('GET', '/api/v1/health', undefined);
  expect(h.status).toBe(200);
  expect(h.ms).toBeLessThan(BUDGET_MS);
}

/** Whatever the server stored reads back with finite, in-range coordinates. */
function sound(text: string): boolean {
  let ok = true;
  JSON.parse(text, (key, value: unknown) => {
    if (key === 'coordinates' || key === 'center' || key === 'bbox') {
      const walk = (v: unknown, depth: number): void => {
        if (depth > 6) return void (ok = false);
        if (Array.isArray(v)) {
          if (v.length >= 2 && v.every((x) => typeof x === 'number')) {
            const [x, y] = v as number[];
            if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(x!) > 180 || Math.abs(y!) > 90) ok = false;
          } else v.forEach((w) => walk(w, depth + 1));
        }
      };
      walk(value, 0);
    }
    return value;
  });
  return ok;
}

describe('hostile geometry', () => {
  for (const target of TARGETS) {
    it(`${target.method} ${target.path}: ${RUNS} generated hostile polygons, each a 4xx or a sound success within 2 s`, async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(hostileRing, async ({ coords, why }) => {
          n++;
          tried[target.name] = (tried[target.name] ?? 0) + 1;
          const res = await send(target.method, target.path, target.body(coords, n));
          expect(res.status, `${why}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
          expect(res.ms, why).toBeLessThan(BUDGET_MS);
          if (res.status >= 400) expect(JSON.parse(res.text).error.message.length, why).toBeGreaterThan(10);
          else expect(sound(res.text), `${why}: stored ${res.text.slice(0, 300)}`).toBe(true);
        }),
        { numRuns: RUNS, seed: 2026 + target.name.length },
      );
      await healthy();
    }, 300_000);
  }

  it('bbox queries with hostile numbers: 4xx or a sound answer', async () => {
    const boxes = ['NaN,0,1,1', 'Infinity,0,1,1', '1e400,0,1,1', '179,0,-179,1', '-181,0,0,1', '0,91,1,92', '1,1,0,0', '0,0,1', '0,0,1,1,1', ',,,', 'a,b,c,d', '0x10,0,1,1', `${'9'.repeat(400)},0,1,1`];
    for (const path of ['/api/v1/incidents', '/api/v1/parcels']) {
      for (const b of boxes) {
        tried.bbox = (tried.bbox ?? 0) + 1;
        const res = await send('GET', `${path}?bbox=${encodeURIComponent(b)}`, undefined);
        expect(res.status, `${path} bbox=${b}: ${res.text.slice(0, 200)}`).toBeLessThan(500);
        expect(res.ms).toBeLessThan(BUDGET_MS);
        if (res.status < 400) expect(sound(res.text)).toBe(true);
      }
    }
    await healthy();
  });

  it('a million-vertex polygon is refused or handled without stalling the server', async () => {
    const N = 1_000_000;
    const ring: number[][] = [];
    for (let i = 0; i < N; i++) {
      const a = (2 * Math.PI * i) / N;
      ring.push([120.1 + 0.05 * Math.cos(a), 30.1 + 0.05 * Math.sin(a)]);
    }
    ring.push(ring[0]!);
    const coords = ringText(ring);
    const targets: [string, string, string][] = [
      ['regions', 'PUT', `{"type":"FeatureCollection","features":[${feature('Polygon', `[${coords}]`, '{"code":"H1","name":"Home","population":1000}')}]}`],
      ['parcels', 'POST', feature('Polygon', `[${coords}]`, '{"landUse":"07"}')],
      ['incidents', 'POST', feature('Polygon', `[${coords}]`, '{"externalId":"million","title":"x"}')],
    ];
    for (const [name, method, body] of targets) {
      tried[`${name} 1M-vertex`] = 1;
      // Health is polled while the big request is in flight: the event loop must stay responsive.
      let worst = 0;
      let done = false;
      const poll = (async () => {
        while (!done) {
          const t0 = performance.now();
          await fetch(`${s.url}/api/v1/health`);
          worst = Math.max(worst, performance.now() - t0);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const res = await send(method, `/api/v1/${name}`, body);
      done = true;
      await poll;
      console.log(`1M-vertex ${name}: ${res.status} in ${Math.round(res.ms)} ms (${(body.length / 1048576).toFixed(1)} MB), worst health ${Math.round(worst)} ms`);
      expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
      expect(worst).toBeLessThan(BUDGET_MS);
    }
    await healthy();
    expect(unhandled).toEqual([]);
  }, 120_000);
});
