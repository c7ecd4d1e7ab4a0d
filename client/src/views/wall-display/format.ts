/** Numbers and times on the wall, formatted for its language; the clock is the city's (Beijing time). */
import type { Lang } from '../../i18n.ts';

/** The server's zone is not exposed to the client; the deployments this serves are all on Beijing time. */
export const WALL_TIME_ZONE = 'Asia/Shanghai';

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

export const formatCount = (n: number, lang: Lang): string => new Intl.NumberFormat(locale(lang)).format(n);

/** An index such as the Gini to two decimals; rounding error below zero is shown as 0, never "-0.00". */
export const formatIndex = (x: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'negative' }).format(x);

export const formatClockTime = (ms: number, lang: Lang): string =>
  new Intl.DateTimeFormat(locale(lang), { timeZone: WALL_TIME_ZONE, hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(ms);

export const formatClockDate = (ms: number, lang: Lang): string =>
  new Intl.DateTimeFormat(locale(lang), { timeZone: WALL_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' }).format(ms);

/** A ticker time: hours and minutes today, with the date for older reports. */
export function formatTickerTime(iso: string, nowMs: number, lang: Lang): string {
  const ms = Date.parse(iso);
  const day = (t: number) => new Intl.DateTimeFormat('en-CA', { timeZone: WALL_TIME_ZONE }).format(t);
  const sameDay = day(ms) === day(nowMs);
  return new Intl.DateTimeFormat(locale(lang), {
    timeZone: WALL_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    ...(!sameDay && { month: 'numeric', day: 'numeric' }),
  }).format(ms);
}
