import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '#contract/index.ts';
import type { ClientToServerEvents, HandshakeAuth, Incident, LogEvent, RiskChangedEvent, ServerToClientEvents } from '#contract/index.ts';
import { IncidentStore } from '../session/incident-store.ts';
import { currentTimeZone } from '../time/time-zone.ts';
import { LiveClient, WALL_SUBSCRIPTION, type ConnectionState, type RiskLogEvent } from './live-client.ts';

function incident(seq: number, id = `i${seq}`): Incident {
  return {
    id, seq, source: 'test', externalId: id, category: 'fire', severity: 'minor', status: 'reported',
    geometry: { type: 'Point', coordinates: [120.17, 30.25] }, occurredAt: '2026-11-23T08:00:00Z',
    reportedAt: '2026-11-23T08:00:00Z', title: `incident ${seq}`, description: '', reporter: null, regionCode: null,
    attributes: {}, drill: false,
  };
}

const created = (seq: number): LogEvent => ({ type: 'incident:created', seq, payload: incident(seq) });
function updated(seq: number, id: string, status: Incident['status']): LogEvent {
  const payload = { ...incident(seq, id), status };
  const change = { seq, at: '2026-11-23T08:05:00Z', actor: { name: 'duty officer', role: 'responder' }, from: 'reported' as const, to: status, note: null };
  return { type: 'incident:updated', seq, payload: { ...payload, change } };
}

/**
 * A stand-in for the network edge: a socket.io server that replays its log after `since`, as one
 * `events:batch` message when the handshake asks for batch mode.
 */
