/**
 * A stand-in parse worker for parse-pool.test.ts: answers a job by its `format` — `hang` loops
 * forever, `crash` exits the thread, `throw` reports a failure, `fat` fills its heap, anything else
 * answers at once with the charset it was sent.
 */
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ id, job }) => {
  if (job.format === 'hang') for (;;);
  if (job.format === 'crash') process.exit(3);
  if (job.format === 'throw') return parentPort.postMessage({ type: 'failed', id, message: 'boom' });
  if (job.format === 'fat') {
    const hoard = [];
    for (;;) hoard.push(new Array(1e6).fill(hoard.length));
  }
  parentPort.postMessage({ type: 'done', id, outcome: { type: 'parsed', parsed: [], requestHash: `${job.charset}:${job.body.length}` } });
});
parentPort.postMessage({ type: 'ready' });
