/**
 * Calendar days in a time zone. A centre publishes its bulletin for its own local day (Asia/Shanghai
 * for Hangzhou), not for a UTC day; zones with daylight saving have days of 23 and 25 hours.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of `ms` in `timeZone`. */
function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(ms).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (Asia/Shanghai: +8 h). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return asUtc - (ms - (ms % 1000 + 1000) % 1000);
}

/** The instant the wall clock of `timeZone` reads `minuteOfDay` minutes after midnight on `y-m-d`. */
function localInstant(y: number, m: number, d: number, minuteOfDay: number, timeZone: string): number {
  // Date.UTC carries minute 1440 into the next day, so the end of a day is the next day's midnight.
  const guess = Date.UTC(y, m - 1, d, 0, minuteOfDay);
  // Two rounds settle zones whose offset differs between the guess and the answer (DST days).
  let ms = guess - offsetAt(guess, timeZone);
  ms = guess - offsetAt(ms, timeZone);
  return ms;
}

/** The instant local midnight starts on `y-m-d` in `timeZone`. */
function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  return localInstant(y, m, d, 0, timeZone);
}

/** `YYYY-MM-DD` of instant `ms` in `timeZone`. */
export function localDate(ms: number, timeZone: string): string {
  const w = wallClock(ms, timeZone);
  return `${String(w.y).padStart(4, '0')}-${String(w.m).padStart(2, '0')}-${String(w.d).padStart(2, '0')}`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(date: string): boolean {
  const m = DATE.exec(date);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** `[startMs, endMs)` of the local calendar day `date` (`YYYY-MM-DD`) in `timeZone`. */
export function zonedDayRange(date: string, timeZone: string): { startMs: number; endMs: number } {
  const m = DATE.exec(date);
  if (!m || !isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  return {
    startMs: localMidnight(y, mo, d, timeZone),
    endMs: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone),
  };
}

function dateParts(date: string): [number, number, number] {
  const m = DATE.exec(date);
  if (!m || !isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * The instant the local wall clock reads `minuteOfDay` (0–1440) on `date` in `timeZone`; 1440 is
 * the next day's midnight. A time skipped by a daylight-saving switch falls an hour off; working
 * hours that start or end inside the switch hour are not meaningful anyway.
 */
export function zonedTime(date: string, minuteOfDay: number, timeZone: string): number {
  const [y, m, d] = dateParts(date);
  return localInstant(y, m, d, minuteOfDay, timeZone);
}

/** The calendar day after `date` (`YYYY-MM-DD`). */
export function nextDate(date: string): string {
  const [y, m, d] = dateParts(date);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** ISO weekday of a calendar date: Monday 1 … Sunday 7 (the same everywhere: a date has no zone). */
export function isoWeekday(date: string): number {
  const [y, m, d] = dateParts(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
}
