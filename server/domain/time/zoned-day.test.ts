import { describe, expect, it } from 'vitest';
import { isCalendarDate, isoWeekday, localDate, nextDate, zonedDayRange, zonedTime } from './zoned-day.ts';

const H = 3_600_000;

describe('zoned days', () => {
  it('a Hangzhou day starts at 16:00 UTC the evening before (UTC+8, no daylight saving)', () => {
    const { startMs, endMs } = zonedDayRange('2026-11-23', 'Asia/Shanghai');
    expect(new Date(startMs).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(endMs - startMs).toBe(24 * H);
  });

  it('days with a daylight-saving switch are 23 and 25 hours long', () => {
    // US rules: 2026-03-08 02:00 → 03:00 and 2026-11-01 02:00 → 01:00 in New York.
    const spring = zonedDayRange('2026-03-08', 'America/New_York');
    expect(new Date(spring.startMs).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(spring.endMs - spring.startMs).toBe(23 * H);
    const autumn = zonedDayRange('2026-11-01', 'America/New_York');
    expect(new Date(autumn.startMs).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(autumn.endMs - autumn.startMs).toBe(25 * H);
  });

  it('the local date of an instant follows the zone', () => {
    const t = Date.parse('2026-11-22T17:30:00Z');
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-11-23');
    expect(localDate(t, 'UTC')).toBe('2026-11-22');
  });

  it('rejects dates that are not on the calendar', () => {
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-11-23')).toBe(false);
    expect(() => zonedDayRange('2026-02-30', 'UTC')).toThrow(/not a calendar date/);
  });

  it('a wall-clock time of a local day is an instant in that zone', () => {
    expect(new Date(zonedTime('2026-11-23', 9 * 60, 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(new Date(zonedTime('2026-11-23', 17 * 60 + 30, 'Asia/Shanghai')).toISOString()).toBe('2026-11-23T09:30:00.000Z');
    // 24:00 is the next midnight; New York is UTC-4 before and UTC-5 after its autumn switch.
    expect(zonedTime('2026-11-23', 1440, 'Asia/Shanghai')).toBe(zonedDayRange('2026-11-23', 'Asia/Shanghai').endMs);
    expect(new Date(zonedTime('2026-11-01', 0, 'America/New_York')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(new Date(zonedTime('2026-11-01', 9 * 60, 'America/New_York')).toISOString()).toBe('2026-11-01T14:00:00.000Z');
    expect(new Date(zonedTime('2026-03-08', 9 * 60, 'America/New_York')).toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('steps dates across months and years and names their weekdays', () => {
    expect(nextDate('2026-02-28')).toBe('2026-03-01');
    expect(nextDate('2028-02-28')).toBe('2028-02-29');
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
    // 2026-11-23 is a Monday, 2026-11-29 a Sunday.
    expect(isoWeekday('2026-11-23')).toBe(1);
    expect(isoWeekday('2026-11-29')).toBe(7);
  });
});
