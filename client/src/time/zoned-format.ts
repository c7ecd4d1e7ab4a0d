/**
 * Every clock, date and "today" the dashboard shows, in the one zone the caller names: the centre's
 * (`TIME_ZONE`, learnt from the server by time-zone.ts), never the zone of the screen's computer.
 * An instant is epoch ms or an ISO string; one that cannot be read formats as ''.
 */
import type { Lang } from '../i18n/i18n.ts';

export type Instant = number | string;

/** English as the centre's operators read it: day before month, and a 24-hour clock like the Chinese. */
const LOCALE: Readonly<Record<Lang, string>> = { 'zh-CN': 'zh-CN', en: 'en-GB' };

// `hourCycle: 'h23'`, not `hour12: false`: the latter writes midnight as "24:00" in some engines.
const H23 = { hourCycle: 'h23' } as const;
const STYLES = {
  /** 14:05:09 */
  clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', ...H23 },
  /** 14:05 */
  hourMinute: { hour: '2-digit', minute: '2-digit', ...H23 },
  /** 2026年11月23日星期一 · Monday 23 November 2026 */
  longDate: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
  /** 11/23 14:05:09 · 23/11, 14:05:09 */
  numericDateTime: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', ...H23 },
  /** 11/23 14:05 · 23/11, 14:05 */
  shortNumericDateTime: { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', ...H23 },
  /** 11月23日 14:05 · 23 Nov, 14:05 */
  shortDateTime: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...H23 },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof STYLES;

// Lists format a time per row: a formatter is built once per language, zone and style.
const formatters = new Map<string, Intl.DateTimeFormat>();
function cached(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}
const styled = (style: Style, zone: string, lang: Lang) =>
  cached(`${style}|${lang}|${zone}`, () => new Intl.DateTimeFormat(LOCALE[lang], { ...STYLES[style], timeZone: zone }));

function toMs(at: Instant): number {
  return typeof at === 'number' ? at : Date.parse(at);
}
function format(style: Style, at: Instant, zone: string, lang: Lang): string {
  const ms = toMs(at);
  return Number.isFinite(ms) ? styled(style, zone, lang).format(ms) : '';
}

/** The wall-clock reading of `ms` in `zone`, as numbers (month 1–12). */
export function wallClock(ms: number, zone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const f = cached(`parts|${zone}`, () =>
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', ...H23 }),
  );
  const part = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, Number(p.value)]));
  return { year: part.year ?? NaN, month: part.month ?? NaN, day: part.day ?? NaN, hour: part.hour ?? NaN, minute: part.minute ?? NaN, second: part.second ?? NaN };
}

/** `YYYY-MM-DD` of the instant in `zone`: the centre's calendar day ('' when unreadable). */
export function localDay(at: Instant, zone: string): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return '';
  const w = wallClock(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}`;
}

/** The wall clock: `14:05:09`. */
export const clockTime = (at: Instant, zone: string, lang: Lang): string => format('clock', at, zone, lang);

/** The day under the wall clock: `2026年11月23日星期一`, `Monday 23 November 2026`. */
export const longDate = (at: Instant, zone: string, lang: Lang): string => format('longDate', at, zone, lang);

/**
 * An event's time in a list: the time of day when it falls on the same day as `nowMs` in `zone`
 * ("today" is the centre's), with the date before it otherwise. `seconds`: the console lists
 * seconds (two reports a few seconds apart read as two); the wall's ticker does not.
 */
export function eventTime(at: Instant, nowMs: number, zone: string, lang: Lang, options: { seconds: boolean }): string {
  const ms = toMs(at);
  if (!Number.isFinite(ms)) return '';
  const today = localDay(ms, zone) === localDay(nowMs, zone);
  const style: Style = options.seconds ? (today ? 'clock' : 'numericDateTime') : today ? 'hourMinute' : 'shortNumericDateTime';
  return format(style, ms, zone, lang);
}

/**
 * An instant with its date and seconds, for risk playback and "as of" lines: a week of history
 * spans days, and two level changes a few seconds apart must read as two instants.
 */
export const dateTime = (at: Instant, zone: string, lang: Lang): string => format('numericDateTime', at, zone, lang);

/** Date and time of day with the month named, for the responder's queue and detail: `11月23日 14:05`. */
export const shortDateTime = (at: Instant, zone: string, lang: Lang): string => format('shortDateTime', at, zone, lang);

/** Minutes `zone` is ahead of UTC at the instant (Asia/Shanghai: 480; New York in winter: −300). */
export function utcOffsetMinutes(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** `UTC+8`, `UTC-4`, `UTC+5:30`, `UTC+0`. */
export function formatUtcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  return `UTC${sign}${h}${m === 0 ? '' : `:${String(m).padStart(2, '0')}`}`;
}

/** The zones of mainland China's one clock, which Chinese calls 北京时间 rather than ICU's 中国标准时间. */
const BEIJING_TIME = new Set(['Asia/Shanghai', 'Asia/Chongqing', 'Asia/Chungking', 'Asia/Harbin', 'PRC']);

/**
 * The zone's name in the language at the instant (summer and winter names differ): 北京时间,
 * Central European Summer Time. A zone the browser has no name for (it would say "GMT+3") is named
 * by its IANA id, as TIME_ZONE spells it.
 */
export function zoneName(ms: number, zone: string, lang: Lang): string {
  if (lang === 'zh-CN' && BEIJING_TIME.has(zone)) return '北京时间';
  const f = cached(`name|${lang}|${zone}`, () => new Intl.DateTimeFormat(LOCALE[lang], { timeZone: zone, timeZoneName: 'long' }));
  const name = f.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return name === '' || /^(GMT|UTC)([+\-−\d]|$)/.test(name) ? zone : name;
}

/** What the header says of the zone: `北京时间 UTC+8`, `Eastern Daylight Time UTC-4`. */
export function zoneLabel(ms: number, zone: string, lang: Lang): string {
  return `${zoneName(ms, zone, lang)} ${formatUtcOffset(utcOffsetMinutes(ms, zone))}`;
}
