import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentCollection, RegionCollection, RiskSnapshot, SessionInfo } from '#contract/index.ts';
import { ApiError } from '../api/city-api.ts';
import type { ConnectionState, LiveClientOptions } from '../live/live-client.ts';
import { CitySession, RISK_REFRESH_MS, type CitySessionOptions, type IncidentQuery, type SessionApi, type SessionLive } from './city-session.ts';
import { IncidentStore } from './incident-store.ts';

/** A promise the test settles by hand, so each step of the load can be looked at in between. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

class FakeLive implements SessionLive {
  calls: string[] = [];
  state: ConnectionState = { status: 'connecting', freshAt: null, unauthorized: false, protocolMismatch: false, droppedReason: null };
  private readonly listeners = new Set<() => void>();
  constructor(readonly options: LiveClientOptions) {}
  start(options: { beforeSnapshot?: boolean } = {}): void {
    this.calls.push(options.beforeSnapshot ? 'start:beforeSnapshot' : 'start');
  }
  stop(): void {
    this.calls.push('stop');
  }
  snapshotLoaded(seq: number): void {
    this.calls.push(`snapshotLoaded:${seq}`);
  }
  getState = (): ConnectionState => this.state;
  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  setState(patch: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

const regions: RegionCollection = { type: 'FeatureCollection', features: [] };
const incidents = (seq: number): IncidentCollection => ({ type: 'FeatureCollection', features: [], seq });
const riskAt = (seq: number): RiskSnapshot => ({ at: '2026-11-23T08:00:00.000Z', configVersion: 1, seq, source: 'live', regions: [] });
const responder: SessionInfo = { role: 'responder', name: '值班员' };

/** The network edge, each answer held until the test lets it go; every request is logged. */
function fakeNetwork() {
  const log: string[] = [];
  const session = deferred<SessionInfo | null>();
  const snapshot = deferred<IncidentCollection>();
  let sessionAnswer = session.promise;
  const api: SessionApi = {
    fetchSession: () => (log.push('session'), sessionAnswer),
    fetchRegions: () => (log.push('regions'), Promise.resolve(regions)),
    fetchHealth: () => (log.push('health'), Promise.resolve({ demo: true } as Awaited<ReturnType<SessionApi['fetchHealth']>>)),
    fetchIncidents: (query: IncidentQuery) => (log.push(`incidents:${query}`), snapshot.promise),
    fetchDrills: () => (log.push('drills'), Promise.resolve(incidents(0))),
    fetchRisk: () => (log.push('risk'), Promise.resolve(riskAt(10))),
  };
  /** What the next asks for the session answer. */
  const answerSessionWith = (info: SessionInfo | null) => (sessionAnswer = Promise.resolve(info));
  return { log, session, snapshot, api, answerSessionWith };
}

function makeSession(options: Omit<CitySessionOptions<IncidentStore>, 'incidents' | 'api' | 'createLive'>) {
  const net = fakeNetwork();
  let live: FakeLive | null = null;
  const city = new CitySession({
    ...options,
    incidents: new IncidentStore({ batchMs: 0 }),
    api: net.api,
    createLive: (o) => (live = new FakeLive(o)),
  });
  return { city, net, live: live as unknown as FakeLive };
}

