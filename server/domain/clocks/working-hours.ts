/**
 * Working time of a centre's calendar: how much of an interval falls in office hours, and when a
 * target counted in working time is used up. One window a day, in the calendar's time zone.
 */
import { minuteOfDay, type WorkingHours } from '../../contract/sla.ts';
import { isoWeekday, localDate, nextDate, zonedTime } from '../time/zoned-day.ts';

/** How far ahead a due time is looked for: a calendar with no working day in ten years never reaches one. */
const SEARCH_DAYS = 3660;

export interface WorkingCalendar {
  /** Milliseconds of working time in `[fromMs, toMs)` (0 when `toMs` ≤ `fromMs`). */
  workingMs(fromMs: number, toMs: number): number;
  /**
   * The earliest instant `t` with `workingMs(fromMs, t) = targetMs` (`targetMs` > 0): always inside
   * or at the end of a working window. `null` when no such instant lies within ten years.
   */
  dueAt(fromMs: number, targetMs: number): number | null;
}

interface Day {
  /** Local midnight that starts the day. */
  startMs: number;
  /** The working window `[open, close)`, or `null` on a day off. */
  window: [number, number] | null;
}

export function workingCalendar(hours: WorkingHours): WorkingCalendar {
  const { timeZone } = hours;
  const open = minuteOfDay(hours.start);
  const close = minuteOfDay(hours.end);
  const weekdays = new Set(hours.weekdays);
  const holidays = new Set(hours.holidays ?? []);
  const workdays = new Set(hours.workdays ?? []);
  // Time-zone arithmetic is the slow part; a calendar lives as long as its config, and a clock
  // read again and again walks the same days.
  const days = new Map<string, Day>();

  function day(date: string): Day {
    let d = days.get(date);
    if (!d) {
      const worked = workdays.has(date) || (weekdays.has(isoWeekday(date)) && !holidays.has(date));
      d = { startMs: zonedTime(date, 0, timeZone), window: worked ? [zonedTime(date, open, timeZone), zonedTime(date, close, timeZone)] : null };
      days.set(date, d);
    }
    return d;
  }

  return {
    workingMs(fromMs, toMs) {
      if (!(toMs > fromMs)) return 0;
      let total = 0;
      // A window ends by its own day's midnight, so nothing before `fromMs`'s local day counts.
      for (let date = localDate(fromMs, timeZone); day(date).startMs < toMs; date = nextDate(date)) {
        const w = day(date).window;
        if (w) total += Math.max(0, Math.min(toMs, w[1]) - Math.max(fromMs, w[0]));
      }
      return total;
    },
    dueAt(fromMs, targetMs) {
      let remaining = targetMs;
      let date = localDate(fromMs, timeZone);
      for (let n = 0; n < SEARCH_DAYS; n++, date = nextDate(date)) {
        const w = day(date).window;
        if (!w) continue;
        const begin = Math.max(fromMs, w[0]);
        const available = w[1] - begin;
        if (available <= 0) continue;
        if (remaining <= available) return begin + remaining;
        remaining -= available;
      }
      return null;
    },
  };
}
