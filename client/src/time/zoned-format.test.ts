/**
 * The dashboard's clocks and dates in a named zone. Every expected reading is worked out by hand
 * from a fixed UTC instant and the zone's offset on that date (summer and winter, and the two
 * daylight-saving changes of Berlin in 2026: Sunday 29 March and Sunday 25 October, at 01:00 UTC),
 * never from the code under test. This process's own zone plays no part.
 */
import { describe, expect, it } from 'vitest';
import { clockTime, dateTime, eventTime, formatUtcOffset, localDay, longDate, shortDateTime, utcOffsetMinutes, zoneLabel, zoneName } from './zoned-format.ts';

/** Wednesday 15 July 2026, 10:30:05 UTC: Berlin on summer time (UTC+2), New York on EDT (UTC-4). */
const SUMMER = Date.UTC(2026, 6, 15, 10, 30, 5);
/** Thursday 15 January 2026, 10:30:05 UTC: Berlin on winter time (UTC+1), New York on EST (UTC-5). */
const WINTER = Date.UTC(2026, 0, 15, 10, 30, 5);

describe('clockTime', () => {
  it.each([
    ['Asia/Shanghai', SUMMER, '18:30:05'], // +8 all year
    ['Asia/Shanghai', WINTER, '18:30:05'],
    ['Europe/Berlin', SUMMER, '12:30:05'], // +2
    ['Europe/Berlin', WINTER, '11:30:05'], // +1
    ['America/New_York', SUMMER, '06:30:05'], // -4
    ['America/New_York', WINTER, '05:30:05'], // -5
    ['Asia/Kolkata', SUMMER, '16:00:05'], // +5:30
    ['UTC', SUMMER, '10:30:05'],
  ])('reads %s at %i as %s, in both languages', (zone, ms, expected) => {
    expect(clockTime(ms, zone, 'zh-CN')).toBe(expected);
    expect(clockTime(ms, zone, 'en')).toBe(expected);
  });

  it('follows Berlin across both daylight-saving changes', () => {
    // Spring: at 01:00 UTC the clocks jump from 02:00 to 03:00.
    expect(clockTime(Date.UTC(2026, 2, 29, 0, 59, 59), 'Europe/Berlin', 'en')).toBe('01:59:59');
    expect(clockTime(Date.UTC(2026, 2, 29, 1, 0, 0), 'Europe/Berlin', 'en')).toBe('03:00:00');
    // Autumn: at 01:00 UTC they fall back from 03:00 to 02:00.
    expect(clockTime(Date.UTC(2026, 9, 25, 0, 59, 59), 'Europe/Berlin', 'en')).toBe('02:59:59');
    expect(clockTime(Date.UTC(2026, 9, 25, 1, 0, 0), 'Europe/Berlin', 'en')).toBe('02:00:00');
  });

  it('writes midnight as 00, never 24', () => {
    expect(clockTime(Date.UTC(2026, 6, 14, 16, 0, 0), 'Asia/Shanghai', 'en')).toBe('00:00:00');
  });

  it('shows nothing for an instant it cannot read', () => {
    expect(clockTime('not a time', 'Asia/Shanghai', 'en')).toBe('');
    expect(dateTime(Number.NaN, 'Asia/Shanghai', 'en')).toBe('');
    expect(localDay('', 'Asia/Shanghai')).toBe('');
  });
});

describe('localDay', () => {
  it('is the calendar day of the zone, not of UTC', () => {
    const evening = '2026-02-01T18:30:00Z';
    expect(localDay(evening, 'Asia/Shanghai')).toBe('2026-02-02'); // 02:30 the next morning
    expect(localDay(evening, 'Europe/Berlin')).toBe('2026-02-01'); // 19:30
    expect(localDay(evening, 'America/New_York')).toBe('2026-02-01'); // 13:30
    const late = Date.UTC(2026, 1, 1, 23, 30);
    expect(localDay(late, 'Europe/Berlin')).toBe('2026-02-02'); // 00:30
    expect(localDay(late, 'America/New_York')).toBe('2026-02-01'); // 18:30
  });
});

describe('longDate', () => {
  it('names the zone’s day, which is not everywhere the same', () => {
    // 22:30 UTC on Wednesday 15 July: 06:30 on Thursday the 16th in Shanghai, 18:30 on the 15th in New York.
    const ms = Date.UTC(2026, 6, 15, 22, 30);
    expect(longDate(ms, 'Asia/Shanghai', 'zh-CN')).toBe('2026年7月16日星期四');
    expect(longDate(ms, 'America/New_York', 'zh-CN')).toBe('2026年7月15日星期三');
    expect(longDate(ms, 'Asia/Shanghai', 'en')).toMatch(/^Thursday,? 16 July 2026$/);
    expect(longDate(ms, 'America/New_York', 'en')).toMatch(/^Wednesday,? 15 July 2026$/);
  });
});

