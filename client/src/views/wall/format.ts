/** Times as the wall shows them: 24-hour clock, with the date only when it is not today. */
import type { Lang } from '../../i18n.ts';

export function formatTime(iso: string, lang: Lang, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = now.toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(lang, {
    ...(today ? {} : { month: '2-digit', day: '2-digit' }),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

/**
 * An instant with its date, for playback: a week of history spans days, so the date always shows.
 * Seconds too: two level changes a few seconds apart must read as two instants.
 */
export function formatDateTime(ms: number, lang: Lang): string {
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat(lang, {
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(ms));
}
