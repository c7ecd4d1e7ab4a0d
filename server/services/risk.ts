/**
 * The live five-colour map: keeps a {@link RiskBook} in step with committed events, re-rates only
 * the regions an event touches, re-evaluates decay on a timer, and stores every level change
 * (history + `risk:changed` in the event log) before publishing it.
 */
import type { Logger } from 'pino';
import type { LogEvent } from '../contract/events.ts';
import type { Incident } from '../contract/incidents.ts';
import type { DistrictMeasure } from '../contract/measures.ts';
import {
  RISK_LEVELS,
  type RegionRisk,
  type RegionRiskRating,
  type RiskBulletin,
  type RiskChangedEvent,
  type RiskConfigRecord,
  type RiskConfigUpdate,
  type RiskHistory,
  type RiskLevel,
  type RiskSnapshot,
} from '../contract/risk.ts';
import { horizonHours, RiskBook, type RiskChange, type RiskRegion } from '../domain/risk/book.ts';
import { DEFAULT_RISK_CONFIG } from '../domain/risk/config.ts';
import type { RiskIncident } from '../domain/risk/score.ts';
import { representativePoint } from '../contract/representative-point.ts';
import { zonedDayRange } from '../domain/time/zoned-day.ts';
import type { Database } from '../store/database.ts';
import { eventLogReader } from '../store/event-log.ts';
import type { Actor } from '../contract/auth.ts';
import { SOLE_LEADER, type Leadership } from '../cluster/leadership.ts';
import { createSerialQueue } from './serial-queue.ts';
import {
  appendRiskChanges,
  incidentsForRisk,
  loadRiskConfig,
  riskChangesBetween,
  riskStateAt,
  saveRiskConfig,
  type RecordedRiskChange,
} from '../store/risk.ts';
import type { RegionService } from './regions.ts';

const MS_PER_HOUR = 3_600_000;
/** History answers are capped so one request cannot ask for years of changes at once. */
export const MAX_HISTORY_DAYS = 31;
const MAX_HISTORY_CHANGES = 200_000;

export interface RiskService {
  /** Committed events, in seq order (incidents created or changed, regions replaced). */
  observe(events: readonly LogEvent[]): void;
  /** The current ratings. */
  snapshot(): Promise<RiskSnapshot>;
  /** The state recorded at `atMs`: each region's last change at or before it. */
  snapshotAt(atMs: number): Promise<RiskSnapshot>;
  history(fromMs: number, toMs: number): Promise<RiskHistory>;
  /** Units that changed level on local day `date` in the service's time zone. */
  bulletin(date: string): Promise<RiskBulletin>;
  config(): RiskConfigRecord;
  /** Whether any region's population is synthetic (then every figure derived from it says so). */
  syntheticPopulation(): boolean;
  /**
   * Saves a new config (its `version` the current one + 1, or left out for the next one) and
   * re-rates every region with it at once; answers the record it saved.
   */
  saveConfig(update: RiskConfigUpdate, actor: Actor): Promise<{ ok: true; seq: number; changes: number; record: RiskConfigRecord } | { ok: false; currentVersion: number }>;
  /** Resolves when every queued re-rating has been stored and published. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface RiskServiceOptions {
  db: Database;
  regions: RegionService;
  clock: () => number;
  /** Publishes stored events (to the live stream, and on several nodes through the log). */
  publish: (events: readonly LogEvent[]) => void;
  /**
   * Several server nodes share the store: only the leader stores level changes; the others follow
   * the changes it stored. @default the sole node, always the leader
   */
  leadership?: Leadership;
  /** Resolves when every event committed so far has been observed (several nodes: the log follower). */
  caughtUp?: () => Promise<void>;
  logger: Logger;
  /** How often decay is re-evaluated. @default 60 000 */
  tickMs?: number;
  timeZone: string;
  /**
   * The measures a rating's level requires (docs/domain.md §16), attached to every rating this
   * service answers or streams. @default none
   */
  measuresFor?: (rating: RegionRiskRating) => DistrictMeasure[];
}