describe('CitySession', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('opens the stream beside the snapshot, resumes it from the snapshot seq, and reads the ratings only after both sign-in and snapshot', async () => {
    const { city, net, live } = makeSession({ risk: true, parcels: true, equity: true });
    city.start();
    // Before anything answered: the stream is already opening, the snapshot asked for.
    expect(live.calls).toEqual(['start:beforeSnapshot']);
    expect(net.log).toEqual(['session', 'regions', 'incidents:all']);

    net.snapshot.resolve(incidents(42));
    await settle();
    expect(live.calls).toEqual(['start:beforeSnapshot', 'snapshotLoaded:42']);
    expect(city.incidents.getSnapshot().loaded).toBe(true);
    // Still checking who is signed in: no ratings yet.
    expect(net.log).not.toContain('risk');

    net.session.resolve(responder);
    await settle();
    expect(city.getState()).toMatchObject({ phase: 'signed-in', role: 'responder', unitId: null, regions, error: null });
    expect(net.log.filter((r) => r === 'risk')).toHaveLength(1);
    expect(city.risk.getSnapshot().loaded).toBe(true);

    // And every minute after that.
    vi.advanceTimersByTime(RISK_REFRESH_MS);
    await settle();
    expect(net.log.filter((r) => r === 'risk')).toHaveLength(2);
    city.stop();
  });

  it('subscribes only to the layers the page asked for', () => {
    const console = makeSession({ risk: true, parcels: true, equity: true });
    expect(console.live.options.subscription?.layers).toEqual(['incidents', 'regions', 'risk', 'parcels', 'equity']);
    const wall = makeSession({ risk: true, equity: true });
    expect(wall.live.options.subscription?.layers).toEqual(['incidents', 'regions', 'risk', 'equity']);
    const responder = makeSession({ incidentQuery: 'open' });
    expect(responder.live.options.subscription?.layers).toEqual(['incidents', 'regions']);
    expect(responder.live.options.onRiskEvents).toBeUndefined();
    expect(responder.live.options.onParcelEvents).toBeUndefined();
  });

  it('for a page without ratings or drills, asks for open incidents and nothing else', async () => {
    const { city, net } = makeSession({ incidentQuery: 'open' });
    city.start();
    net.session.resolve(responder);
    net.snapshot.resolve(incidents(7));
    await settle();
    vi.advanceTimersByTime(5 * RISK_REFRESH_MS);
    await settle();
    expect(net.log).toEqual(['session', 'regions', 'incidents:open']);
    city.stop();
  });

  it('signed out: stops the stream it opened early and shows no error for the refused snapshot', async () => {
    const { city, net, live } = makeSession({ risk: true });
    city.start();
    // The early snapshot is refused before the sign-in check answers.
    net.snapshot.reject(new ApiError(401, 'sign in first'));
    await settle();
    expect(city.getState()).toMatchObject({ phase: 'checking', error: null });
    net.session.resolve(null);
    await settle();
    expect(city.getState()).toMatchObject({ phase: 'signed-out', error: null });
    expect(live.calls).toEqual(['start:beforeSnapshot', 'stop']);
    expect(net.log).not.toContain('risk');
  });

  it('waits for the sign-in before opening the stream when told to', async () => {
    const { city, net, live } = makeSession({ startBeforeSignIn: false });
    city.start();
    expect(live.calls).toEqual([]);
    expect(net.log).toEqual(['session', 'regions']);
    net.session.resolve(responder);
    await settle();
    expect(live.calls).toEqual(['start:beforeSnapshot']);
    expect(net.log).toEqual(['session', 'regions', 'incidents:all']);
    city.stop();
  });

  it('a failed snapshot is an error until retry, which asks again', async () => {
    const { city, net } = makeSession({});
    city.start();
    net.session.resolve(responder);
    net.snapshot.reject(new Error('502 Bad Gateway'));
    await settle();
    expect(city.getState().error).toBe('502 Bad Gateway');
    city.retry();
    expect(city.getState().error).toBeNull();
    expect(net.log.filter((r) => r === 'incidents:all')).toHaveLength(2);
    city.stop();
  });

  it('a new risk model or new regions read the ratings (and regions) again', async () => {
    const { city, net, live } = makeSession({ risk: true });
    city.start();
    net.session.resolve(responder);
    net.snapshot.resolve(incidents(1));
    await settle();
    const generation = city.getState().riskGeneration;
    live.options.onRiskEvents?.([{ seq: 2, type: 'risk:configured', at: '2026-11-23T08:00:00.000Z', payload: {} } as never]);
    await settle();
    expect(net.log.filter((r) => r === 'risk')).toHaveLength(2);
    live.options.onRegionsReplaced();
    await settle();
    expect(net.log.filter((r) => r === 'risk')).toHaveLength(3);
    expect(net.log.filter((r) => r === 'regions')).toHaveLength(2);
    expect(city.getState().riskGeneration).toBe(generation + 2);
    city.stop();
  });

  it('a refused stream re-checks the sign-in, and an expired one signs the page out (and forgets the unit its token spoke for)', async () => {
    const { city, net, live } = makeSession({});
    city.start();
    // A crew's tablet: the token speaks for unit E1.
    net.session.resolve({ ...responder, unitId: 'E1' });
    net.snapshot.resolve(incidents(1));
    await settle();
    expect(city.getState()).toMatchObject({ phase: 'signed-in', unitId: 'E1' });
    net.answerSessionWith(null);
    live.setState({ unauthorized: true });
    await settle();
    expect(net.log.filter((r) => r === 'session')).toHaveLength(2);
    expect(city.getState()).toMatchObject({ phase: 'signed-out', unitId: null });
    expect(live.calls.at(-1)).toBe('stop');
  });

  it('heartbeats say when the database is out; with signals, at most one sign of life a second is shown', () => {
    const { city, live } = makeSession({ signals: true });
    city.start();
    vi.setSystemTime(10_000);
    live.options.onHeartbeat?.({ seq: 1, at: '', store: 'unavailable' });
    expect(city.getState()).toMatchObject({ storeDown: true, lastSignalAt: null });
    live.options.onHeartbeat?.({ seq: 1, at: '' });
    expect(city.getState()).toMatchObject({ storeDown: false, lastSignalAt: 10_000 });
    vi.setSystemTime(10_500);
    live.options.store.applyBatch([], 2);
    expect(city.getState().lastSignalAt).toBe(10_000);
    vi.setSystemTime(11_000);
    live.options.store.applyBatch([], 3);
    expect(city.getState().lastSignalAt).toBe(11_000);
    expect(city.incidents.lastSeq()).toBe(3);
    city.stop();
  });
});
