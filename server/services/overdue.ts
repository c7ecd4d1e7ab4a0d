/**
 * Overdue notices (docs/domain.md §15.3): keeps, for every open incident, when each clock not yet
 * checked falls due; on each tick the leader reads the incidents with a clock past due and
 * announces `incident:overdue` for each clock still running — once per incident and clock, kept
 * in the store so neither a restart nor another node repeats it.
 */
import type { Logger } from 'pino';
import type { LogEvent } from '../contract/events.ts';
import type { Category, Severity } from '../contract/incidents.ts';
import { CLOCKS, type ClockName, type IncidentOverdueEvent } from '../contract/sla.ts';
import { SOLE_LEADER, type Leadership } from '../cluster/leadership.ts';
import { dueOf, milestonesOf, readClock, targetsFor } from '../domain/clocks/clocks.ts';
import type { Database } from '../store/database.ts';
import { incidentsWithHistories, openIncidentsForOverdue, recordOverdue } from '../store/sla.ts';
import type { Publish } from './publish.ts';
import { createSerialQueue } from './serial-queue.ts';
import type { SlaRules } from './sla.ts';

/**
 * A clock that fell due longer ago than this before any node looked (a store reopened after a long
 * stop) is not announced: the news is stale, and its overdue state shows in reads and KPIs anyway.
 */
export const OVERDUE_CATCH_UP_MS = 60 * 60_000;
/** Most incidents checked per tick, oldest due first: a flood of reports is announced over a few ticks, not in one transaction. */
const MAX_INCIDENTS_PER_SCAN = 100;

export interface OverdueWatch {
  /** Committed events: incidents opened, changed or closed, a new config. */
  observe(events: readonly LogEvent[]): void;
  /** Checks every clock due before `nowMs` and announces those still running. Returns what it stored. */
  scan(nowMs: number): Promise<IncidentOverdueEvent[]>;
  close(): Promise<void>;
}

export interface OverdueWatchOptions {
  db: Database;
  rules: () => SlaRules;
  clock: () => number;
  publish: Publish;
  logger: Logger;
  /** @default the sole node */
  leadership?: Leadership;
  /** How often the leader scans. @default 15 000 */
  tickMs?: number;
  /** Resolves once the clock service has adopted every config observed so far. */
  configSettled?: () => Promise<void>;
  /** Whether arrive clocks are kept (see SlaServiceOptions). @default true */
  arrivals?: boolean;
}

interface Watched {
  category: Category;
  severity: Severity;
  reportedMs: number;
  /** Clocks not checked yet, and when each falls due (`null`: never). */
  pending: Map<ClockName, number | null>;
}

