/**
 * The main thread's side of the equity worker: starts it, sends it the cells when they changed,
 * matches answers to requests, and turns a crash into a rejected request and a fresh worker.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { WhatIfEdits } from '../domain/equity/equity.ts';
import type { CellSet } from '../domain/equity/types.ts';
import type { EquityJob, FromWorker, ToWorker } from './equity-worker.ts';

export const EQUITY_WORKER_ENTRY = new URL('./equity-worker-entry.mjs', import.meta.url);

/** Cells as the main thread holds them, with the version the worker is told. */
export interface VersionedCells {
  version: number;
  cells: CellSet;
}

export type EquityRequest = { type: 'equity'; job: EquityJob } | { type: 'what-if'; job: EquityJob; edits: WhatIfEdits };
export type EquityReply = Exclude<FromWorker, { type: 'failed' }>;

/** The worker failed or died while answering; the message says what happened, for a 500 answer. */
export class EquityWorkerError extends Error {
  override readonly name = 'EquityWorkerError';
}

export interface EquityWorkerClient {
  run(cells: VersionedCells, request: EquityRequest): Promise<EquityReply>;
  /** Thread id of the running worker (none before the first request or after a crash). */
  threadId(): number | null;
  /** Stops the worker thread; requests still waiting fail. */
  close(): Promise<void>;
}

interface Running {
  worker: Worker;
  cellsVersion: number;
  waiting: Map<number, { resolve(reply: EquityReply): void; reject(err: Error): void }>;
}

/** Copies of the columns, so they can be transferred while the main thread keeps its own. */
function transferable(cells: CellSet): { cells: CellSet; transfer: ArrayBuffer[] } {
  const copy: CellSet = { ...cells, lon: cells.lon.slice(), lat: cells.lat.slice(), population: cells.population.slice() };
  return { cells: copy, transfer: [copy.lon.buffer, copy.lat.buffer, copy.population.buffer] as ArrayBuffer[] };
}

export function createEquityWorkerClient(options: { logger: Logger; entry?: URL }): EquityWorkerClient {
  const { logger } = options;
  const entry = options.entry ?? EQUITY_WORKER_ENTRY;
  let running: Running | null = null;
  let nextId = 1;
  let closed = false;

  function start(): Running {
    const worker = new Worker(entry, { name: 'city-brain-equity' });
    const state: Running = { worker, cellsVersion: -1, waiting: new Map() };
    let lastError: Error | null = null;
    worker.on('message', (message: FromWorker) => {
      const waiter = state.waiting.get(message.id);
      if (!waiter) return;
      state.waiting.delete(message.id);
      if (state.waiting.size === 0) worker.unref();
      if (message.type === 'failed') waiter.reject(new EquityWorkerError(`the equity computation failed: ${message.message}`));
      else waiter.resolve(message);
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      if (running === state) running = null;
      if (closed) return;
      const why = lastError ? lastError.message : `exit code ${code}`;
      logger.error({ err: lastError, code, waiting: state.waiting.size }, 'equity: the worker thread stopped; a new one starts with the next request');
      const err = new EquityWorkerError(`the equity worker stopped while computing (${why}); it is restarted, so try again`);
      for (const waiter of state.waiting.values()) waiter.reject(err);
      state.waiting.clear();
    });
    // An idle worker alone must not keep the process alive; one with work to finish does.
    worker.unref();
    return state;
  }

  return {
    run(cells, request) {
      if (closed) return Promise.reject(new EquityWorkerError('the server is stopping'));
      const state = (running ??= start());
      if (state.cellsVersion !== cells.version) {
        const { cells: copy, transfer } = transferable(cells.cells);
        state.worker.postMessage({ type: 'cells', cellsVersion: cells.version, cells: copy } satisfies ToWorker, transfer);
        state.cellsVersion = cells.version;
      }
      const id = nextId++;
      return new Promise<EquityReply>((resolve, reject) => {
        state.waiting.set(id, { resolve, reject });
        state.worker.ref();
        state.worker.postMessage({ ...request, id, cellsVersion: cells.version } satisfies ToWorker);
      });
    },
    threadId: () => running?.worker.threadId ?? null,
    async close() {
      if (closed) return;
      closed = true;
      const state = running;
      running = null;
      if (!state) return;
      const err = new EquityWorkerError('the server is stopping');
      for (const waiter of state.waiting.values()) waiter.reject(err);
      state.waiting.clear();
      await state.worker.terminate();
    },
  };
}
