import { describe, expect, it } from 'vitest';
import { isCalendarDate, localDate, zonedDayRange } from './zoned-day.ts';

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
});
