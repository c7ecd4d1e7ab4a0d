/** The fan-out bench's side of its client processes: starts them, asks them, merges their reports. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, PhaseReport, TargetMode } from './fanout-clients.ts';

const CLIENTS_ENTRY = fileURLToPath(new URL('./fanout-clients.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** How long a process may take to close its clients before it is killed. */
const CLOSE_TIMEOUT_MS = 5_000;

/** One child process of clients, spoken to one request at a time. */
class ClientsProcess {
  private readonly child: ChildProcess;
  private waiting: { resolve: (m: ChildMessage) => void; reject: (e: Error) => void } | null = null;
  private readonly exited: Promise<void>;

  constructor() {
    this.child = fork(CLIENTS_ENTRY, [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      // Structured clone: latency samples cross as a Float64Array, not as JSON text.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: ChildMessage) => {
      const waiting = this.waiting;
      this.waiting = null;
      if (message.type === 'error') waiting?.reject(new Error(`fan-out clients: ${message.message}`));
      else waiting?.resolve(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.waiting?.reject(new Error(`a fan-out clients process exited (code ${code}) before answering`));
        this.waiting = null;
        resolve();
      });
    });
  }

  request<T extends ChildMessage['type']>(message: ParentMessage, answer: T): Promise<Extract<ChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (m) => (m.type === answer ? resolve(m as Extract<ChildMessage, { type: T }>) : reject(new Error(`expected ${answer}, got ${m.type}`))),
        reject,
      };
      this.child.send(message);
    });
  }

  async close(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ParentMessage);
    const timer = setTimeout(() => this.child.kill(), CLOSE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface PoolOptions {
  processes: number;
  /** Clients per server, over all processes. */
  clientsPerTarget: number;
  /** How long the clients may take to receive the rest of a phase once publishing stopped. */
  drainTimeoutMs: number;
}

/**
 * The clients, split over child processes: decoding 50 × 2,000 incidents/s is about a core's work
 * by itself, and one process would then measure its own backlog instead of the server's.
 */
export class ClientPool {
  private readonly processes: ClientsProcess[];

  constructor(private readonly options: PoolOptions) {
    this.processes = Array.from({ length: options.processes }, () => new ClientsProcess());
  }

  /** Clients each process opens per server. */
  private share(i: number): number {
    const { clientsPerTarget: n, processes } = this.options;
    return Math.floor(n / processes) + (i < n % processes ? 1 : 0);
  }

  async connect(targets: readonly { mode: TargetMode; url: string }[]): Promise<void> {
    const urls = targets.map((t) => ({ mode: t.mode, url: t.url }));
    await Promise.all(this.processes.map((p, i) => p.request({ type: 'connect', targets: urls, clientsPerTarget: this.share(i), token: 'bench' }, 'ready')));
  }

  /** CPU time all client processes have used so far, and time their loops waited for a CPU, ms. */
  async usage(): Promise<{ cpuMs: number; waitMs: number }> {
    const answers = await Promise.all(this.processes.map((p) => p.request({ type: 'mark' }, 'cpu')));
    return { cpuMs: answers.reduce((sum, a) => sum + a.cpuMs, 0), waitMs: answers.reduce((sum, a) => sum + a.waitMs, 0) };
  }

  /** Waits for every process to receive its share of `eventsSent` × clients, and merges their reports. */
  async drain(phase: string, eventsSent: number): Promise<PhaseReport & { cpuMs: number; waitMs: number }> {
    const reports = await Promise.all(
      this.processes.map((p, i) => p.request({ type: 'drain', phase, expected: eventsSent * this.share(i), timeoutMs: this.options.drainTimeoutMs }, 'drained')),
    );
    const latenciesMs = new Float64Array(reports.reduce((n, r) => n + r.latenciesMs.length, 0));
    let offset = 0;
    for (const r of reports) {
      latenciesMs.set(r.latenciesMs, offset);
      offset += r.latenciesMs.length;
    }
    return {
      phase,
      cpuMs: reports.reduce((sum, r) => sum + r.cpuMs, 0),
      waitMs: reports.reduce((sum, r) => sum + r.waitMs, 0),
      received: reports.reduce((sum, r) => sum + r.received, 0),
      lastReceiveMs: Math.max(...reports.map((r) => r.lastReceiveMs)),
      latenciesMs,
      outOfOrder: reports.reduce((sum, r) => sum + r.outOfOrder, 0),
      clientsReached: reports.reduce((sum, r) => sum + r.clientsReached, 0),
      minPerClient: Math.min(...reports.map((r) => r.minPerClient)),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()));
  }
}
