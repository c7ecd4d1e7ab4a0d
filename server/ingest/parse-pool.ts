/**
 * The main thread's side of intake parsing: a small pool of worker threads, reused across
 * requests, fed from one queue. A parse that runs past its time is stopped with its worker (a new
 * one starts for the next job); a worker that dies becomes an error answer and a fresh worker,
 * never a crashed server.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { ParseJob, ParseOutcome } from './parse-body.ts';
import type { FromParseWorker, ToParseWorker } from './parse-worker.ts';

export const PARSE_WORKER_ENTRY = new URL('./parse-worker-entry.mjs', import.meta.url);

/** Why a parse has no outcome; intake.ts turns each into an answer. */
export type ParseFailure = 'too_complex' | 'crashed' | 'busy' | 'stopping';

export class IntakeParseError extends Error {
  override readonly name = 'IntakeParseError';
  constructor(readonly reason: ParseFailure, message: string) {
    super(message);
  }
}

export interface IntakeParser {
  /** Parses in a worker; `job.body`'s memory is handed over (transferred) when it can be. */
  parse(job: ParseJob): Promise<ParseOutcome>;
  close(): Promise<void>;
}

export interface IntakeParserOptions {
  logger: Logger;
  /** A job still running this long after its worker was ready is stopped ("too complex"). */
  timeoutMs: number;
  /** Worker threads; 2 lets one slow body not hold every other intake request. */
  workers?: number;
  /** Jobs waiting beyond this are refused (503) rather than holding their bodies in memory. */
  maxQueued?: number;
  entry?: URL;
  /** Heap of one worker: a body that would need more kills only its worker. */
  resourceLimits?: ResourceLimits;
}

interface Pending {
  id: number;
  message: ToParseWorker;
  transfer: ArrayBuffer[];
  resolve(outcome: ParseOutcome): void;
  reject(error: IntakeParseError): void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  job: Pending | null;
  timer: NodeJS.Timeout | undefined;
}

/** The body's own memory when it spans all of it (transferred), else a copy of it. */
function transferable(body: Uint8Array): Uint8Array {
  const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
  return owns ? body : body.slice();
}

export function createIntakeParser(options: IntakeParserOptions): IntakeParser {
  const { logger, timeoutMs } = options;
  const entry = options.entry ?? PARSE_WORKER_ENTRY;
  const maxQueued = options.maxQueued ?? 64;
  const slots: Slot[] = Array.from({ length: Math.max(1, options.workers ?? 2) }, () => ({ worker: null, ready: false, job: null, timer: undefined }));
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const finish = (slot: Slot): Pending | null => {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = null;
    slot.timer = undefined;
    slot.worker?.unref();
    return job;
  };

  const arm = (slot: Slot) => {
    if (!slot.ready || slot.job === null || slot.timer !== undefined) return;
    const worker = slot.worker;
    slot.timer = setTimeout(() => {
      const job = finish(slot);
      slot.worker = null;
      void worker?.terminate();
      logger.warn({ timeoutMs }, 'intake: a parse ran past its time limit; its worker is replaced');
      job?.reject(new IntakeParseError('too_complex', `reading this request took longer than ${timeoutMs / 1000} s (INTAKE_PARSE_SECONDS), so it was stopped: it is too complex; send smaller batches or simpler geometry`));
      pump();
    }, timeoutMs);
  };

  function start(slot: Slot): Worker {
    const worker = new Worker(entry, { name: 'city-brain-intake-parse', ...(options.resourceLimits && { resourceLimits: options.resourceLimits }) });
    let lastError: Error | null = null;
    slot.ready = false;
    worker.on('message', (message: FromParseWorker) => {
      if (slot.worker !== worker) return;
      if (message.type === 'ready') {
        slot.ready = true;
        return arm(slot);
      }
      if (slot.job?.id !== message.id) return;
      const job = finish(slot);
      if (message.type === 'done') job?.resolve(message.outcome);
      else job?.reject(new IntakeParseError('crashed', `reading the request failed inside the parser (${message.message}); nothing was stored`));
      pump();
    });
    worker.on('error', (err) => {
      lastError = err;
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return; // replaced after a timeout, or closing
      const job = finish(slot);
      slot.worker = null;
      const why = lastError ? lastError.message : `exit code ${code}`;
      logger.error({ err: lastError, code }, 'intake: a parse worker stopped; a new one starts with the next request');
      job?.reject(new IntakeParseError('crashed', `the parser stopped while reading this request (${why}); nothing was stored, and it is restarted`));
      pump();
    });
    worker.unref();
    return worker;
  }

  function pump(): void {
    if (closed) return;
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (slot.job !== null) continue;
      const job = queue.shift()!;
      slot.worker ??= start(slot);
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.message, job.transfer);
      arm(slot);
    }
  }

  // One worker starts now, so the first request after a start does not wait for it to load
  // (seconds on a busy machine); the others start when two requests overlap.
  slots[0]!.worker = start(slots[0]!);

  return {
    parse(job) {
      if (closed) return Promise.reject(new IntakeParseError('stopping', 'the server is stopping; send the request again in a moment'));
      if (queue.length >= maxQueued) {
        return Promise.reject(new IntakeParseError('busy', `${queue.length} intake requests are already waiting to be read; send this one again in a few seconds`));
      }
      const body = transferable(job.body);
      const id = nextId++;
      return new Promise<ParseOutcome>((resolve, reject) => {
        queue.push({ id, message: { id, job: { ...job, body } }, transfer: [body.buffer as ArrayBuffer], resolve, reject });
        pump();
      });
    },
    async close() {
      if (closed) return;
      closed = true;
      const err = new IntakeParseError('stopping', 'the server is stopping; send the request again in a moment');
      for (const job of queue.splice(0)) job.reject(err);
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          slot.worker = null;
          finish(slot)?.reject(err);
          await worker?.terminate();
        }),
      );
    },
  };
}
