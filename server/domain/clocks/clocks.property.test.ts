/**
 * Clocks against a naive second implementation written here: time walked a quarter of an hour at a
 * time, each quarter asked of the local wall clock (Intl) whether it is working time. Histories,
 * calendars and instants lie on the quarter-hour grid, so the walk is exact, not an estimate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Status } from '../../contract/incidents.ts';
import { CLOCKS, type ClockName, type ClockTargets, type WorkingHours } from '../../contract/sla.ts';
import { milestonesOf, readClocks, type StatusChange } from './clocks.ts';
import { workingCalendar } from './working-hours.ts';

const Q = 15 * 60_000;
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Australia/Sydney', 'UTC'];
/** Quarters a target may span: up to two days. */
const MAX_TARGET_Q = 2 * 96;

// ---- the naive side ----------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function wall(ms: number, timeZone: string): { date: string; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })));
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** Whether the quarter starting at `q` is working time. */
function naiveWorking(hours: WorkingHours, q: number, cache: Map<number, boolean>): boolean {
  const known = cache.get(q);
  if (known !== undefined) return known;
  const { date, minute } = wall(q, hours.timeZone);
  const weekday = new Date(`${date}T12:00:00Z`).getUTCDay() || 7;
  const workday = (hours.workdays ?? []).includes(date) || (hours.weekdays.includes(weekday) && !(hours.holidays ?? []).includes(date));
  const [sh, sm] = hours.start.split(':').map(Number);
  const [eh, em] = hours.end.split(':').map(Number);
  const working = workday && minute >= sh! * 60 + sm! && minute < eh! * 60 + em!;
  cache.set(q, working);
  return working;
}

interface NaiveClock {
  elapsedMs: number;
  dueMs: number;
  stopMs: number | null;
  state: 'running' | 'met' | 'overdue';
}

function naiveClock(start: number, stop: number | null, now: number, targetMs: number, working: WorkingHours | null, cache: Map<number, boolean>): NaiveClock {
  const end = stop ?? now;
  let elapsedMs = 0;
  let dueMs = start + targetMs;
  if (working) {
    for (let q = start; q < end; q += Q) if (naiveWorking(working, q, cache)) elapsedMs += Q;
    let used = 0;
    for (let q = start; ; q += Q) {
      if (naiveWorking(working, q, cache)) used += Q;
      if (used === targetMs) {
        dueMs = q + Q;
        break;
      }
    }
  } else {
    elapsedMs = Math.max(0, end - start);
  }
  const state = stop !== null ? (stop <= dueMs ? 'met' : 'overdue') : now > dueMs ? 'overdue' : 'running';
  return { elapsedMs, dueMs, stopMs: stop, state };
}

/** The stages, restated: the first later change to a status at least that far along the workflow. */
function naiveStops(history: readonly { atMs: number; to: Status }[], now: number): { stops: Record<ClockName, number | null>; closed: boolean; arrivedClosed: boolean } {
  const seen = history.filter((h) => h.atMs <= now);
  const final = (s: Status) => s === 'resolved' || s === 'rejected' || s === 'cancelled';
  const first = (statuses: Status[]) => seen.slice(1).find((h) => statuses.includes(h.to))?.atMs ?? null;
  return {
    stops: {
      ack: first(['acknowledged', 'dispatched', 'resolved']),
      dispatch: first(['dispatched', 'resolved']),
      arrive: null,
      resolve: first(['resolved']),
    },
    closed: seen.some((h) => final(h.to)),
    arrivedClosed: final(seen[0]!.to),
  };
}

// ---- generated cases ---------------------------------------------------------------------------

/** A wall-clock boundary outside 01:00–03:00, where daylight-saving switches happen. */
const boundary = fc.integer({ min: 0, max: 96 }).filter((q) => q * 15 < 60 || q * 15 > 180);
const hhmm = (q: number) => `${String(Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}`;
const BASE = Date.parse('2026-01-01T00:00:00Z');
/** 2026's daylight-saving switches in New York, London and Sydney. */
const SWITCH_DAYS = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04'];

const calendarArb = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    weekdays: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 3, maxLength: 7 }),
    bounds: fc.tuple(boundary, boundary).filter(([a, b]) => Math.abs(a - b) >= 16),
    holidayOffsets: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 3 }),
    workdayOffsets: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 2 }),
  });

/** Often a few quarters, so stops and instants land exactly on due times; else up to `max`. */
const fewOrMany = (min: number, max: number) => fc.oneof(fc.integer({ min, max: min + 6 }), fc.integer({ min, max }));

