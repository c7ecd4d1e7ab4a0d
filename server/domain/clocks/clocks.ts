/**
 * An incident's four accountability clocks at an instant, from its history: when it was reported,
 * acknowledged, dispatched, reached by a unit and resolved (docs/domain.md §15).
 */
import type { Category, Severity, Status } from '../../contract/incidents.ts';
import type { ClockName, ClockTargets, IncidentClock, IncidentClocks, SlaConfig, SlaOverride } from '../../contract/sla.ts';
import type { WorkingCalendar } from './working-hours.ts';

/** What the clocks read of an incident's history, up to the instant they are read at. */
export interface Milestones {
  reportedMs: number;
  /**
   * It arrived already closed (a feed's record of something resolved or withdrawn elsewhere):
   * nobody here had to respond, so no clock applies.
   */
  arrivedClosed: boolean;
  acknowledgedMs: number | null;
  dispatchedMs: number | null;
  /** The first assigned unit on scene. */
  onSceneMs: number | null;
  resolvedMs: number | null;
  /** When it became resolved, rejected or cancelled; `null` while open. */
  closedMs: number | null;
  /** Its status at the instant read. */
  status: Status;
}

/**
 * A change of the history as the clocks need it (`GET /incidents/{id}/history` items fit): a status
 * step, or a step of a unit's assignment (the incident's status unchanged).
 */
export interface StatusChange {
  at: string | number;
  from: Status | null;
  to: Status;
  assignment?: { unitId: string; agency: string | null; to: string } | null;
}

/** How far along the workflow each status is: a clock's stage is reached by any status at least as far. */
const PROGRESS: Readonly<Record<Status, number>> = { reported: 0, acknowledged: 1, dispatched: 2, resolved: 3, rejected: -1, cancelled: -1 };
const FINAL: ReadonlySet<Status> = new Set(['resolved', 'rejected', 'cancelled']);

const ms = (at: string | number): number => (typeof at === 'number' ? at : Date.parse(at));

/**
 * Milestones of a history (oldest first; the first item is the creation) as they stood at `asOfMs`:
 * changes after it are ignored. `null` when the incident was reported after `asOfMs`.
 * A stage is reached by the first change to a status at least that far along (a resolution
 * acknowledges and dispatches too); a source's update that keeps the status reaches nothing.
 * Arrival is the first assignment step to `on_scene`.
 */
export function milestonesOf(history: readonly StatusChange[], asOfMs: number): Milestones | null {
  const created = history[0];
  if (!created || ms(created.at) > asOfMs) return null;
  const m: Milestones = {
    reportedMs: ms(created.at),
    arrivedClosed: FINAL.has(created.to),
    acknowledgedMs: null,
    dispatchedMs: null,
    onSceneMs: null,
    resolvedMs: null,
    closedMs: FINAL.has(created.to) ? ms(created.at) : null,
    status: created.to,
  };
  for (const change of history.slice(1)) {
    const at = ms(change.at);
    if (at > asOfMs) continue;
    m.status = change.to;
    if (change.assignment?.to === 'on_scene') m.onSceneMs ??= at;
    const progress = PROGRESS[change.to];
    if (m.arrivedClosed) continue;
    if (progress >= 1) m.acknowledgedMs ??= at;
    if (progress >= 2) m.dispatchedMs ??= at;
    if (progress >= 3) m.resolvedMs ??= at;
    if (FINAL.has(change.to)) m.closedMs ??= at;
  }
  return m;
}

/** Assignment steps by which a unit took the incident on (its answer `declined` is not one). */
const RESPONDED: ReadonlySet<string> = new Set(['accepted', 'en_route', 'on_scene', 'cleared']);

/** The units (and their agencies) that had taken the incident on by `asOfMs`, each once. */
export function respondersOf(history: readonly StatusChange[], asOfMs: number): { units: string[]; agencies: (string | null)[] } {
  const units = new Set<string>();
  const agencies = new Set<string | null>();
  for (const change of history) {
    if (!change.assignment || !RESPONDED.has(change.assignment.to) || ms(change.at) > asOfMs) continue;
    units.add(change.assignment.unitId);
    agencies.add(change.assignment.agency);
  }
  return { units: [...units], agencies: [...agencies] };
}

/** The targets for an incident: the most specific override (category and severity, category, severity), else the default. */
export function targetsFor(config: SlaConfig, category: Category, severity: Severity): ClockTargets {
  const both = (o: SlaOverride) => o.category === category && o.severity === severity;
  const byCategory = (o: SlaOverride) => o.category === category && o.severity === undefined;
  const bySeverity = (o: SlaOverride) => o.category === undefined && o.severity === severity;
  const found = config.overrides.find(both) ?? config.overrides.find(byCategory) ?? config.overrides.find(bySeverity);
  if (!found) return config.default;
  const { category: _c, severity: _s, ...targets } = found;
  return targets;
}

