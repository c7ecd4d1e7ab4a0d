/**
 * Service equity (docs/domain.md §7): keeps population, facilities and their regions in memory (read once
 * at start, updated on writes), hands every computation to the worker thread, and after each
 * change of inputs recomputes the default view of every kind and logs `equity:updated`.
 */
import type { Logger } from 'pino';
import type { Bbox } from '../contract/common.ts';
import { defaultRadiusM, type EquityDefaultSummaries, type EquityMethod, type EquityUpdatedEvent, type FacilityCollection, type PopulationCellProperties, type WhatIfInput } from '../contract/equity.ts';
import type { LogEvent } from '../contract/events.ts';
import { DEFAULT_SILENT_THRESHOLDS, type CellSet } from '../domain/equity/types.ts';
import { SOLE_LEADER, type Leadership } from '../cluster/leadership.ts';
import type { Publish } from './publish.ts';
import type { Database } from '../store/database.ts';
import * as store from '../store/equity.ts';
import { appendEvents, logEvent, reserveSeqs } from '../store/event-log.ts';
import type { Actor } from '../contract/auth.ts';
import { facilityFeature } from './equity-inputs.ts';
import { createEquityWorkerClient, type EquityRequest, type EquityWorkerClient, type VersionedCells } from './equity-worker-client.ts';
import type { EquityJob, EquitySummary } from './equity-worker.ts';
import type { RegionService } from './regions.ts';
import { createSerialQueue } from './serial-queue.ts';

const DAY_MS = 86_400_000;

/** A computed answer: UTF-8 JSON made by the worker, sent as it is. */
export interface JsonAnswer {
  body: Uint8Array;
  etag: string;
}

export interface PopulationCellFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: PopulationCellProperties;
}

export interface EquityService {
  /** The latest default-view summaries per kind (what `equity:updated` last carried, or the same computed now). */
  summary(): Promise<EquityDefaultSummaries>;
  equity(query: { kind: string; radiusM: number; method: EquityMethod }): Promise<JsonAnswer>;
  /** A what-if, or why it cannot be answered (`path` names the field). */
  whatIf(input: WhatIfInput): Promise<JsonAnswer | { refused: { message: string; path: string } }>;
  population(bbox: Bbox | null): Promise<{ type: 'FeatureCollection'; features: PopulationCellFeature[] }>;
  facilities(filter: { kind?: string; bbox?: Bbox }): Promise<FacilityCollection>;
  replacePopulation(rows: store.CellRow[], actor: Actor): Promise<{ count: number; population: number; outsideRegions: number; inputsVersion: number }>;
  replaceFacilities(rows: store.FacilityRow[], actor: Actor): Promise<{ count: number; kinds: Record<string, number>; inputsVersion: number }>;
  addFacilities(rows: store.FacilityRow[], actor: Actor): Promise<{ ok: true; collection: FacilityCollection; inputsVersion: number } | { ok: false; taken: string[] }>;
  /** Committed events; new regions re-assign the cells and facilities. */
  observe(events: readonly LogEvent[]): void;
  /** Resolves when every write and the recompute it caused are done (and its event published). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface EquityServiceOptions {
  db: Database;
  regions: RegionService;
  clock: () => number;
  logger: Logger;
  /** The application's publish: stored events go to the live stream. */
  publish: Publish;
  /** Several server nodes: only the leader re-assigns stored inputs after new regions. @default sole node */
  leadership?: Leadership;
  /**
   * Several server nodes: resolves once this node has been handed every event committed before the
   * call (or gives up after a while; never rejects: `catchUpWithin`). Reads wait for it, so an
   * answer reflects every write that came before it, on any node (new districts re-assign the
   * cells only when `regions:replaced` is handed on).
   */
  caughtUp?: () => Promise<void>;
}

interface Cells extends VersionedCells {
  synthetic: Uint8Array;
}
type Facility = store.FacilityRow & { regionCode: string | null };
type Reason = EquityUpdatedEvent['reason'];

function inBbox(lon: number, lat: number, [minLon, minLat, maxLon, maxLat]: Bbox): boolean {
  if (lat < minLat || lat > maxLat) return false;
  return minLon <= maxLon ? lon >= minLon && lon <= maxLon : lon >= minLon || lon <= maxLon;
}

