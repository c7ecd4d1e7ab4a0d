/**
 * The equity worker thread: holds the population cells and their spatial index, computes access,
 * summaries and what-ifs, and serialises the answers, so the main thread (HTTP, socket.io, the
 * store) stays free while 100k cells are measured. Loaded by `equity-worker-entry.mjs`.
 */
import { createHash } from 'node:crypto';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { EquityMethod, EquityResult } from '../contract/equity.ts';
import { CellIndex, computeAccess } from '../domain/equity/access.ts';
import { applyWhatIf, diffEquity, summariseEquity, type EquityInputs, type WhatIfEdits } from '../domain/equity/equity.ts';
import type { CellSet, FacilityPoint, RegionRef, SilentThresholds } from '../domain/equity/types.ts';

/** Everything one answer needs besides the cells the worker already holds. */
export interface EquityJob {
  kind: string;
  radiusM: number;
  method: EquityMethod;
  inputsVersion: number;
  /** Facilities of `kind` only. */
  facilities: FacilityPoint[];
  regions: RegionRef[];
  appeals: Map<string, number>;
  thresholds: SilentThresholds;
  synthetic: boolean;
  nowMs: number;
}

export type ToWorker =
  /** New cells (population or their regions changed); their typed arrays are transferred. */
  | { type: 'cells'; cellsVersion: number; cells: CellSet }
  | { type: 'equity'; id: number; cellsVersion: number; job: EquityJob }
  | { type: 'what-if'; id: number; cellsVersion: number; job: EquityJob; edits: WhatIfEdits };

/** The figures an `equity:updated` event carries. */
export interface EquitySummary {
  gini: number;
  theil: number;
  meanAccess: number;
  silentRegions: number;
}

export type FromWorker =
  /** `body` is the UTF-8 JSON answer (transferred), `etag` its hash. */
  | { type: 'answer'; id: number; body: Uint8Array; etag: string; summary: EquitySummary }
  /** The request cannot be answered as asked (e.g. a what-if names an unknown facility). */
  | { type: 'refused'; id: number; message: string; path: string }
  | { type: 'failed'; id: number; message: string };

/** Access vectors kept: one per (inputs version, kind, radius, method); 100k cells are 800 kB each. */
const CACHE_SIZE = 16;

let cellsVersion = -1;
let index: CellIndex | null = null;
const accessCache = new Map<string, Float64Array>();
const encoder = new TextEncoder();

function accessFor(job: EquityJob, cellIndex: CellIndex): Float64Array {
  const key = `${job.inputsVersion}|${job.kind}|${job.radiusM}|${job.method}`;
  const cached = accessCache.get(key);
  if (cached) {
    // Re-inserted: the Map's order is then least recently used first.
    accessCache.delete(key);
    accessCache.set(key, cached);
    return cached;
  }
  const access = computeAccess(cellIndex, job.facilities, { radiusM: job.radiusM, method: job.method });
  accessCache.set(key, access);
  for (const oldest of accessCache.keys()) {
    if (accessCache.size <= CACHE_SIZE) break;
    accessCache.delete(oldest);
  }
  return access;
}

function inputsOf(job: EquityJob, cellIndex: CellIndex, facilities: readonly FacilityPoint[]): EquityInputs {
  return {
    kind: job.kind,
    index: cellIndex,
    facilities,
    regions: job.regions,
    appeals: job.appeals,
    thresholds: job.thresholds,
    inputsVersion: job.inputsVersion,
    synthetic: job.synthetic,
  };
}

const summaryOf = (r: EquityResult): EquitySummary => ({
  gini: r.gini,
  theil: r.theil,
  meanAccess: r.meanAccess,
  silentRegions: r.regions.filter((x) => x.silent).length,
});

/** Serialised here, not on the main thread: the JSON of 100k cells is ~10 MB. */
function answer(id: number, value: unknown, result: EquityResult): FromWorker {
  const body = encoder.encode(JSON.stringify(value));
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  return { type: 'answer', id, body, etag, summary: summaryOf(result) };
}

function handle(message: Exclude<ToWorker, { type: 'cells' }>): FromWorker {
  const cellIndex = index;
  if (cellIndex === null || message.cellsVersion !== cellsVersion) {
    return { type: 'failed', id: message.id, message: `the equity worker holds cells version ${cellsVersion}, not ${message.cellsVersion}` };
  }
  const { job } = message;
  const options = { radiusM: job.radiusM, method: job.method };
  const now = new Date(job.nowMs);
  const before = summariseEquity(inputsOf(job, cellIndex, job.facilities), accessFor(job, cellIndex), options, now);
  if (message.type === 'equity') return answer(message.id, before, before);

  const edited = applyWhatIf(job.facilities, message.edits);
  if (!edited.ok) return { type: 'refused', id: message.id, message: edited.message, path: edited.path };
  // Not cached: a what-if is one planner's sketch, unlikely to be asked again as it is.
  const afterAccess = computeAccess(cellIndex, edited.facilities, options);
  const after = summariseEquity(inputsOf(job, cellIndex, edited.facilities), afterAccess, options, now);
  return answer(message.id, { after, changes: diffEquity(before, after) }, after);
}

/**
 * On two cores the worker competes with the main thread for a CPU; a lower priority for this
 * thread alone (Linux applies `setpriority` to the calling thread) keeps HTTP answers first.
 */
function yieldToMainThread(): void {
  try {
    setPriority(0, 10);
  } catch {
    // Not permitted or not supported here: the worker then runs at the main thread's priority.
  }
}

const port = parentPort;
if (port) {
  yieldToMainThread();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'cells') {
      cellsVersion = message.cellsVersion;
      index = new CellIndex(message.cells);
      accessCache.clear();
      return;
    }
    let reply: FromWorker;
    try {
      reply = handle(message);
    } catch (err) {
      reply = { type: 'failed', id: message.id, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply, reply.type === 'answer' ? [reply.body.buffer as ArrayBuffer] : []);
  });
}
