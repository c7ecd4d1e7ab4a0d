/**
 * The parse pool keeps answering whatever its workers do: a parse past its time is "too complex"
 * and its worker replaced, a worker that exits or runs out of heap is an error answer and a fresh
 * worker, queued jobs wait their turn, and the real worker reads a real body.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_INTAKE_LIMITS } from './limits.ts';
import type { IntakeFormat, ParseJob } from './parse-body.ts';
import { createIntakeParser, IntakeParseError, type IntakeParser } from './parse-pool.ts';

const STAND_IN = new URL('./parse-pool.test-worker.mjs', import.meta.url);
const logger = pino({ level: 'silent' });
const job = (format: string, text = 'x'): ParseJob => ({
  format: format as IntakeFormat,
  body: new TextEncoder().encode(text),
  charset: 'utf-8',
  limits: DEFAULT_INTAKE_LIMITS,
  options: { nowMs: 0 },
  hashSource: null,
});
const reason = (p: Promise<unknown>) => p.then(() => 'answered', (e: unknown) => (e instanceof IntakeParseError ? e.reason : String(e)));

let pool: IntakeParser | undefined;
afterEach(async () => {
  await pool?.close();
});

describe('intake parse pool', () => {
  it('stops a parse past its time, answers too_complex, and serves the next job with a new worker', async () => {
    pool = createIntakeParser({ logger, timeoutMs: 300, workers: 1, entry: STAND_IN });
    const started = performance.now();
    const hung = reason(pool.parse(job('hang')));
    const queued = pool.parse(job('json', 'abc'));
    expect(await hung).toBe('too_complex');
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await queued).toMatchObject({ requestHash: 'utf-8:3' });
  });

  it('turns an exiting worker, a failure report and an exhausted heap into errors, and keeps serving', async () => {
    pool = createIntakeParser({ logger, timeoutMs: 10_000, workers: 2, entry: STAND_IN, resourceLimits: { maxOldGenerationSizeMb: 32 } });
    expect(await reason(pool.parse(job('crash')))).toBe('crashed');
    expect(await reason(pool.parse(job('throw')))).toBe('crashed');
    expect(await reason(pool.parse(job('fat')))).toBe('crashed');
    const answers = await Promise.all([1, 2, 3, 4, 5].map((n) => pool!.parse(job('json', 'y'.repeat(n)))));
    expect(answers.map((a) => (a.type === 'parsed' ? a.requestHash : null))).toEqual(['utf-8:1', 'utf-8:2', 'utf-8:3', 'utf-8:4', 'utf-8:5']);
  });

  it('refuses beyond its queue, and every waiting job when it closes', async () => {
    pool = createIntakeParser({ logger, timeoutMs: 10_000, workers: 1, maxQueued: 2, entry: STAND_IN });
    const running = reason(pool.parse(job('hang')));
    const waiting = [reason(pool.parse(job('json'))), reason(pool.parse(job('json')))];
    expect(await reason(pool.parse(job('json')))).toBe('busy');
    await pool.close();
    expect(await Promise.all([running, ...waiting])).toEqual(['stopping', 'stopping', 'stopping']);
  });

  it('reads a real body in the real worker, and hands the body over rather than copying it', async () => {
    pool = createIntakeParser({ logger, timeoutMs: 10_000 });
    const body = new TextEncoder().encode('lat,lon,title\n30.1,120.2,fire\n30.2,120.3,flood');
    const outcome = await pool.parse({ ...job('csv'), body, hashSource: '' });
    expect(body.byteLength).toBe(0); // transferred to the worker
    expect(outcome.type).toBe('parsed');
    if (outcome.type !== 'parsed' || Array.isArray(outcome.parsed)) throw new Error('expected drafts');
    expect(outcome.parsed.drafts.map((d) => d.draft.title)).toEqual(['fire', 'flood']);
    expect(outcome.requestHash).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);
});
