/**
 * Decay and hysteresis on the server's timer (docs/domain.md §5.2, §5.4): with the server's clock moved forward, a
 * red district steps down one level per 24 h, each step a `risk:changed` on the socket and a
 * history row, without any new incident arriving.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, RiskChangedEvent, ServerToClientEvents } from '../../server/contract/index.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 3_600_000;

describe('risk decay on the timer', () => {
  let s: TestServer;
  let offset = 0;
  let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  const received: RiskChangedEvent[] = [];

  beforeAll(async () => {
    s = await startTestServer({ clock: () => Date.now() + offset, env: { RISK_TICK_SECONDS: '1' } });
    await api(s, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] }, properties: { code: 'D', name: 'D', population: 10_000 } }],
    });
    socket = connect(s.url, { auth: { token: s.adminToken }, transports: ['websocket'], reconnection: false });
    socket.on('risk:changed', (e) => received.push(e));
    await new Promise((resolve) => socket.once('hello', resolve));
  });
  afterAll(async () => {
    socket?.close();
    await s?.close();
  });

  async function until(predicate: () => boolean, ms = 5_000): Promise<void> {
    const end = Date.now() + ms;
    while (!predicate()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('steps down red → orange → yellow, one level per 24 h, as time passes', async () => {
    // 3 severe incidents now among 10,000 residents: score 15 → red.
    const posted = await api(s, 'POST', '/api/v1/incidents', [0, 1, 2].map((i) => ({ source: 't', externalId: `d${i}`, severity: 'severe', category: 'fire', lon: 0.1 + i * 0.1, lat: 0.5 })));
    expect(posted.status).toBe(201);
    await until(() => received.some((e) => e.to === 'red'));

    // 25 h later the score is 15 × 0.5^(25/24) ≈ 7.3 (orange by score anyway); 72 h later
    // 15 × 0.5^3 ≈ 1.9 (blue by score), but a level falls one step per 24 h only.
    offset = 25 * HOUR;
    await until(() => received.some((e) => e.from === 'red'));
    const first = received.find((e) => e.from === 'red')!;
    expect(first.to).toBe('orange');

    offset = 50 * HOUR;
    await until(() => received.some((e) => e.from === 'orange'));
    const second = received.find((e) => e.from === 'orange')!;
    // 15 × 0.5^(50/24) ≈ 3.5: yellow by score; one step from orange is yellow too.
    expect(second.to).toBe('yellow');

    offset = 73 * HOUR; // 23 h after the last step: 15 × 0.5^(73/24) ≈ 1.81 → blue by score, held at yellow
    await new Promise((r) => setTimeout(r, 2_500)); // at least two ticks
    const now = (await api(s, 'GET', '/api/v1/risk')).body.regions[0];
    expect(now.level).toBe('yellow');
    expect(now.explanation.rules.at(-1).code).toBe('hysteresis.hold');
    expect(received.filter((e) => e.from !== null).map((e) => `${e.from}→${e.to}`)).toEqual(['green→red', 'red→orange', 'orange→yellow']);
  });
});
