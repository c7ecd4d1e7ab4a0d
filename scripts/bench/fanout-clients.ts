/**
 * The fan-out bench's clients, run as a child process so their work never lands on the event loop
 * of the server being measured: connects socket.io clients to each server, and reports per phase
 * how many events arrived, how late, and whether each client got every seq once and in order.
 */
import { io, type Socket } from 'socket.io-client';
import type { LogEvent } from '../../server/contract/events.ts';
import type { Incident } from '../../server/contract/incidents.ts';
import { runQueueWaitMs } from './machine-load.ts';

/** `hub`: our live hub in batch mode (`events:batch`); `bare`: one `incident:created` message per event. */
export type TargetMode = 'hub' | 'bare';

/** What every published incident carries in `attributes`, so a client can time and sort it. */
export type BenchAttributes = {
  /** Scheduled send time, ms since the epoch (`performance.timeOrigin + performance.now()`). */
  sentAtMs: number;
  phase: string;
};

export type ParentMessage =
  | { type: 'connect'; targets: { mode: TargetMode; url: string }[]; clientsPerTarget: number; token: string }
  /** Answered with `cpu`: lets the parent measure the clients' CPU over a phase. */
  | { type: 'mark' }
  /** Answered with `drained` once `expected` deliveries of `phase` arrived, or after `timeoutMs`. */
  | { type: 'drain'; phase: string; expected: number; timeoutMs: number }
  | { type: 'close' };

export interface PhaseReport {
  phase: string;
  received: number;
  /** Receive time of the last delivery, ms since the epoch. */
  lastReceiveMs: number;
  /** One per delivery: receive time − `sentAtMs`. */
  latenciesMs: Float64Array;
  /** Deliveries whose seq was not above the previous one on the same client (duplicates, reordering). */
  outOfOrder: number;
  /** Clients that got at least one delivery of the phase. */
  clientsReached: number;
  /** Fewest deliveries any one of those clients got. */
  minPerClient: number;
}

export type ChildMessage =
  | { type: 'ready' }
  /** `waitMs`: time the event loop was runnable but waiting for a CPU (see `runQueueWaitMs`). */
  | { type: 'cpu'; cpuMs: number; waitMs: number }
  | ({ type: 'drained'; cpuMs: number; waitMs: number } & PhaseReport)
  | { type: 'error'; message: string };

const nowMs = (): number => performance.timeOrigin + performance.now();
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

class PhaseTally {
  received = 0;
  lastReceiveMs = 0;
  outOfOrder = 0;
  latencies = new Float64Array(1 << 16);
  readonly perClient = new Map<number, number>();

  add(client: number, sentAtMs: number, at: number): void {
    if (this.received === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.received++] = at - sentAtMs;
    this.lastReceiveMs = at;
    this.perClient.set(client, (this.perClient.get(client) ?? 0) + 1);
  }
}

const phases = new Map<string, PhaseTally>();
const sockets: Socket[] = [];
let clientCount = 0;

function send(message: ChildMessage): void {
  process.send?.(message);
}

function tally(phase: string): PhaseTally {
  let t = phases.get(phase);
  if (!t) phases.set(phase, (t = new PhaseTally()));
  return t;
}

function record(client: number, lastSeq: { value: number }, incident: Incident, at: number): void {
  const attributes = incident.attributes as Partial<BenchAttributes>;
  if (typeof attributes.sentAtMs !== 'number' || typeof attributes.phase !== 'string') return;
  const t = tally(attributes.phase);
  if (incident.seq <= lastSeq.value) t.outOfOrder++;
  lastSeq.value = incident.seq;
  t.add(client, attributes.sentAtMs, at);
}

/** Opens one client; resolves when it is receiving live events. */
function connectClient(mode: TargetMode, url: string, token: string): Promise<void> {
  const client = clientCount++;
  const lastSeq = { value: 0 };
  // forceNew: one connection per client, as 50 browsers would have, not 50 sockets multiplexed on one.
  const socket = io(url, {
    forceNew: true,
    reconnection: false,
    transports: ['websocket'],
    ...(mode === 'hub' && { auth: { token, batch: true } }),
  });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect_error', (err) => reject(new Error(`${mode} client ${client} could not connect to ${url}: ${err.message}`)));
    if (mode === 'hub') {
      socket.on('events:batch', (events: LogEvent[]) => {
        const at = nowMs();
        for (const e of events) if (e.type === 'incident:created') record(client, lastSeq, e.payload, at);
      });
      // Live events flow once the (empty) replay is done.
      socket.once('replay:done', () => resolve());
    } else {
      socket.on('incident:created', (incident: Incident) => record(client, lastSeq, incident, nowMs()));
      socket.once('connect', () => resolve());
    }
  });
}

function drain(message: Extract<ParentMessage, { type: 'drain' }>): void {
  const deadline = performance.now() + message.timeoutMs;
  const check = (): void => {
    const t = tally(message.phase);
    if (t.received < message.expected && performance.now() < deadline) {
      setTimeout(check, 20);
      return;
    }
    phases.delete(message.phase);
    const perClient = [...t.perClient.values()];
    send({
      type: 'drained',
      cpuMs: cpuMs(),
      waitMs: runQueueWaitMs(),
      phase: message.phase,
      received: t.received,
      lastReceiveMs: t.lastReceiveMs,
      latenciesMs: t.latencies.slice(0, t.received),
      outOfOrder: t.outOfOrder,
      clientsReached: perClient.length,
      minPerClient: perClient.length === 0 ? 0 : Math.min(...perClient),
    });
  };
  check();
}

process.on('message', (message: ParentMessage) => {
  switch (message.type) {
    case 'connect': {
      const pending = message.targets.flatMap((target) =>
        Array.from({ length: message.clientsPerTarget }, () => connectClient(target.mode, target.url, message.token)),
      );
      Promise.all(pending).then(
        () => send({ type: 'ready' }),
        (err: unknown) => send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    case 'mark':
      send({ type: 'cpu', cpuMs: cpuMs(), waitMs: runQueueWaitMs() });
      return;
    case 'drain':
      drain(message);
      return;
    case 'close':
      for (const socket of sockets) socket.close();
      process.disconnect?.();
      return;
  }
});
// Never outlive the bench: a parent that dies closes the IPC channel.
process.on('disconnect', () => process.exit(0));