/** One clock in milliseconds, before it is written out for the API. */
export interface ClockReading {
  clock: ClockName;
  targetMs: number;
  workingHours: boolean;
  startMs: number;
  dueMs: number | null;
  stopMs: number | null;
  elapsedMs: number;
  state: IncidentClock['state'];
}

export type ClockSet = Record<ClockName, ClockReading | null>;

const WITHIN: Readonly<Record<ClockName, 'ackWithin' | 'dispatchWithin' | 'arriveWithin' | 'resolveWithin'>> = { ack: 'ackWithin', dispatch: 'dispatchWithin', arrive: 'arriveWithin', resolve: 'resolveWithin' };

function stopOf(m: Milestones, clock: ClockName): number | null {
  if (clock === 'ack') return m.acknowledgedMs;
  if (clock === 'dispatch') return m.dispatchedMs;
  if (clock === 'arrive') return m.onSceneMs;
  return m.resolvedMs;
}

/**
 * When a clock started at `startMs` falls due: `undefined` when it has no target, `null` when the
 * working calendar never reaches it.
 */
export function dueOf(clock: ClockName, targets: ClockTargets, calendar: WorkingCalendar, startMs: number): number | null | undefined {
  const target = targets[WITHIN[clock]];
  if (target === undefined) return undefined;
  return targets.workingHours?.includes(clock) ? calendar.dueAt(startMs, target * 1000) : startMs + target * 1000;
}

/**
 * One clock at `nowMs` (the instant the milestones were read at, or later while nothing changed).
 * `null` when it does not apply: no target (arrival, for appeals nobody goes out to), the incident
 * arrived closed, or it closed before reaching the stage.
 */
export function readClock(m: Milestones, clock: ClockName, targets: ClockTargets, calendar: WorkingCalendar, nowMs: number): ClockReading | null {
  const stopMs = stopOf(m, clock);
  const startMs = m.reportedMs;
  const dueMs = dueOf(clock, targets, calendar, startMs);
  if (dueMs === undefined || m.arrivedClosed || (stopMs === null && m.closedMs !== null)) return null;
  const targetMs = targets[WITHIN[clock]]! * 1000;
  const workingHours = targets.workingHours?.includes(clock) ?? false;
  const endMs = stopMs ?? nowMs;
  const elapsedMs = workingHours ? calendar.workingMs(startMs, endMs) : Math.max(0, endMs - startMs);
  let state: ClockReading['state'];
  if (stopMs !== null) state = dueMs === null || stopMs <= dueMs ? 'met' : 'overdue';
  else state = dueMs !== null && nowMs > dueMs ? 'overdue' : 'running';
  return { clock, targetMs, workingHours, startMs, dueMs, stopMs, elapsedMs, state };
}

/** All four clocks; `arrive` only when `arrivals` are kept (else it would run forever). */
export function readClocks(m: Milestones, targets: ClockTargets, calendar: WorkingCalendar, nowMs: number, arrivals: boolean): ClockSet {
  return {
    ack: readClock(m, 'ack', targets, calendar, nowMs),
    dispatch: readClock(m, 'dispatch', targets, calendar, nowMs),
    arrive: arrivals ? readClock(m, 'arrive', targets, calendar, nowMs) : null,
    resolve: readClock(m, 'resolve', targets, calendar, nowMs),
  };
}

const iso = (t: number): string => new Date(t).toISOString();

/** A reading as the API writes it: ISO times, seconds. */
export function clockOut(r: ClockReading | null): IncidentClock | null {
  if (!r) return null;
  return {
    target: r.targetMs / 1000,
    workingHours: r.workingHours,
    startedAt: iso(r.startMs),
    dueAt: r.dueMs === null ? null : iso(r.dueMs),
    stoppedAt: r.stopMs === null ? null : iso(r.stopMs),
    elapsed: r.elapsedMs / 1000,
    state: r.state,
  };
}

export function clocksOut(set: ClockSet, atMs: number, configVersion: number, arrivals: boolean): IncidentClocks {
  return {
    at: iso(atMs),
    configVersion,
    ack: clockOut(set.ack),
    dispatch: clockOut(set.dispatch),
    ...(arrivals && { arrive: clockOut(set.arrive) }),
    resolve: clockOut(set.resolve),
  };
}