const caseArb = fc.record({
  calendar: calendarArb,
  /** Quarter of 2026 the incident is reported in: anywhere, or in the days before a daylight-saving switch. */
  startQ: fc.oneof(
    fc.integer({ min: 0, max: 365 * 96 }),
    fc.tuple(fc.constantFrom(...SWITCH_DAYS), fc.integer({ min: 0, max: 4 * 96 })).map(([day, q]) => (Date.parse(`${day}T00:00:00Z`) - BASE) / Q - q),
  ),
  /** Status path and the quarters between its steps. */
  path: fc.constantFrom<Status[][]>(
    [['reported', 'acknowledged', 'dispatched', 'resolved']],
    [['reported', 'acknowledged', 'rejected']],
    [['reported', 'rejected']],
    [['reported', 'resolved']],
    [['reported', 'cancelled']],
    [['resolved']],
    [['reported', 'reported', 'acknowledged', 'dispatched']],
  ),
  gaps: fc.array(fewOrMany(0, 3 * 96), { minLength: 4, maxLength: 4 }),
  onSceneQ: fc.option(fewOrMany(0, 4 * 96), { nil: null }),
  nowQ: fewOrMany(0, 10 * 96),
  targetsQ: fc.tuple(fewOrMany(1, MAX_TARGET_Q), fewOrMany(1, MAX_TARGET_Q), fewOrMany(1, MAX_TARGET_Q), fewOrMany(1, MAX_TARGET_Q)),
  workingClocks: fc.subarray([...CLOCKS]),
});

describe('clocks against a naive walk of quarter hours', () => {
  it('agree on elapsed time, due time and state for random histories, calendars and targets', () => {
    let workingChecked = 0;
    fc.assert(
      fc.property(caseArb, (k) => {
        const startMs = BASE + k.startQ * Q;
        const [a, b] = k.calendar.bounds;
        const dateAt = (days: number) => new Date(startMs + days * 86_400_000).toISOString().slice(0, 10);
        const hours: WorkingHours = {
          timeZone: k.calendar.timeZone,
          weekdays: k.calendar.weekdays,
          start: hhmm(Math.min(a, b)),
          end: hhmm(Math.max(a, b)),
          holidays: k.calendar.holidayOffsets.map(dateAt),
          workdays: k.calendar.workdayOffsets.map(dateAt),
        };
        const statuses = k.path[0]!;
        let t = startMs;
        const history = statuses.map((to, i) => {
          if (i > 0) t += k.gaps[i - 1]! * Q;
          return { atMs: t, to };
        });
        const changes: StatusChange[] = history.map((h, i) => ({ at: new Date(h.atMs).toISOString(), from: i === 0 ? null : statuses[i - 1]!, to: h.to }));
        const nowMs = startMs + k.nowQ * Q;
        // A unit on scene: a step in the history, the incident's status unchanged by it.
        const onSceneMs = k.onSceneQ === null ? null : startMs + k.onSceneQ * Q;
        if (onSceneMs !== null) {
          const before = changes.filter((c) => Date.parse(String(c.at)) <= onSceneMs).length;
          const status = changes[before - 1]!.to;
          changes.splice(before, 0, { at: new Date(onSceneMs).toISOString(), from: status, to: status, assignment: { unitId: 'U1', agency: null, to: 'on_scene' } });
        }
        const targets: ClockTargets = {
          ackWithin: k.targetsQ[0] * 900,
          dispatchWithin: k.targetsQ[1] * 900,
          arriveWithin: k.targetsQ[2] * 900,
          resolveWithin: k.targetsQ[3] * 900,
          workingHours: k.workingClocks,
        };

        const m = milestonesOf(changes, nowMs)!;
        const got = readClocks(m, targets, workingCalendar(hours), nowMs, true);

        const naive = naiveStops(history, nowMs);
        naive.stops.arrive = onSceneMs !== null && onSceneMs <= nowMs ? onSceneMs : null;
        const cache = new Map<number, boolean>();
        for (const [i, clock] of CLOCKS.entries()) {
          const stop = naive.stops[clock];
          if (naive.arrivedClosed || (stop === null && naive.closed)) {
            expect(got[clock], clock).toBeNull();
            continue;
          }
          const working = k.workingClocks.includes(clock);
          if (working) workingChecked++;
          const want = naiveClock(startMs, stop, nowMs, k.targetsQ[i]! * Q, working ? hours : null, cache);
          expect({ clock, elapsedMs: got[clock]?.elapsedMs, dueMs: got[clock]?.dueMs, stopMs: got[clock]?.stopMs, state: got[clock]?.state }).toEqual({ clock, ...want });
        }
      }),
      { numRuns: 300, seed: 20_261_130 },
    );
    // The interesting half was exercised, not only wall-clock targets.
    expect(workingChecked).toBeGreaterThan(200);
  });
});
