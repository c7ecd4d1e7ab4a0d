import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../../server/contract/index.ts';
import type { ClientToServerEvents, Incident, ServerToClientEvents } from '../../../server/contract/index.ts';
import { IncidentStore } from '../state/incident-store.ts';
import { LiveClient } from './live-client.ts';

function incident(seq: number): Incident {
  return {
    id: `i${seq}`, seq, source: 'test', externalId: `i${seq}`, category: 'fire', severity: 'minor', status: 'reported',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: '2026-11-23T08:00:00Z',
    reportedAt: '2026-11-23T08:00:00Z', title: `incident ${seq}`, description: '', reporter: null, regionCode: null,
    attributes: {},
  };
}

/** A stand-in for the network edge: a socket.io server that replays its log after `since`, as DOMAIN §7 says. */
async function startLogServer(log: Incident[]) {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  const handshakes: number[] = [];
  io.on('connection', (socket) => {
    const since = Number((socket.handshake.auth as { since?: number }).since ?? 0);
    handshakes.push(since);
    const head = log.at(-1)?.seq ?? 0;
    socket.emit('hello', { protocolVersion: PROTOCOL_VERSION, serverVersion: 'test', role: 'viewer', seq: head });
    const missed = log.filter((item) => item.seq > since);
    for (const item of missed) socket.emit('incident:created', item);
    socket.emit('replay:done', { seq: head, replayed: missed.length });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { io, handshakes, url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => io.close(resolve)) };
}

const until = async (check: () => boolean, timeoutMs = 5_000) => {
  for (const deadline = Date.now() + timeoutMs; !check(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('LiveClient', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('resumes after a dropped connection from the last seq it holds and gets exactly the missed events', async () => {
    const log = [incident(1), incident(2), incident(3)];
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 2, features: [] });
    const live = new LiveClient({
      store,
      url: server.url,
      reloadIncidents: async () => {},
      onRegionsReplaced: () => {},
      socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 50, transports: ['websocket'] },
    });
    cleanups.push(() => live.stop());
    live.start();

    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 3);
    expect(server.handshakes).toEqual([2]);
    expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['i3']);

    // The network drops (the transport closes, as when a cable is pulled); events 4 and 5 happen meanwhile.
    for (const socket of server.io.sockets.sockets.values()) socket.conn.close();
    await until(() => live.getState().status === 'offline');
    log.push(incident(4), incident(5));
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 5, 10_000);

    expect(server.handshakes).toEqual([2, 3]);
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['i3', 'i4', 'i5']);
    expect(live.getState().freshAt).not.toBeNull();
  });
});
