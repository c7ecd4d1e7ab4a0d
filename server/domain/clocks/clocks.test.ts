import { describe, expect, it } from 'vitest';
import type { ClockTargets, SlaConfig } from '../../contract/sla.ts';
import { clocksOut, milestonesOf, readClocks, respondersOf, targetsFor, type StatusChange } from './clocks.ts';
import { defaultSlaConfig } from './config.ts';
import { workingCalendar } from './working-hours.ts';

const MIN = 60_000;
const T0 = Date.parse('2026-11-30T02:00:00Z'); // Monday 10:00 in Hangzhou
const OFFICE = { timeZone: 'Asia/Shanghai', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const cal = workingCalendar(OFFICE);
const TARGETS: ClockTargets = { ackWithin: 300, dispatchWithin: 900, arriveWithin: 1800, resolveWithin: 3600 };
const change = (minutes: number, from: StatusChange['from'], to: StatusChange['to']): StatusChange => ({ at: new Date(T0 + minutes * MIN).toISOString(), from, to });
/** A unit's assignment step: the incident's status stays `status`. */
const step = (minutes: number, status: StatusChange['to'], unitId: string, agency: string | null, to: string): StatusChange => ({ ...change(minutes, status, status), assignment: { unitId, agency, to } });

describe('an incident’s clocks', () => {
  const history = [
    change(0, null, 'reported'),
    change(4, 'reported', 'acknowledged'),
    step(6, 'acknowledged', 'E1', 'fire', 'assigned'),
    step(7, 'acknowledged', 'A1', 'health', 'declined'),
    step(20, 'acknowledged', 'E1', 'fire', 'accepted'),
    change(20, 'acknowledged', 'dispatched'),
    step(25, 'dispatched', 'E1', 'fire', 'on_scene'),
    step(26, 'dispatched', 'E2', 'fire', 'on_scene'),
    change(50, 'dispatched', 'resolved'),
  ];

  it('each clock stops when its stage is reached, arrival at the first unit on scene: met on time, overdue when late', () => {
    const m = milestonesOf(history, T0 + 60 * MIN)!;
    const c = readClocks(m, TARGETS, cal, T0 + 60 * MIN, true);
    expect(c.ack).toMatchObject({ state: 'met', elapsedMs: 4 * MIN, stopMs: T0 + 4 * MIN, dueMs: T0 + 5 * MIN });
    expect(c.dispatch).toMatchObject({ state: 'overdue', elapsedMs: 20 * MIN, dueMs: T0 + 15 * MIN });
    expect(c.arrive).toMatchObject({ state: 'met', elapsedMs: 25 * MIN });
    expect(c.resolve).toMatchObject({ state: 'met', elapsedMs: 50 * MIN });
  });

  it('reads the history as it stood at an earlier instant, running until due and overdue after', () => {
    const m = milestonesOf(history, T0 + 10 * MIN)!;
    expect(m.status).toBe('acknowledged');
    const c = readClocks(m, TARGETS, cal, T0 + 10 * MIN, true);
    expect(c.dispatch).toMatchObject({ state: 'running', stopMs: null, elapsedMs: 10 * MIN });
    // At the due instant it still runs; a millisecond later it is overdue.
    expect(readClocks(m, TARGETS, cal, T0 + 15 * MIN, true).dispatch?.state).toBe('running');
    expect(readClocks(m, TARGETS, cal, T0 + 15 * MIN + 1, true).dispatch?.state).toBe('overdue');
    expect(milestonesOf(history, T0 - 1)).toBeNull();
  });

  it('the units that took an incident on are those that answered other than declining', () => {
    expect(respondersOf(history, T0 + 60 * MIN)).toEqual({ units: ['E1', 'E2'], agencies: ['fire'] });
    expect(respondersOf(history, T0 + 10 * MIN)).toEqual({ units: [], agencies: [] });
  });

  it('a clock stopped exactly at its due time is met', () => {
    const m = milestonesOf([change(0, null, 'reported'), change(5, 'reported', 'acknowledged')], T0 + 6 * MIN)!;
    expect(readClocks(m, TARGETS, cal, T0 + 6 * MIN, false).ack?.state).toBe('met');
  });

  it('a clock whose stage an incident never reached before closing does not apply', () => {
    const rejected = milestonesOf([change(0, null, 'reported'), change(2, 'reported', 'acknowledged'), change(9, 'acknowledged', 'rejected')], T0 + 99 * MIN)!;
    const c = readClocks(rejected, TARGETS, cal, T0 + 99 * MIN, true);
    expect(c.ack?.state).toBe('met');
    expect([c.dispatch, c.arrive, c.resolve]).toEqual([null, null, null]);
    // A feed's record that arrives closed: nobody here had to answer it.
    const closed = milestonesOf([change(0, null, 'resolved')], T0 + MIN)!;
    expect(Object.values(readClocks(closed, TARGETS, cal, T0 + MIN, true))).toEqual([null, null, null, null]);
    // Resolved by its source straight from `reported`: every stage is reached then, except arrival.
    const byFeed = readClocks(milestonesOf([change(0, null, 'reported'), change(3, 'reported', 'resolved')], T0 + 9 * MIN)!, TARGETS, cal, T0 + 9 * MIN, true);
    expect([byFeed.ack?.elapsedMs, byFeed.dispatch?.elapsedMs, byFeed.resolve?.elapsedMs, byFeed.arrive]).toEqual([3 * MIN, 3 * MIN, 3 * MIN, null]);
  });

  it('no arrive clock when its target is left out (appeals nobody goes out to)', () => {
    const { arriveWithin: _a, ...noArrival } = TARGETS;
    expect(readClocks(milestonesOf(history, T0 + 60 * MIN)!, noArrival, cal, T0 + 60 * MIN, true).arrive).toBeNull();
  });

  it('a source update that keeps the status reaches no stage', () => {
    const m = milestonesOf([change(0, null, 'reported'), change(1, 'reported', 'reported'), change(2, 'reported', 'acknowledged')], T0 + 5 * MIN)!;
    expect(m.acknowledgedMs).toBe(T0 + 2 * MIN);
  });

  it('working-hours targets count office time only', () => {
    // Reported Friday 16:30 Hangzhou; resolve within 2 working hours → due Monday 10:30.
    const friday = Date.parse('2026-11-27T08:30:00Z');
    const m = milestonesOf([{ at: friday, from: null, to: 'reported' }], friday + 3 * 86_400_000)!;
    const c = readClocks(m, { ...TARGETS, resolveWithin: 7200, workingHours: ['resolve'] }, cal, Date.parse('2026-11-30T02:00:00Z'), false);
    expect(c.resolve).toMatchObject({ workingHours: true, state: 'running', elapsedMs: 90 * MIN, dueMs: Date.parse('2026-11-30T02:30:00Z') });
    expect(c.ack).toMatchObject({ workingHours: false, state: 'overdue' });
  });

  it('writes seconds and ISO times, and leaves arrival out when arrivals are not kept', () => {
    const m = milestonesOf(history, T0 + 60 * MIN)!;
    const out = clocksOut(readClocks(m, TARGETS, cal, T0 + 60 * MIN, false), T0 + 60 * MIN, 3, false);
    expect(out).not.toHaveProperty('arrive');
    expect(out.configVersion).toBe(3);
    expect(out.ack).toEqual({ target: 300, workingHours: false, startedAt: new Date(T0).toISOString(), dueAt: new Date(T0 + 5 * MIN).toISOString(), stoppedAt: new Date(T0 + 4 * MIN).toISOString(), elapsed: 240, state: 'met' });
  });
});

describe('targets', () => {
  const config: SlaConfig = {
    ...defaultSlaConfig('Asia/Shanghai'),
    overrides: [
      { severity: 'severe', ...TARGETS, ackWithin: 11 },
      { category: 'fire', ...TARGETS, ackWithin: 22 },
      { category: 'fire', severity: 'severe', ...TARGETS, ackWithin: 33 },
    ],
  };
  it('the most specific override wins: category and severity, then category, then severity, then the default', () => {
    expect(targetsFor(config, 'fire', 'severe').ackWithin).toBe(33);
    expect(targetsFor(config, 'fire', 'minor').ackWithin).toBe(22);
    expect(targetsFor(config, 'flood', 'severe').ackWithin).toBe(11);
    expect(targetsFor(config, 'flood', 'minor')).toEqual(config.default);
    expect(targetsFor(config, 'fire', 'severe')).not.toHaveProperty('category');
  });
});
