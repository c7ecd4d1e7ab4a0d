/**
 * Bench: live fan-out of 2,000 events/s to 50 socket.io clients, through our hub in batch mode
 * against a bare socket.io server emitting one message per event. The clients run in child
 * processes (`fanout-clients.ts`), so the server's event loop does only the server's work.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { Server } from 'socket.io';
import type { Incident } from '../../server/contract/incidents.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { createLiveHub } from '../../server/live/hub.ts';
import type { EventLogReader } from '../../server/store/event-log.ts';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { machineLoad, runQueueWaitMs } from './machine-load.ts';
import type { BenchAttributes, PhaseReport, TargetMode } from './fanout-clients.ts';
import { ClientPool } from './fanout-pool.ts';
import { syntheticIncidents } from './synthetic-incidents.ts';

const CLIENTS = 50;
/** Child processes the clients are spread over: one could not decode 100k incidents/s (see `ClientPool`). */
const CLIENT_PROCESSES = 2;
/** 20 events every 10 ms: 2,000 events/s, the same schedule for both servers. */
const TICK_MS = 10;
const EVENTS_PER_TICK = 20;
/** Measured time per server, split into rounds run in the order ours, baseline, baseline, ours… */
const MEASURE_MS = 5_000;
const ROUNDS = 2;
const WARMUP_MS = 2_000;
/** How long the clients may take to receive the rest of a phase once publishing stopped. */
const DRAIN_TIMEOUT_MS = 10_000;
const TARGET_THROUGHPUT_RATIO = 0.9;
const TARGET_P99_MS = 100;
/**
 * Share of the run our server's event loop may wait for a CPU before its latency is flagged as the
 * machine's: on 2 cores the clients alone make it wait 10-20%, other processes push it past this.
 */
const OVERSUBSCRIBED = 0.25;
/** Pause between phases, so one side's leftovers (garbage, socket buffers) are not the next one's cost. */
const SETTLE_MS = 1_000;

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Target {
  label: 'ours' | 'baseline';
  mode: TargetMode;
  url: string;
  publish(incidents: readonly Incident[]): void;
  close(): Promise<void>;
}

async function startOurs(): Promise<Target> {
  const httpServer = createServer();
  // The bench measures fan-out, not the store: every client is an admin, the log is empty.
  const emptyLog: EventLogReader = { head: async () => 0, oldest: async () => 1, after: async () => [] };
  const hub = createLiveHub({
    httpServer,
    resolveToken: async () => ({ role: 'admin', name: 'bench' }),
    log: emptyLog,
    logger: pino({ level: 'silent' }),
    version: 'bench',
    timeZone: 'Asia/Shanghai',
    startSeq: 0,
  });
  const url = await listen(httpServer);
  return {
    label: 'ours',
    mode: 'hub',
    url,
    publish: (incidents) => hub.publish(incidents.map((payload) => ({ type: 'incident:created', seq: payload.seq, payload }))),
    close: () => hub.close(),
  };
}

