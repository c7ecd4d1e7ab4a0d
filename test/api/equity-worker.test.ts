/**
 * The equity worker thread as the server drives it: the real worker (TypeScript loaded under
 * vitest through its `.mjs` entry) answers and stops on `close()`; a worker that dies mid-request
 * fails that request with a readable message, and the next request gets a fresh worker.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { EquityResult } from '../../server/contract/equity.ts';
import { DEFAULT_SILENT_THRESHOLDS } from '../../server/domain/equity/types.ts';
import { createEquityWorkerClient, type EquityWorkerClient, type VersionedCells } from '../../server/services/equity-worker-client.ts';
import type { EquityJob } from '../../server/services/equity-worker.ts';

const logger = pino({ level: 'silent' });
const cells: VersionedCells = {
  version: 1,
  cells: { ids: ['a', 'b'], lon: Float64Array.of(8, 8.001), lat: Float64Array.of(47, 47), population: Float64Array.of(30, 10), regionCodes: ['R', 'R'] },
};
const job = (kind: string): EquityJob => ({
  kind,
  radiusM: 500,
  method: '2sfca',
  inputsVersion: 1,
  // ~76 m from a, ~0 m from b: both cells within 500 m, so R = 20 / 40 and every cell's access is 0.5.
  facilities: [{ id: 'f', lon: 8.001, lat: 47, capacity: 20 }],
  regions: [{ code: 'R', name: 'R' }],
  appeals: new Map(),
  thresholds: DEFAULT_SILENT_THRESHOLDS,
  synthetic: false,
  nowMs: Date.UTC(2026, 10, 23),
});
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as EquityResult;

/** A stand-in worker: answers `{}`, but throws on kind `crash` and exits on kind `exit`. */
const FRAGILE = new URL(
  `data:text/javascript,${encodeURIComponent(`
    import { parentPort } from 'node:worker_threads';
    parentPort.on('message', (m) => {
      if (m.type === 'cells') return;
      if (m.job.kind === 'crash') throw new Error('boom in the worker');
      if (m.job.kind === 'exit') process.exit(7);
      parentPort.postMessage({ type: 'answer', id: m.id, body: new TextEncoder().encode('{}'), etag: '"x"', summary: { gini: 0, theil: 0, meanAccess: 0, silentRegions: 0 } });
    });`)}`,
);

let client: EquityWorkerClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

describe('equity worker', () => {
  it('the real worker answers as JSON and stops on close()', async () => {
    client = createEquityWorkerClient({ logger });
    const reply = await client.run(cells, { type: 'equity', job: job('hospital') });
    expect(reply.type).toBe('answer');
    if (reply.type !== 'answer') return;
    const result = decode(reply.body);
    expect(result.cells.map((c) => c.access)).toEqual([0.5, 0.5]);
    expect(reply.summary).toMatchObject({ gini: 0, theil: 0, meanAccess: 0.5 });
    expect(client.threadId()).not.toBeNull();
    await client.close(); // resolves once the thread has exited
    expect(client.threadId()).toBeNull();
    await expect(client.run(cells, { type: 'equity', job: job('hospital') })).rejects.toThrow(/stopping/);
  });

  it('a what-if naming an unknown facility is refused with the field, not failed', async () => {
    client = createEquityWorkerClient({ logger });
    const reply = await client.run(cells, { type: 'what-if', job: job('hospital'), edits: { add: [], remove: ['nope'], resize: [] } });
    expect(reply).toMatchObject({ type: 'refused', path: 'remove.0' });
  });

  it.each([
    ['throws', 'crash', /boom in the worker/],
    ['exits', 'exit', /exit code 7/],
  ])('a worker that %s fails the request readably and is replaced', async (_how, kind, message) => {
    client = createEquityWorkerClient({ logger, entry: FRAGILE });
    await expect(client.run(cells, { type: 'equity', job: job('hospital') })).resolves.toMatchObject({ type: 'answer' });
    const first = client.threadId();
    await expect(client.run(cells, { type: 'equity', job: job(kind) })).rejects.toThrow(message);
    expect(client.threadId()).toBeNull();
    // The next request starts a new thread (and sends it the cells again) and is answered.
    await expect(client.run(cells, { type: 'equity', job: job('hospital') })).resolves.toMatchObject({ type: 'answer' });
    expect(client.threadId()).not.toBe(first);
  });
});
