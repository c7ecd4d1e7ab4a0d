import { describe, expect, it } from 'vitest';
import type { WorkingHours } from '../../contract/sla.ts';
import { workingCalendar } from './working-hours.ts';

const MIN = 60_000;
const H = 60 * MIN;
/** Hangzhou office hours; 2026-11-27 is a Friday, 11-28 and 11-29 the weekend, 11-30 a Monday. */
const OFFICE: WorkingHours = { timeZone: 'Asia/Shanghai', weekdays: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const at = (local: string): number => Date.parse(`${local}+08:00`);

describe('working time in office hours', () => {
  const cal = workingCalendar(OFFICE);

  it('counts only the windows of working days', () => {
    // Friday 16:30 → Monday 09:45: half an hour on Friday, three quarters on Monday.
    expect(cal.workingMs(at('2026-11-27T16:30:00'), at('2026-11-30T09:45:00'))).toBe(75 * MIN);
    expect(cal.workingMs(at('2026-11-28T08:00:00'), at('2026-11-29T20:00:00'))).toBe(0);
    expect(cal.workingMs(at('2026-11-30T07:00:00'), at('2026-11-30T20:00:00'))).toBe(8 * H);
    // Milliseconds count, not whole minutes.
    expect(cal.workingMs(at('2026-11-30T10:00:00.250'), at('2026-11-30T10:00:01'))).toBe(750);
    expect(cal.workingMs(at('2026-11-30T11:00:00'), at('2026-11-30T10:00:00'))).toBe(0);
  });

  it('a target is due at the earliest instant it is used up, carried over nights and weekends', () => {
    expect(cal.dueAt(at('2026-11-27T16:30:00'), H)).toBe(at('2026-11-30T09:30:00'));
    // Exactly the rest of Friday: due at 17:00 on Friday, not on Monday morning.
    expect(cal.dueAt(at('2026-11-27T16:30:00'), 30 * MIN)).toBe(at('2026-11-27T17:00:00'));
    expect(cal.dueAt(at('2026-11-30T07:00:00'), 2 * H)).toBe(at('2026-11-30T11:00:00'));
    expect(cal.dueAt(at('2026-11-28T23:00:00'), 5 * 8 * H)).toBe(at('2026-12-04T17:00:00'));
  });

  it('holidays are days off and adjusted workdays (调休) are worked', () => {
    const adjusted = workingCalendar({ ...OFFICE, holidays: ['2026-11-30'], workdays: ['2026-11-28'] });
    expect(adjusted.dueAt(at('2026-11-27T16:30:00'), H)).toBe(at('2026-11-28T09:30:00'));
    expect(adjusted.workingMs(at('2026-11-28T00:00:00'), at('2026-12-01T00:00:00'))).toBe(8 * H);
  });

  it('follows the local clock across a daylight-saving switch', () => {
    // New York falls back on Sunday 2026-11-01: the day has 25 hours, the window stays 09:00–17:00 local.
    const ny = workingCalendar({ timeZone: 'America/New_York', weekdays: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '17:00' });
    const satNoon = Date.parse('2026-10-31T12:00:00-04:00');
    const sunNoon = Date.parse('2026-11-01T12:00:00-05:00');
    expect(sunNoon - satNoon).toBe(25 * H);
    expect(ny.workingMs(satNoon, sunNoon)).toBe(8 * H);
    expect(ny.dueAt(satNoon, 6 * H)).toBe(Date.parse('2026-11-01T10:00:00-05:00'));
  });

  it('a window to midnight ends at the next local midnight', () => {
    const evenings = workingCalendar({ ...OFFICE, weekdays: [1, 2, 3, 4, 5, 6, 7], start: '18:00', end: '24:00' });
    expect(evenings.workingMs(at('2026-11-27T12:00:00'), at('2026-11-28T12:00:00'))).toBe(6 * H);
    expect(evenings.dueAt(at('2026-11-27T23:00:00'), 2 * H)).toBe(at('2026-11-28T19:00:00'));
  });
});