export function toRiskIncident(incident: Incident): RiskIncident {
  const [lon, lat] = representativePoint(incident.geometry);
  return {
    id: incident.id,
    regionCode: incident.regionCode,
    category: incident.category,
    severity: incident.severity,
    status: incident.status,
    drill: incident.drill,
    occurredAtMs: Date.parse(incident.occurredAt),
    lon,
    lat,
  };
}

const riskRegions = (regions: RegionService): RiskRegion[] =>
  regions.list().map((r) => ({ code: r.properties.code, name: r.properties.name, population: r.properties.population }));

/** Least time between two event-driven re-ratings (see scheduleRate). */
const RATE_INTERVAL_MS = 250;

export async function createRiskService(options: RiskServiceOptions): Promise<RiskService> {
  const { db, regions, clock, logger } = options;
  const leadership = options.leadership ?? SOLE_LEADER;
  const log = eventLogReader(db);
  // Attached on the way out, never kept: a new measures config applies to every answer at once.
  const withMeasures = (rating: RegionRiskRating): RegionRisk => ({ ...rating, measures: options.measuresFor?.(rating) ?? [] });
  const recorded = (change: RecordedRiskChange): RiskChangedEvent => ({ ...change, region: withMeasures(change.region) });
  let record: RiskConfigRecord = (await loadRiskConfig(db)) ?? { config: DEFAULT_RISK_CONFIG, savedAt: null, savedBy: null };
  let book = new RiskBook(record.config, []);
  /** Regions touched by events since the last re-rating. */
  let dirty = new Set<string>();
  let scheduled = false;
  /** Re-ratings, reloads and config changes, one at a time, so changes are stored in the order found. */
  const queue = createSerialQueue();
  let closed = false;
  /** Incidents observed while a reload reads the store: put into the new book too (put is idempotent). */
  let duringReload: RiskIncident[] | null = null;

  /**
   * Runs `task` after every earlier one; a failure reloads the risk state from the store before
   * the next task runs. Never rejects.
   */
  function enqueue(what: string, task: () => Promise<void>): Promise<void> {
    if (closed) return queue.idle();
    return queue.run(async () => {
      try {
        await task();
      } catch (err) {
        logger.error({ err }, `risk: ${what} failed; reloading the risk state from the store`);
        await reload().catch((again: unknown) => logger.error({ err: again }, 'risk: reload failed; will retry on the next tick'));
      }
    });
  }

  /** Stores changes (history + log) and only then publishes them. */
  async function commit(changes: readonly RiskChange[]): Promise<void> {
    // A follower's book found them too; the leader stores them, and they come back through the log.
    if (changes.length === 0 || !leadership.isLeader()) return;
    const events = await appendRiskChanges(db, changes.map((c) => ({ ...c, region: withMeasures(c.region) })), book.riskConfig.version);
    options.publish(events.map((e) => ({ type: 'risk:changed', seq: e.seq, payload: e }) as LogEvent));
    const moved = changes.filter((c) => c.from !== null);
    if (moved.length > 0) {
      logger.info({ changes: moved.map((c) => `${c.region.name} ${c.from}→${c.to}`) }, `risk: ${moved.length} district(s) changed level`);
    }
  }

  /** Builds the book from the store: regions, last recorded levels, incidents in the horizon. */
  async function reload(): Promise<void> {
    const nowMs = clock();
    duringReload = [];
    try {
      const next = new RiskBook(record.config, riskRegions(regions));
      for (const [code, last] of await riskStateAt(db)) next.restore(code, { level: last.to, sinceMs: Date.parse(last.at) });
      for (const incident of await incidentsForRisk(db, nowMs - horizonHours(record.config) * MS_PER_HOUR)) next.put(incident);
      for (const incident of duringReload) next.put(incident);
      book = next;
    } finally {
      duringReload = null;
    }
    dirty = new Set();
    // Ratings missed while the server was down (or first ratings) are recorded now.
    await commit(book.rateAll(nowMs));
  }

  /** When the last event-driven re-rating started, and the one waiting for its turn (if any). */
  let lastRatedAt = Number.NEGATIVE_INFINITY;
  let waiting: NodeJS.Timeout | undefined;
  function rateDirty(): void {
    scheduled = false;
    waiting = undefined;
    lastRatedAt = performance.now();
    void enqueue('re-rating', async () => {
      const codes = dirty;
      dirty = new Set();
      await commit(book.rate(codes, clock()));
    });
  }

  function scheduleRate(): void {
    if (scheduled) return;
    scheduled = true;
    // One re-rating per tick of the event loop: a batch of 2,000 incidents re-rates each region once.
    // Under a flood of small commits, at most one every RATE_INTERVAL_MS: a district holding a mass
    // event re-rates over tens of thousands of incidents, and the wall needs seconds, not every commit.
    const wait = lastRatedAt + RATE_INTERVAL_MS - performance.now();
    if (wait <= 0) setImmediate(rateDirty);
    else waiting = setTimeout(rateDirty, wait);
  }

  /** Rates with a new config at once (saved here, or by another node and read from the store). */
  async function adoptConfig(next: RiskConfigRecord, nowMs: number): Promise<RiskChange[]> {
    const { config } = next;
    const widened = horizonHours(config) > horizonHours(record.config);
    record = next;
    if (widened) {
      // A longer window reads incidents the book already forgot: start from the store.
      const nextBook = new RiskBook(config, riskRegions(regions));
      for (const [code, state] of book.states()) nextBook.restore(code, state);
      for (const incident of await incidentsForRisk(db, nowMs - horizonHours(config) * MS_PER_HOUR)) nextBook.put(incident);
      book = nextBook;
    } else {
      book.setConfig(config);
    }
    // A new model's levels apply at once: hysteresis is for the same model over time.
    const changes = book.rateAll(nowMs, { ignoreHysteresis: true, reasonPrefix: `risk config v${config.version}` });
    await commit(changes);
    return changes;
  }

  await enqueue('start-up', reload);
  // A node that takes over as leader records what the last one left unrecorded (or died before storing).
  leadership.onChange((leader) => {
    if (!leader) return;
    logger.info('risk: this node now stores level changes (leader)');
    void enqueue('taking over as leader', reload);
  });
  const tickMs = options.tickMs ?? 60_000;
  const timer = setInterval(() => {
    void enqueue('decay tick', async () => {
      const nowMs = clock();
      book.prune(nowMs);
      dirty = new Set();
      await commit(book.rateAll(nowMs));
    });
  }, tickMs);
  timer.unref();

  /** Waits until every re-rating already caused by observed events is stored and published. */
  async function idle(): Promise<void> {
    await options.caughtUp?.();
    // A re-rating held back by the interval runs now: a reader waits for it, not for the timer.
    if (waiting) {
      clearTimeout(waiting);
      rateDirty();
    }
    // A re-rating scheduled for the next tick is not queued yet: let it queue, then wait.
    await new Promise((resolve) => setImmediate(resolve));
    await queue.idle();
  }

  /**
   * The log head is read first, then everything up to it is observed (`idle`: on several nodes the
   * follower may still be handing it on), then the regions: a change stored in between is both in
   * the regions and replayed after `seq` (harmless), never in neither. Read the other way round, a
   * follower node could answer a `seq` whose `risk:changed` it had not adopted yet, and the client,
   * which keeps the newer of snapshot and event, would drop that change.
   */
  async function snapshotFrom(source: 'live' | 'history', atMs: number, regionsNow: () => RegionRisk[] | Promise<RegionRisk[]>): Promise<RiskSnapshot> {
    const seq = await log.head();
    await idle();
    const list = await regionsNow();
    return { at: new Date(atMs).toISOString(), configVersion: book.riskConfig.version, seq, source, regions: list };
  }

  /** Each current region's recorded state at `atMs` (green with no rating when nothing was recorded yet). */
  async function recordedAt(atMs: number): Promise<{ region: RegionRisk; recorded: RecordedRiskChange | null }[]> {
    const state = await riskStateAt(db, atMs);
    const at = new Date(atMs).toISOString();
    return riskRegions(regions).map((r) => {
      const last = state.get(r.code);
      if (last) return { region: withMeasures({ ...last.region, name: r.name }), recorded: last };
      return {
        recorded: null,
        region: withMeasures({
          code: r.code,
          name: r.name,
          level: 'green',
          score: 0,
          population: r.population,
          counts: { last24h: 0, last72h: 0, window: 0 },
          clusters: 0,
          since: at,
          ratedAt: at,
          reason: 'no rating recorded at or before this time',
          explanation: { byCategory: {}, rules: [] },
        }),
      };
    });
  }

  return {
    observe(events) {
      let touched = false;
      for (const event of events) {
        if (event.type === 'incident:created' || event.type === 'incident:updated') {
          const incident = toRiskIncident(event.payload);
          duringReload?.push(incident);
          for (const code of book.put(incident)) dirty.add(code);
          touched = true;
        } else if (event.type === 'regions:replaced') {
          void enqueue('reload after new regions', reload);
        } else if (event.type === 'risk:changed' && !leadership.isLeader()) {
          book.adopt(event.payload.code, { level: event.payload.to, sinceMs: Date.parse(event.payload.at) });
        } else if (event.type === 'risk:configured' && event.payload.version > record.config.version) {
          void enqueue('config saved on another node', async () => {
            const stored = await loadRiskConfig(db);
            if (stored && stored.config.version > record.config.version) await adoptConfig(stored, clock());
          });
        }
      }
      if (touched) scheduleRate();
    },
    async snapshot() {
      return snapshotFrom('live', clock(), () => book.snapshot().map(withMeasures));
    },
    async snapshotAt(atMs) {
      return snapshotFrom('history', atMs, async () => (await recordedAt(atMs)).map((x) => x.region));
    },
    async history(fromMs, toMs) {
      await idle();
      const initial = (await recordedAt(fromMs)).map(({ region, recorded }) => ({
        code: region.code,
        level: region.level,
        since: recorded ? recorded.at : null,
      }));
      const changes = (await riskChangesBetween(db, fromMs, toMs, MAX_HISTORY_CHANGES)).map(recorded);
      return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), initial, changes };
    },
    async bulletin(date) {
      await idle();
      const { startMs, endMs } = zonedDayRange(date, options.timeZone);
      const nowMs = clock();
      // Changes carry millisecond times: (start − 1 ms, end − 1 ms] is the day [start, end).
      const changes = (await riskChangesBetween(db, startMs - 1, endMs - 1, MAX_HISTORY_CHANGES)).filter((c) => c.from !== null).map(recorded);
      const endState = await recordedAt(Math.min(endMs - 1, nowMs));
      const levels = Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<RiskLevel, number>;
      for (const { region } of endState) levels[region.level]++;
      return {
        date,
        timeZone: options.timeZone,
        from: new Date(startMs).toISOString(),
        to: new Date(endMs).toISOString(),
        changes,
        levels,
        units: endState.map(({ region, recorded }) => ({ code: region.code, name: region.name, level: region.level, since: recorded?.at ?? null, measures: region.measures })),
        configVersion: book.riskConfig.version,
        generatedAt: new Date(nowMs).toISOString(),
      };
    },
    config: () => record,
    syntheticPopulation: () => regions.list().some((r) => r.properties.populationSource === 'synthetic'),
    async saveConfig(update, actor) {
      let outcome: Awaited<ReturnType<RiskService['saveConfig']>> = { ok: false, currentVersion: record.config.version };
      await enqueue('config change', async () => {
        const nowMs = clock();
        const saved = await saveRiskConfig(db, update, actor, nowMs, DEFAULT_RISK_CONFIG.version);
        if (!saved.ok) {
          outcome = saved;
          return;
        }
        const next: RiskConfigRecord = saved.record;
        const { version } = next.config;
        options.publish([{ type: 'risk:configured', seq: saved.seq, payload: { seq: saved.seq, version, at: saved.record.savedAt, by: saved.record.savedBy } }]);
        logger.info({ version, by: actor.name }, 'risk: new config saved; re-rating every district');
        const changes = await adoptConfig(next, nowMs);
        outcome = { ok: true, seq: saved.seq, changes: changes.length, record: next };
      });
      return outcome;
    },
    idle,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      clearTimeout(waiting);
      await queue.idle();
    },
  };
}