async function startBaseline(): Promise<Target> {
  const httpServer = createServer();
  const io = new Server(httpServer, { serveClient: false });
  const url = await listen(httpServer);
  return {
    label: 'baseline',
    mode: 'bare',
    url,
    publish: (incidents) => {
      for (const incident of incidents) io.emit('incident:created', incident);
    },
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}

interface PhaseResult extends PhaseReport {
  expected: number;
  /** Scheduled time of the first send, ms since the epoch. */
  firstSendMs: number;
  serverCpuMs: number;
  clientsCpuMs: number;
  /** Time the server's loop, and the clients' loops summed, were runnable but waiting for a CPU. */
  serverWaitMs: number;
  clientsWaitMs: number;
  wallMs: number;
}

/** Publishes `EVENTS_PER_TICK` incidents every `TICK_MS` for `durationMs`, then waits for the clients to get them. */
async function runPhase(target: Target, clients: ClientPool, phase: string, durationMs: number, template: Incident, nextSeq: () => number): Promise<PhaseResult> {
  await sleep(SETTLE_MS);
  const clients0 = await clients.usage();
  const serverCpu0 = process.cpuUsage();
  const serverWait0 = runQueueWaitMs();
  const ticks = Math.round(durationMs / TICK_MS);
  const start = performance.now() + TICK_MS;
  for (let tick = 0; tick < ticks; tick++) {
    const due = start + tick * TICK_MS;
    const wait = due - performance.now();
    // Behind schedule (a busy loop), the late ticks go out at once, but still one tick per turn.
    await (wait > 0 ? sleep(wait) : yieldToLoop());
    // Stamped with the scheduled time, so time an event waits for a busy event loop counts as latency.
    const attributes: BenchAttributes = { sentAtMs: performance.timeOrigin + due, phase };
    const batch: Incident[] = [];
    for (let i = 0; i < EVENTS_PER_TICK; i++) batch.push({ ...template, seq: nextSeq(), attributes });
    target.publish(batch);
  }
  const expected = ticks * EVENTS_PER_TICK * CLIENTS;
  const report = await clients.drain(phase, ticks * EVENTS_PER_TICK);
  const serverCpu = process.cpuUsage(serverCpu0);
  return {
    ...report,
    expected,
    firstSendMs: performance.timeOrigin + start,
    serverCpuMs: (serverCpu.user + serverCpu.system) / 1000,
    clientsCpuMs: report.cpuMs - clients0.cpuMs,
    serverWaitMs: runQueueWaitMs() - serverWait0,
    clientsWaitMs: report.waitMs - clients0.waitMs,
    wallMs: performance.now() - start,
  };
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

interface Summary {
  rate: number;
  received: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  serverCpu: number;
  clientsCpu: number;
  serverWait: number;
  clientsWait: number;
  problems: string[];
}

/** Deliveries per second over all rounds (each from its first scheduled send to its last receipt), and latency over all samples. */
function summarise(rounds: readonly PhaseResult[], eventsPerRound: number): Summary {
  const received = rounds.reduce((n, r) => n + r.received, 0);
  const expected = rounds.reduce((n, r) => n + r.expected, 0);
  const seconds = rounds.reduce((s, r) => s + Math.max(0, r.lastReceiveMs - r.firstSendMs), 0) / 1000;
  const samples = new Float64Array(received);
  let offset = 0;
  for (const r of rounds) {
    samples.set(r.latenciesMs, offset);
    offset += r.latenciesMs.length;
  }
  samples.sort();
  const wallMs = rounds.reduce((s, r) => s + r.wallMs, 0);
  const problems = rounds.flatMap((r) => [
    ...(r.received === r.expected ? [] : [`${r.phase}: ${r.received} of ${r.expected} deliveries arrived within ${DRAIN_TIMEOUT_MS} ms after the last send`]),
    ...(r.outOfOrder === 0 ? [] : [`${r.phase}: ${r.outOfOrder} deliveries out of seq order or repeated`]),
    ...(r.clientsReached === CLIENTS && r.minPerClient === eventsPerRound ? [] : [`${r.phase}: ${r.clientsReached} of ${CLIENTS} clients got events, the fewest ${r.minPerClient} of ${eventsPerRound}`]),
  ]);
  return {
    rate: received / seconds,
    received,
    expected,
    p50: percentile(samples, 0.5),
    p99: percentile(samples, 0.99),
    max: samples[samples.length - 1] ?? NaN,
    serverCpu: rounds.reduce((s, r) => s + r.serverCpuMs, 0) / wallMs,
    clientsCpu: rounds.reduce((s, r) => s + r.clientsCpuMs, 0) / wallMs,
    serverWait: rounds.reduce((s, r) => s + r.serverWaitMs, 0) / wallMs,
    clientsWait: rounds.reduce((s, r) => s + r.clientsWaitMs, 0) / wallMs,
    problems,
  };
}

/** `ours-0 14/120` per round, in the order run: shows whether one round (a load burst) made the figure. */
function roundLatencies(rounds: readonly PhaseResult[]): string {
  return rounds
    .map((r) => {
      const sorted = r.latenciesMs.slice().sort();
      return `${r.phase} ${percentile(sorted, 0.5).toFixed(0)}/${percentile(sorted, 0.99).toFixed(0)}`;
    })
    .join(', ');
}

const pct = (share: number): string => (Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : 'n/a');

const describe = (s: Summary): string =>
  `${s.received}/${s.expected} delivered, latency p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms; ` +
  `CPU server ${(s.serverCpu * 100).toFixed(0)}%, clients ${(s.clientsCpu * 100).toFixed(0)}% of a core (summed over processes); ` +
  `waiting for a CPU while runnable: server ${pct(s.serverWait)}, clients ${pct(s.clientsWait)}`;

export const fanout: BenchCase = {
  name: 'fanout',
  async run(): Promise<BenchResult> {
    const [sample] = syntheticIncidents(mulberry32(11), 50).filter((n) => n.reporter !== null);
    if (!sample) throw new Error('no synthetic incident with a reporter to publish');
    const { lon: _lon, lat: _lat, ...incident } = sample;
    const template: Incident = { ...incident, seq: 0 };
    let seq = 0;
    const nextSeq = (): number => ++seq;

    const ours = await startOurs();
    const baseline = await startBaseline();
    const clients = new ClientPool({ processes: CLIENT_PROCESSES, clientsPerTarget: CLIENTS, drainTimeoutMs: DRAIN_TIMEOUT_MS });
    const loadBefore = machineLoad();
    try {
      await clients.connect([ours, baseline]);
      for (const target of [ours, baseline]) await runPhase(target, clients, `${target.label}-warmup`, WARMUP_MS, template, nextSeq);
      const results: Record<Target['label'], PhaseResult[]> = { ours: [], baseline: [] };
      const inOrder: PhaseResult[] = [];
      const roundMs = MEASURE_MS / ROUNDS;
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating who goes first keeps a slow start or a drift in machine load from favouring one side.
        const order = round % 2 === 0 ? [ours, baseline] : [baseline, ours];
        for (const target of order) {
          const result = await runPhase(target, clients, `${target.label}-${round}`, roundMs, template, nextSeq);
          results[target.label].push(result);
          inOrder.push(result);
        }
      }
      const eventsPerRound = Math.round(roundMs / TICK_MS) * EVENTS_PER_TICK;
      const o = summarise(results.ours, eventsPerRound);
      const b = summarise(results.baseline, eventsPerRound);
      const ratio = o.rate / b.rate;

      const failures = o.problems.map((p) => `ours ${p}`);
      if (ratio < TARGET_THROUGHPUT_RATIO) failures.push(`throughput ratio ${ratio.toFixed(2)} is below the target of ${TARGET_THROUGHPUT_RATIO}`);
      if (!(o.p99 <= TARGET_P99_MS)) failures.push(`ours p99 latency ${o.p99.toFixed(1)} ms is above the target of ${TARGET_P99_MS} ms`);
      const payloadBytes = Buffer.byteLength(JSON.stringify({ ...template, attributes: { sentAtMs: Date.now(), phase: 'baseline-0' } }));
      return {
        name: 'fanout',
        ours: o.rate,
        baseline: b.rate,
        unit: 'deliveries/s',
        ratio,
        targetRatio: TARGET_THROUGHPUT_RATIO,
        notes: [
          `${CLIENTS} socket.io-client clients per server (websocket, one connection each) in ${CLIENT_PROCESSES} child processes; ${EVENTS_PER_TICK} events every ${TICK_MS} ms (${(EVENTS_PER_TICK * 1000) / TICK_MS} events/s) for ${MEASURE_MS / 1000} s per server in ${ROUNDS} alternating rounds, after ${WARMUP_MS / 1000} s warm-up each; payload an incident with a reporter, ${payloadBytes} bytes of JSON`,
          `ours: createLiveHub, batch mode (events:batch), admin clients, stub event log: ${describe(o)}`,
          `baseline: bare socket.io Server, io.emit('incident:created') per event: ${describe(b)}`,
          `latency p50/p99 ms per round, in the order run: ${roundLatencies(inOrder)}`,
          `rate = deliveries received by all clients / time from the first scheduled send to the last receipt; latency = receipt in the clients' process − scheduled send time`,
          ...b.problems.map((p) => `baseline ${p}`),
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          ...(o.serverWait > OVERSUBSCRIBED
            ? [`WARNING: our server's event loop waited for a CPU ${pct(o.serverWait)} of the time: the cores were oversubscribed (other processes, or the clients), so its latency is partly the machine's; rerun on a quiet machine before trusting a failure`]
            : []),
          `target: ours >= ${TARGET_THROUGHPUT_RATIO}x baseline deliveries/s and ours p99 <= ${TARGET_P99_MS} ms`,
        ],
        failures,
      };
    } finally {
      await clients.close();
      await ours.close();
      await baseline.close();
    }
  },
};