export async function createEquityService(options: EquityServiceOptions): Promise<EquityService> {
  const { db, regions, clock, logger } = options;
  const leadership = options.leadership ?? SOLE_LEADER;
  const worker: EquityWorkerClient = createEquityWorkerClient({ logger });
  let cellsVersion = 0;
  let cells = cellsFrom(await store.loadCells(db));
  let facilities: Facility[] = (await store.loadFacilities(db)).map((f) => ({ ...f, regionCode: regions.assign(f.lon, f.lat) }));
  let inputsVersion = await store.inputsVersion(db);
  /** Writes and region changes, one at a time, so memory follows the store in commit order. */
  const writes = createSerialQueue();
  let pendingReason: Reason | null = null;
  let recomputing: Promise<void> | null = null;

  function cellsFrom(rows: readonly store.CellRow[]): Cells {
    const n = rows.length;
    const set: CellSet = { ids: new Array<string>(n), lon: new Float64Array(n), lat: new Float64Array(n), population: new Float64Array(n), regionCodes: new Array<string | null>(n) };
    const synthetic = new Uint8Array(n);
    rows.forEach((r, i) => {
      set.ids[i] = r.id;
      set.lon[i] = r.lon;
      set.lat[i] = r.lat;
      set.population[i] = r.population;
      set.regionCodes[i] = regions.assign(r.lon, r.lat);
      synthetic[i] = r.synthetic ? 1 : 0;
    });
    return { version: ++cellsVersion, cells: set, synthetic };
  }

  /** Before a read: the log followed up to now, then the writes and re-assignments it queued. */
  async function settled(): Promise<void> {
    await options.caughtUp?.();
    await writes.idle();
  }

  const serial = <T>(task: () => Promise<T>): Promise<T> => writes.run(task);

  async function jobFor(kind: string, radiusM: number, method: EquityMethod): Promise<{ cells: Cells; job: EquityJob }> {
    await settled();
    const nowMs = clock();
    const thresholds = DEFAULT_SILENT_THRESHOLDS;
    // Fresh appeals each time: a hotline call a minute ago counts now.
    const appeals = await store.hotlineAppeals(db, nowMs - thresholds.appealDays * DAY_MS, nowMs);
    const ofKind = facilities.filter((f) => f.kind === kind);
    const synthetic = cells.synthetic.includes(1) || ofKind.some((f) => f.synthetic);
    const job: EquityJob = {
      kind,
      radiusM,
      method,
      inputsVersion,
      facilities: ofKind.map((f) => ({ id: f.id, lon: f.lon, lat: f.lat, capacity: f.capacity })),
      regions: regions.list().map((r) => ({ code: r.properties.code, name: r.properties.name })),
      appeals,
      thresholds,
      synthetic,
      nowMs,
    };
    return { cells, job };
  }

  async function compute(request: EquityRequest, at: Cells): Promise<{ answer: JsonAnswer; summary: EquitySummary } | { refused: { message: string; path: string } }> {
    const reply = await worker.run(at, request);
    if (reply.type === 'refused') return { refused: { message: reply.message, path: reply.path } };
    return { answer: { body: reply.body, etag: reply.etag }, summary: reply.summary };
  }

  /** The latest default-view summaries and the inputs they were computed from (`GET /equity/summary`). */
  let latestSummaries: EquityDefaultSummaries | null = null;

  /**
   * The default view (default radius, 2SFCA) of every kind present, computed for the inputs of
   * `version`; `null` when the inputs changed meanwhile (whoever changed them recomputes).
   */
  async function defaultSummaries(version: number): Promise<EquityUpdatedEvent['summaries'] | null> {
    const kinds = [...new Set(facilities.map((f) => f.kind))].sort();
    const summaries: EquityUpdatedEvent['summaries'] = [];
    for (const kind of kinds) {
      if (inputsVersion !== version) return null;
      const radius = defaultRadiusM(kind);
      const { cells: at, job } = await jobFor(kind, radius, '2sfca');
      const outcome = await compute({ type: 'equity', job }, at);
      if ('summary' in outcome) summaries.push({ kind, radius, method: '2sfca', ...outcome.summary });
    }
    if (inputsVersion !== version) return null;
    latestSummaries = { inputsVersion: version, at: new Date(clock()).toISOString(), summaries };
    return summaries;
  }

  /** The default view (default radius, 2SFCA) of every kind present, then one logged event. */
  async function recomputeDefaults(reason: Reason): Promise<void> {
    const version = inputsVersion;
    // Inputs changed again meanwhile: the recompute queued for them publishes instead.
    const summaries = await defaultSummaries(version);
    if (summaries === null) return;
    const at = new Date(clock()).toISOString();
    const event = await db.transaction(async (tx) => {
      const seq = await reserveSeqs(tx, 1);
      const e = logEvent('equity:updated', seq, { seq, inputsVersion: version, reason, at, summaries });
      await appendEvents(tx, [e]);
      return e;
    });
    options.publish([event]);
    logger.info({ inputsVersion: version, reason, kinds: summaries.length }, 'equity: inputs changed; default views recomputed');
  }

  function scheduleRecompute(reason: Reason): void {
    pendingReason = reason;
    recomputing ??= (async () => {
      while (pendingReason !== null) {
        const next: Reason = pendingReason;
        pendingReason = null;
        await recomputeDefaults(next).catch((err: unknown) => logger.error({ err, reason: next }, 'equity: recomputing the default views failed'));
      }
      recomputing = null;
    })();
  }

  const audit = (input: 'population' | 'facilities', action: 'replace' | 'add', count: number, actor: Actor): store.InputChange => ({ input, action, count, actor, atMs: clock() });

  // Warm the worker (and the default views' access) so the first dashboard request is quick.
  for (const kind of new Set(facilities.map((f) => f.kind))) {
    void jobFor(kind, defaultRadiusM(kind), '2sfca')
      .then(({ cells: at, job }) => worker.run(at, { type: 'equity', job }))
      .catch(() => undefined);
  }

  return {
    async summary() {
      // Until the first recompute (a fresh start), computed on demand for the inputs held now.
      for (;;) {
        const held = latestSummaries;
        if (held && held.inputsVersion === inputsVersion) return held;
        const version = inputsVersion;
        if ((await defaultSummaries(version)) === null) continue;
        if (latestSummaries) return latestSummaries;
      }
    },
    async equity({ kind, radiusM, method }) {
      const { cells: at, job } = await jobFor(kind, radiusM, method);
      const outcome = await compute({ type: 'equity', job }, at);
      if ('refused' in outcome) throw new Error(`equity refused: ${outcome.refused.message}`);
      return outcome.answer;
    },
    async whatIf(input) {
      const { cells: at, job } = await jobFor(input.kind, input.radius ?? defaultRadiusM(input.kind), input.method);
      const outcome = await compute({ type: 'what-if', job, edits: { add: input.add, remove: input.remove, resize: input.resize } }, at);
      return 'refused' in outcome ? outcome : outcome.answer;
    },
    async population(bbox) {
      await settled();
      const { cells: set, synthetic } = cells;
      const features: PopulationCellFeature[] = [];
      for (let i = 0; i < set.ids.length; i++) {
        const lon = set.lon[i] as number;
        const lat = set.lat[i] as number;
        if (bbox && !inBbox(lon, lat, bbox)) continue;
        const id = set.ids[i] as string;
        features.push({
          type: 'Feature',
          id,
          geometry: { type: 'Point', coordinates: [lon, lat] },
          properties: { id, population: set.population[i] as number, regionCode: set.regionCodes[i] ?? null, synthetic: synthetic[i] === 1 },
        });
      }
      return { type: 'FeatureCollection', features };
    },
    async facilities({ kind, bbox }) {
      await settled();
      const chosen = facilities.filter((f) => (kind === undefined || f.kind === kind) && (bbox === undefined || inBbox(f.lon, f.lat, bbox)));
      return { type: 'FeatureCollection', features: chosen.map((f) => facilityFeature(f, f.regionCode)) };
    },
    replacePopulation(rows, actor) {
      return serial(async () => {
        inputsVersion = await store.replaceCells(db, rows, audit('population', 'replace', rows.length, actor));
        cells = cellsFrom(rows);
        scheduleRecompute('population');
        const outsideRegions = cells.cells.regionCodes.filter((c) => c === null).length;
        const population = rows.reduce((sum, r) => sum + r.population, 0);
        logger.info({ by: actor.name, role: actor.role, cells: rows.length, inputsVersion }, 'equity: population replaced');
        return { count: rows.length, population, outsideRegions, inputsVersion };
      });
    },
    replaceFacilities(rows, actor) {
      return serial(async () => {
        inputsVersion = await store.replaceFacilities(db, rows, audit('facilities', 'replace', rows.length, actor));
        facilities = rows.map((f) => ({ ...f, regionCode: regions.assign(f.lon, f.lat) }));
        scheduleRecompute('facilities');
        const kinds: Record<string, number> = {};
        // Own keys only: a facility kind may be any slug, `constructor` included.
        for (const f of rows) kinds[f.kind] = (Object.hasOwn(kinds, f.kind) ? kinds[f.kind]! : 0) + 1;
        logger.info({ by: actor.name, role: actor.role, facilities: rows.length, inputsVersion }, 'equity: facilities replaced');
        return { count: rows.length, kinds, inputsVersion };
      });
    },
    addFacilities(rows, actor) {
      return serial(async () => {
        const outcome = await store.addFacilities(db, rows, audit('facilities', 'add', rows.length, actor));
        if (!outcome.ok) return outcome;
        inputsVersion = outcome.inputsVersion;
        const added = rows.map((f) => ({ ...f, regionCode: regions.assign(f.lon, f.lat) }));
        facilities = [...facilities, ...added];
        scheduleRecompute('facilities');
        logger.info({ by: actor.name, role: actor.role, facilities: rows.length, inputsVersion }, 'equity: facilities added');
        return { ok: true, inputsVersion, collection: { type: 'FeatureCollection', features: added.map((f) => facilityFeature(f, f.regionCode)) } };
      });
    },
    observe(events) {
      // Inputs another node changed: its recompute announces them; read them from the store.
      let newest: EquityUpdatedEvent | undefined;
      for (const e of events) if (e.type === 'equity:updated' && e.payload.inputsVersion > (newest?.inputsVersion ?? inputsVersion)) newest = e.payload;
      if (newest) {
        const announced = newest;
        void serial(async () => {
          if (announced.inputsVersion <= inputsVersion) return;
          const [rows, stored, version] = await Promise.all([store.loadCells(db), store.loadFacilities(db), store.inputsVersion(db)]);
          cells = cellsFrom(rows);
          facilities = stored.map((f) => ({ ...f, regionCode: regions.assign(f.lon, f.lat) }));
          inputsVersion = version;
          if (version === announced.inputsVersion) latestSummaries = { inputsVersion: version, at: announced.at, summaries: announced.summaries };
          logger.info({ inputsVersion: version }, 'equity: read the inputs another server node changed');
        }).catch((err: unknown) => logger.error({ err }, 'equity: reading inputs changed on another node failed'));
      }
      if (!events.some((e) => e.type === 'regions:replaced')) return;
      void serial(async () => {
        // Nothing to re-assign, and no figure to change: no version, no event.
        if (cells.cells.ids.length === 0 && facilities.length === 0) return;
        // The region service already holds the new boundaries when the event is published.
        const { cells: set } = cells;
        const regionCodes = set.ids.map((_, i) => regions.assign(set.lon[i] as number, set.lat[i] as number));
        cells = { ...cells, version: ++cellsVersion, cells: { ...set, regionCodes } };
        facilities = facilities.map((f) => ({ ...f, regionCode: regions.assign(f.lon, f.lat) }));
        // One node announces the new figures; the others read them when its event arrives.
        if (!leadership.isLeader()) return;
        inputsVersion = await db.transaction((tx) => store.bumpInputsVersion(tx));
        scheduleRecompute('regions');
      }).catch((err: unknown) => logger.error({ err }, 'equity: applying new regions failed'));
    },
    async idle() {
      await writes.idle();
      while (recomputing) await recomputing;
    },
    async close() {
      await writes.idle();
      await worker.close();
      await recomputing;
    },
  };
}