export function createOverdueWatch(options: OverdueWatchOptions): OverdueWatch {
  const { db, logger } = options;
  const leadership = options.leadership ?? SOLE_LEADER;
  const arrivals = options.arrivals ?? true;
  let watched = new Map<string, Watched>();
  /** Events observed while the map is rebuilt from the store: applied to the new map too. */
  let duringRebuild: LogEvent[] | null = null;
  const queue = createSerialQueue();
  let busy = false;
  let closed = false;

  function dues(category: Category, severity: Severity, reportedMs: number, clocks: readonly ClockName[]): Map<ClockName, number | null> {
    const { config, calendar } = options.rules();
    const targets = targetsFor(config, category, severity);
    const pending = new Map<ClockName, number | null>();
    for (const clock of clocks) {
      const dueMs = clock === 'arrive' && !arrivals ? undefined : dueOf(clock, targets, calendar, reportedMs);
      if (dueMs !== undefined) pending.set(clock, dueMs);
    }
    return pending;
  }

  function apply(into: Map<string, Watched>, event: LogEvent): void {
    if (event.type !== 'incident:created' && event.type !== 'incident:updated') return;
    const i = event.payload;
    const open = i.status === 'reported' || i.status === 'acknowledged' || i.status === 'dispatched';
    if (!open || i.drill) {
      into.delete(i.id);
      return;
    }
    const known = into.get(i.id);
    if (known && known.category === i.category && known.severity === i.severity) return;
    const reportedMs = Date.parse(i.reportedAt);
    // A new category or severity moves the due times of the clocks not checked yet.
    into.set(i.id, { category: i.category, severity: i.severity, reportedMs, pending: dues(i.category, i.severity, reportedMs, known ? [...known.pending.keys()] : CLOCKS) });
  }

  async function rebuild(): Promise<void> {
    duringRebuild = [];
    try {
      // A config saved on another node is read by the clock service first: due times follow it.
      await options.configSettled?.();
      const next = new Map<string, Watched>();
      for (const o of await openIncidentsForOverdue(db)) {
        next.set(o.id, { category: o.category, severity: o.severity, reportedMs: o.reportedMs, pending: dues(o.category, o.severity, o.reportedMs, CLOCKS.filter((c) => !o.announced.includes(c))) });
      }
      for (const event of duringRebuild) apply(next, event);
      watched = next;
    } finally {
      duringRebuild = null;
    }
  }

  async function scan(nowMs: number): Promise<IncidentOverdueEvent[]> {
    const due: { id: string; firstDueMs: number }[] = [];
    for (const [id, w] of watched) {
      let first = Number.POSITIVE_INFINITY;
      for (const [clock, dueMs] of w.pending) {
        if (dueMs === null) w.pending.delete(clock);
        else if (dueMs < nowMs - OVERDUE_CATCH_UP_MS) w.pending.delete(clock);
        else if (dueMs < nowMs) first = Math.min(first, dueMs);
      }
      if (w.pending.size === 0) watched.delete(id);
      else if (first < nowMs) due.push({ id, firstDueMs: first });
    }
    if (due.length === 0) return [];
    due.sort((a, b) => a.firstDueMs - b.firstDueMs);
    const ids = due.slice(0, MAX_INCIDENTS_PER_SCAN).map((d) => d.id);
    const { config, calendar } = options.rules();
    const notices: Omit<IncidentOverdueEvent, 'seq'>[] = [];
    const found = new Map((await incidentsWithHistories(db, ids, nowMs)).map((i) => [i.id, i]));
    for (const id of ids) {
      const w = watched.get(id);
      const incident = found.get(id);
      const m = incident ? milestonesOf(incident.history, nowMs) : null;
      if (!w || !incident || !m || m.closedMs !== null) {
        watched.delete(id);
        continue;
      }
      const targets = targetsFor(config, incident.category, incident.severity);
      for (const [clock, dueMs] of w.pending) {
        if (dueMs === null || dueMs >= nowMs) continue;
        // Checked once past due: running now is announced; stopped (in time or late) never will be.
        w.pending.delete(clock);
        const reading = readClock(m, clock, targets, calendar, nowMs);
        if (!reading || reading.state !== 'overdue' || reading.stopMs !== null || reading.dueMs === null) continue;
        notices.push({
          incidentId: id,
          clock,
          dueAt: new Date(reading.dueMs).toISOString(),
          target: reading.targetMs / 1000,
          workingHours: reading.workingHours,
          at: new Date(nowMs).toISOString(),
          configVersion: config.version,
          category: incident.category,
          severity: incident.severity,
          regionCode: incident.regionCode,
          lon: incident.lon,
          lat: incident.lat,
        });
      }
      if (w.pending.size === 0) watched.delete(id);
    }
    const events = await recordOverdue(db, notices);
    if (events.length > 0) {
      options.publish(events.map((e) => ({ type: 'incident:overdue', seq: e.seq, payload: e }) as LogEvent));
      logger.info({ clocks: events.length }, `clocks: ${events.length} clock(s) overdue`);
    }
    return events;
  }

  function enqueue(what: string, task: () => Promise<unknown>): Promise<void> {
    if (closed) return queue.idle();
    return queue.run(task).then(
      () => undefined,
      (err: unknown) => logger.error({ err }, `clocks: ${what} failed; will retry on the next tick`),
    );
  }

  if (leadership.isLeader()) void enqueue('reading open incidents', rebuild);
  leadership.onChange((leader) => {
    if (leader) void enqueue('reading open incidents (now the leader)', rebuild);
  });
  const timer = setInterval(() => {
    // A scan still running is not queued again behind itself.
    if (busy || !leadership.isLeader()) return;
    busy = true;
    void enqueue('overdue scan', () => scan(options.clock())).finally(() => {
      busy = false;
    });
  }, options.tickMs ?? 15_000);
  timer.unref();

  return {
    observe(events) {
      for (const event of events) {
        duringRebuild?.push(event);
        if (event.type === 'sla:configured') void enqueue('re-reading due times after a new config', rebuild);
        else apply(watched, event);
      }
    },
    scan: (nowMs) => queue.run(() => scan(nowMs)),
    async close() {
      closed = true;
      clearInterval(timer);
      await queue.idle();
    },
  };
}
