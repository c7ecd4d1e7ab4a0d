/**
 * What a person typed into the parcel search box means: a land code to open, a land code that is
 * mistyped (caught here, before any request), or words to search codes, names and addresses for.
 */
import { landCodeCheckChar, parseLandCode } from '#contract/land-code.ts';

export type ParcelQuery =
  | { kind: 'empty' }
  /** A well-formed land code with the right check character (canonical form). */
  | { kind: 'code'; code: string }
  /** Shaped like a land code, but the check character does not match its digits. */
  | { kind: 'mistyped'; code: string; given: string; expected: string }
  /** Shaped like a land code, but a part can never occur (sequence 00000, a year starting with 0). */
  | { kind: 'malformed'; code: string; part: 'sequence' | 'year'; value: string }
  /** Anything else: part of a code, a name or an address. */
  | { kind: 'search'; q: string };

/** The server reads at most this much of `q`. */
export const MAX_QUERY_LENGTH = 100;

const CODE_SHAPE = /^(\d{6})-(\d{4})-(\d{5})-([0-9Xx])$/;
/** The same 16 characters typed without hyphens. */
const COMPACT_SHAPE = /^(\d{6})(\d{4})(\d{5})([0-9Xx])$/;
/** Dashes an input method or a word processor puts where a hyphen was meant. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;

/**
 * Full-width digits and hyphens (a Chinese input method's) become ASCII (NFKC), other dashes become
 * hyphens, and surrounding space goes.
 */
export function normaliseQuery(text: string): string {
  return text.normalize('NFKC').replace(DASHES, '-').trim();
}

/** Reads the search box. Pure: no request is made to tell a mistyped code. */
export function classifyParcelQuery(text: string): ParcelQuery {
  const normal = normaliseQuery(text);
  if (normal === '') return { kind: 'empty' };
  const squeezed = normal.replace(/\s+/g, '');
  const parts = CODE_SHAPE.exec(squeezed) ?? COMPACT_SHAPE.exec(squeezed);
  if (!parts) return { kind: 'search', q: normal.slice(0, MAX_QUERY_LENGTH) };
  const [, adcode = '', year = '', seq = '', check = ''] = parts;
  const code = `${adcode}-${year}-${seq}-${check.toUpperCase()}`;
  const parsed = parseLandCode(code);
  if (parsed.ok) return { kind: 'code', code: parsed.code };
  if (Number(seq) === 0) return { kind: 'malformed', code, part: 'sequence', value: seq };
  if (year.startsWith('0')) return { kind: 'malformed', code, part: 'year', value: year };
  return { kind: 'mistyped', code, given: check.toUpperCase(), expected: landCodeCheckChar(adcode + year + seq) };
}

/**
 * Moves the highlighted search result by `delta`, wrapping round; from nothing, down starts at the
 * first and up at the last. `null` when there is nothing to highlight.
 */
export function stepHighlight(count: number, current: number | null, delta: 1 | -1): number | null {
  if (count <= 0) return null;
  if (current === null || current < 0 || current >= count) return delta === 1 ? 0 : count - 1;
  return (current + delta + count) % count;
}