async function startLogServer(log: LogEvent[]) {
  const http = createServer();
  const io = new Server<ClientToServerEvents, ServerToClientEvents>(http);
  const handshakes: HandshakeAuth[] = [];
  /** What `hello` says; a test changes it to play a server restarted with another TIME_ZONE. */
  const hello = { timeZone: 'Asia/Shanghai' };
  io.on('connection', (socket) => {
    const auth = socket.handshake.auth as HandshakeAuth;
    handshakes.push(auth);
    const head = log.at(-1)?.seq ?? 0;
    // No `since`: live from the head, nothing replayed (as the real server does).
    const since = auth.since ?? head;
    socket.emit('hello', { protocolVersion: PROTOCOL_VERSION, serverVersion: 'test', role: 'viewer', seq: head, timeZone: hello.timeZone });
    const missed = log.filter((event) => event.seq > since);
    if (auth.batch) socket.emit('events:batch', missed);
    else for (const event of missed) (socket.emit as (name: string, payload: unknown) => void)(event.type, event.payload);
    socket.emit('replay:done', { seq: head, replayed: missed.length });
    socket.on('subscribe', (subscription, ack) => ack({ ok: true, subscription }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return { io, handshakes, hello, url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => io.close(resolve)) };
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

  function startClient(url: string, store: IncidentStore, onRegionsReplaced = () => {}) {
    const live = new LiveClient({
      store,
      url,
      reloadIncidents: async () => {},
      onRegionsReplaced,
      socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 50, transports: ['websocket'] },
    });
    cleanups.push(() => live.stop());
    live.start();
    return live;
  }

  it('resumes after a dropped connection from the last seq it holds and gets exactly the missed events', async () => {
    const log = [created(1), created(2), created(3)];
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 2, features: [] });
    const live = startClient(server.url, store);

    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 3);
    expect(server.handshakes).toEqual([{ since: 2, batch: true, subscribe: WALL_SUBSCRIPTION }]);
    expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['i3']);

    // The network drops (the transport closes, as when a cable is pulled); events 4 and 5 happen meanwhile.
    for (const socket of server.io.sockets.sockets.values()) socket.conn.close();
    await until(() => live.getState().status === 'offline');
    log.push(created(4), created(5));
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 5, 10_000);

    expect(server.handshakes.map((h) => h.since)).toEqual([2, 3]);
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['i3', 'i4', 'i5']);
    expect(live.getState().freshAt).not.toBeNull();
  });

  /** A client started with no snapshot yet, live against a server holding `log`. */
  async function liveBeforeSnapshot(log: LogEvent[]) {
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    const live = new LiveClient({ store, url: server.url, reloadIncidents: async () => {}, onRegionsReplaced: () => {}, socketOptions: { transports: ['websocket'] } });
    cleanups.push(() => live.stop());
    live.start({ beforeSnapshot: true });
    await until(() => live.getState().status === 'live');
    return { server, store, live };
  }

  it('started beside its first snapshot: live at the head with no replay, holding events until the snapshot says which it lacks', async () => {
    const log = [created(1), created(2), created(3)];
    const { server, store, live } = await liveBeforeSnapshot(log);
    expect(server.handshakes).toEqual([{ batch: true, subscribe: WALL_SUBSCRIPTION }]);

    // Two events go out live while the snapshot is still on its way; the snapshot then holds 4.
    log.push(created(4), created(5));
    server.io.emit('events:batch', [created(4), created(5)]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(store.getSnapshot().incidents).toEqual([]);
    store.replaceAll({ type: 'FeatureCollection', seq: 4, features: [] });
    live.snapshotLoaded(4);
    await until(() => store.getSnapshot().seq === 5);
    // 4 came with the snapshot (here: an empty one), so only 5 is applied from the stream.
    expect(store.getSnapshot().incidents.map((i) => i.id)).toEqual(['i5']);
    expect(server.handshakes).toHaveLength(1);
  });

  it('reconnects from the snapshot when the snapshot was read before the head the stream went live at', async () => {
    const { server, store, live } = await liveBeforeSnapshot([created(1), created(2), created(3), created(4), created(5)]);
    // Read at 3: events 4 and 5 are neither in it nor in a stream that went live at 5.
    store.replaceAll({ type: 'FeatureCollection', seq: 3, features: [] });
    live.snapshotLoaded(3);
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 5);
    expect(server.handshakes.map((h) => h.since)).toEqual([undefined, 3]);
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['i4', 'i5']);
  });

  it('when the server drops it as a slow consumer, says why, comes back by itself and resumes from the last seq it applied', async () => {
    const log = [created(1), created(2)];
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 0, features: [] });
    const live = startClient(server.url, store);
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 2);
    const states: ConnectionState[] = [];
    live.subscribe(() => states.push(live.getState()));

    // Events 3 and 4 were queued for this screen and dropped unsent; the server says why and hangs
    // up on purpose ("io server disconnect": socket.io-client would not reconnect by itself).
    log.push(created(3), created(4));
    for (const socket of server.io.sockets.sockets.values()) {
      socket.emit('stream:dropped', { reason: 'slow_consumer', message: 'this screen fell behind', limitBytes: 1024, seq: 2, retryAfterMs: 50 });
      socket.disconnect(true);
    }
    // Well before the 5 s a refused handshake would wait.
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 4, 2_000);
    expect(server.handshakes.map((h) => h.since)).toEqual([0, 2]);
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(states.some((state) => state.status === 'offline' && state.droppedReason === 'slow_consumer')).toBe(true);
    expect(live.getState().droppedReason).toBeNull();
  });

  it('applies status changes from a batch and ignores a repeat that is not newer', async () => {
    const log = [created(1), updated(2, 'i1', 'acknowledged'), { type: 'regions:replaced', seq: 3, payload: { seq: 3, count: 13 } } as LogEvent];
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 0, features: [] });
    let regionReloads = 0;
    const live = startClient(server.url, store, () => regionReloads++);
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 3);
    expect(store.get('i1')?.status).toBe('acknowledged');
    expect(store.get('i1')).not.toHaveProperty('change');
    expect(regionReloads).toBe(1);

    // A repeat of an older change (seq 2 < the seq 4 the store now holds) must not undo a newer one.
    for (const socket of server.io.sockets.sockets.values()) socket.emit('events:batch', [updated(4, 'i1', 'dispatched')]);
    await until(() => store.get('i1')?.status === 'dispatched');
    for (const socket of server.io.sockets.sockets.values()) socket.emit('events:batch', [updated(2, 'i1', 'acknowledged')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.get('i1')?.status).toBe('dispatched');
    expect(store.getSnapshot().seq).toBe(4);
  });

  it('hands every incident of a batch on to onIncidents, drills included, while the store keeps the real ones', async () => {
    const exercise: LogEvent = { type: 'incident:created', seq: 2, payload: { ...incident(2, 'exercise'), drill: true } };
    const server = await startLogServer([created(1), exercise, created(3)]);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 0, features: [] });
    const handed: Incident[] = [];
    const live = new LiveClient({
      store, url: server.url, reloadIncidents: async () => {}, onRegionsReplaced: () => {},
      onIncidents: (incidents) => handed.push(...incidents),
      socketOptions: { transports: ['websocket'] },
    });
    cleanups.push(() => live.stop());
    live.start();
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 3);
    expect(handed.map((i) => `${i.id}:${i.drill}`)).toEqual(['i1:false', 'exercise:true', 'i3:false']);
    expect(store.getSnapshot().incidents.map((i) => i.id).sort()).toEqual(['i1', 'i3']);
  });

  it('asks for the risk layer and hands risk events of a batch on together, in order', async () => {
    const at = '2026-11-23T08:00:00.000Z';
    const riskChanged = (seq: number, to: RiskChangedEvent['to']): LogEvent => ({
      type: 'risk:changed',
      seq,
      payload: {
        seq, code: '330106', name: '西湖区', from: 'green', to, reason: 'test', at, configVersion: 1,
        region: {
          code: '330106', name: '西湖区', level: to, score: 3, population: 10_000, counts: { last24h: 1, last72h: 1, window: 1 },
          clusters: 0, since: at, ratedAt: at, reason: 'test', explanation: { byCategory: {}, rules: [] }, measures: [],
        },
      },
    });
    const log = [created(1), riskChanged(2, 'yellow'), riskChanged(3, 'orange')];
    const server = await startLogServer(log);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 0, features: [] });
    const received: RiskLogEvent[][] = [];
    const live = new LiveClient({
      store, url: server.url, reloadIncidents: async () => {}, onRegionsReplaced: () => {},
      onRiskEvents: (events) => received.push([...events]),
      socketOptions: { transports: ['websocket'] },
    });
    cleanups.push(() => live.stop());
    live.start();
    await until(() => live.getState().status === 'live' && store.getSnapshot().seq === 3);
    expect(server.handshakes[0]?.subscribe?.layers).toContain('risk');
    expect(received.map((batch) => batch.map((e) => [e.type, e.seq]))).toEqual([[['risk:changed', 2], ['risk:changed', 3]]]);
    // The resume point moved past the risk events too: a reconnect does not ask for them again.
    expect(store.lastSeq()).toBe(3);
  });

  it('takes the centre’s time zone from every hello, so a server restarted with another one is followed', async () => {
    const server = await startLogServer([created(1)]);
    cleanups.push(server.close);
    server.hello.timeZone = 'Europe/Berlin';
    const store = new IncidentStore({ batchMs: 5 });
    store.replaceAll({ type: 'FeatureCollection', seq: 0, features: [] });
    const live = startClient(server.url, store);
    await until(() => live.getState().status === 'live');
    expect(currentTimeZone()).toBe('Europe/Berlin');

    server.hello.timeZone = 'America/New_York';
    for (const socket of server.io.sockets.sockets.values()) socket.conn.close();
    await until(() => currentTimeZone() === 'America/New_York', 10_000);
  });

  it('changes its subscription with an ack and asks for the same on the next handshake', async () => {
    const server = await startLogServer([]);
    cleanups.push(server.close);
    const store = new IncidentStore({ batchMs: 5 });
    const live = startClient(server.url, store);
    await until(() => live.getState().status === 'live');
    const applied = await live.setSubscription({ layers: ['incidents'], regions: ['330106'] });
    expect(applied).toEqual({ layers: ['incidents'], regions: ['330106'] });
    for (const socket of server.io.sockets.sockets.values()) socket.conn.close();
    await until(() => server.handshakes.length === 2, 10_000);
    expect(server.handshakes[1]?.subscribe).toEqual({ layers: ['incidents'], regions: ['330106'] });
  });
});
