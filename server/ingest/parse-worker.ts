/**
 * The intake parse worker thread: reads request bodies (`parseIntakeBody`) one at a time, so a
 * large or hostile body costs this thread's time, never the main thread's. Loaded by
 * `parse-worker-entry.mjs`; `parse-pool.ts` starts, feeds and replaces it.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseIntakeBody, type ParseJob, type ParseOutcome } from './parse-body.ts';

export type ToParseWorker = { id: number; job: ParseJob };
export type FromParseWorker =
  /** Sent once, when the modules are loaded: a job's time limit starts counting from here. */
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: ParseOutcome }
  /** The parser threw: a bug, answered 500 rather than taking the worker down. */
  | { type: 'failed'; id: number; message: string };

const port = parentPort;
if (port) {
  // On two cores the parse competes with the main thread for a CPU; the lower priority (Linux
  // applies it to this thread alone) keeps health checks and other answers first.
  try {
    setPriority(0, 10);
  } catch {
    // not permitted here: the worker runs at the main thread's priority
  }
  port.on('message', ({ id, job }: ToParseWorker) => {
    let reply: FromParseWorker;
    try {
      reply = { type: 'done', id, outcome: parseIntakeBody(job) };
    } catch (error) {
      reply = { type: 'failed', id, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ type: 'ready' } satisfies FromParseWorker);
}
