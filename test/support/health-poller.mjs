/**
 * A worker thread that polls `GET /api/v1/health` at a steady pace and records each answer's
 * latency. It runs on its own event loop, so what the test's main thread does (posting batches,
 * decoding events) does not inflate the figures: they are the server's, plus loopback.
 * workerData: {url, intervalMs}; posts 'ready' at once; message 'stop' → posts back {latencies: number[], failures: string[]}.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { url, intervalMs } = workerData;
const latencies = [];
const failures = [];
let stopping = false;

parentPort.on('message', (message) => {
  if (message === 'stop') stopping = true;
});

parentPort.postMessage('ready');
while (!stopping) {
  const started = performance.now();
  try {
    const res = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 200) failures.push(`status ${res.status}`);
  } catch (error) {
    failures.push(error instanceof Error ? error.message : String(error));
  }
  const took = performance.now() - started;
  latencies.push(took);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - took)));
}
parentPort.postMessage({ latencies, failures });