describe('eventTime', () => {
  // 16:30 UTC on 15 July: already 00:30 on the 16th in Shanghai, 18:30 on the 15th in Berlin.
  const now = Date.UTC(2026, 6, 15, 16, 30);
  // 15:30 UTC: 23:30 on the 15th in Shanghai, 17:30 on the 15th in Berlin.
  const reported = Date.UTC(2026, 6, 15, 15, 30, 9);

  it('is the time alone when the event is on the zone’s today', () => {
    expect(eventTime(reported, now, 'Europe/Berlin', 'en', { seconds: true })).toBe('17:30:09');
    expect(eventTime(reported, now, 'Europe/Berlin', 'zh-CN', { seconds: false })).toBe('17:30');
  });

  it('carries the date when the zone’s day has turned since', () => {
    expect(eventTime(reported, now, 'Asia/Shanghai', 'zh-CN', { seconds: true })).toBe('07/15 23:30:09');
    expect(eventTime(reported, now, 'Asia/Shanghai', 'en', { seconds: true })).toBe('15/07, 23:30:09');
    expect(eventTime(reported, now, 'Asia/Shanghai', 'zh-CN', { seconds: false })).toBe('7/15 23:30');
  });
});

describe('dateTime and shortDateTime', () => {
  it('always show the date, in the zone', () => {
    expect(dateTime(SUMMER, 'America/New_York', 'zh-CN')).toBe('07/15 06:30:05');
    expect(dateTime(WINTER, 'Europe/Berlin', 'en')).toBe('15/01, 11:30:05');
    expect(shortDateTime(SUMMER, 'Europe/Berlin', 'zh-CN')).toBe('7月15日 12:30');
    expect(shortDateTime(WINTER, 'America/New_York', 'en')).toBe('15 Jan, 05:30');
  });
});

describe('the zone’s offset and name', () => {
  it.each([
    ['Asia/Shanghai', SUMMER, 480],
    ['Europe/Berlin', SUMMER, 120],
    ['Europe/Berlin', WINTER, 60],
    ['America/New_York', SUMMER, -240],
    ['America/New_York', WINTER, -300],
    ['Asia/Kathmandu', WINTER, 345],
    ['America/St_Johns', WINTER, -210],
    ['UTC', WINTER, 0],
  ])('%s at %i is %i minutes from UTC', (zone, ms, minutes) => {
    expect(utcOffsetMinutes(ms, zone)).toBe(minutes);
  });

  it('writes an offset in hours, with minutes only when there are some', () => {
    expect(formatUtcOffset(480)).toBe('UTC+8');
    expect(formatUtcOffset(-240)).toBe('UTC-4');
    expect(formatUtcOffset(330)).toBe('UTC+5:30');
    expect(formatUtcOffset(345)).toBe('UTC+5:45');
    expect(formatUtcOffset(-210)).toBe('UTC-3:30');
    expect(formatUtcOffset(0)).toBe('UTC+0');
  });

  it('names the zone as its readers do, summer and winter apart', () => {
    expect(zoneName(SUMMER, 'Asia/Shanghai', 'zh-CN')).toBe('北京时间');
    expect(zoneName(SUMMER, 'Asia/Shanghai', 'en')).toBe('China Standard Time');
    expect(zoneName(SUMMER, 'Europe/Berlin', 'en')).toBe('Central European Summer Time');
    expect(zoneName(WINTER, 'Europe/Berlin', 'en')).toBe('Central European Standard Time');
    expect(zoneName(SUMMER, 'America/New_York', 'en')).toBe('Eastern Daylight Time');
    // A zone with no name of its own is called what TIME_ZONE calls it, not "GMT+3".
    expect(zoneName(SUMMER, 'Etc/GMT-3', 'en')).toBe('Etc/GMT-3');
  });

  it('labels the header with name and offset', () => {
    expect(zoneLabel(SUMMER, 'Asia/Shanghai', 'zh-CN')).toBe('北京时间 UTC+8');
    expect(zoneLabel(SUMMER, 'Europe/Berlin', 'en')).toBe('Central European Summer Time UTC+2');
    expect(zoneLabel(WINTER, 'America/New_York', 'en')).toBe('Eastern Standard Time UTC-5');
  });
});
