/**
 * Intake limits: how much one `POST /api/v1/incidents` may ask of the server, per format, checked
 * by cheap scans of the raw text before any parser builds a tree of it. Each limit has a setting
 * (read in `server/config.ts`) and a default chosen for a real operations centre.
 */

export interface IntakeLimits {
  /** Records (incidents, rows, service requests, CAP areas) per request (`INTAKE_MAX_RECORDS`). */
  maxRecords: number;
  /** Fields of one record: CSV columns, JSON keys and `properties`/`attributes` keys, CAP `<parameter>`s per `<info>` (`INTAKE_MAX_FIELDS`). */
  maxFields: number;
  /** UTF-8 bytes of one record without its geometry: a CSV row, a JSON record, one CAP text, tag or attribute (`INTAKE_MAX_RECORD_KB` × 1024). */
  maxRecordBytes: number;
  /** Positions of one geometry: a JSON `coordinates` value, a CAP `<polygon>` (`INTAKE_MAX_POSITIONS`). */
  maxPositions: number;
  /** `<info>` blocks in one CAP alert (`INTAKE_CAP_MAX_INFOS`). */
  capMaxInfos: number;
  /** `<area>` blocks in one CAP alert, all `<info>`s together (`INTAKE_CAP_MAX_AREAS`). */
  capMaxAreas: number;
  /** `<polygon>` and `<circle>` shapes in one CAP alert (`INTAKE_CAP_MAX_SHAPES`). */
  capMaxShapes: number;
  /**
   * XML elements in one CAP alert or Open311 XML body (`INTAKE_CAP_MAX_ELEMENTS`): bounds the tree
   * the XML parser builds. At the default, an Open311 body holds about 5,000 requests.
   */
  capMaxElements: number;
  /** A parse still running after this many ms is stopped and answered "too complex" (`INTAKE_PARSE_SECONDS` × 1000). */
  parseTimeoutMs: number;
}

/**
 * Defaults, and why:
 * - 20,000 records: USGS's month-long earthquake feed holds 8,000–13,000 features, and it must import
 *   in one request as it is; a 10,000 cap would refuse a busy month. Twice that still parses in
 *   well under a second (off the main thread) and stays inside the 32 MB body limit.
 * - 100 fields: a USGS feature has 26 properties, an Open311 request about 20 fields, the hotline
 *   CSV exports we have seen 30–50 columns.
 * - 64 kB per record: the longest field we keep, a description, is 10,000 characters (30 kB of
 *   Chinese in UTF-8); a USGS feature's properties are about 1 kB.
 * - 200,000 positions: the limit every other geometry route has (`server/http/geometry-guard.ts`);
 *   more than any district or warning polygon needs.
 * - CAP: 32 `<info>`s (real alerts carry one per language, 1–4), 1,000 `<area>`s and 1,000 shapes
 *   (NWS alerts list a few hundred areas), 100,000 elements (a 1,000-area alert with geocodes is
 *   about 20,000).
 * - 5 s per parse: the largest accepted bodies parse in under 1 s on a shared 2-core machine.
 */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  maxRecords: 20_000,
  maxFields: 100,
  maxRecordBytes: 64 * 1024,
  maxPositions: 200_000,
  capMaxInfos: 32,
  capMaxAreas: 1_000,
  capMaxShapes: 1_000,
  capMaxElements: 100_000,
  parseTimeoutMs: 5_000,
};

/** The setting behind each limit, and how its value is written in a message. */
const SETTINGS: Readonly<Record<Exclude<keyof IntakeLimits, 'parseTimeoutMs'>, { name: string; show: (v: number) => string }>> = {
  maxRecords: { name: 'INTAKE_MAX_RECORDS', show: (v) => fmt(v) },
  maxFields: { name: 'INTAKE_MAX_FIELDS', show: (v) => fmt(v) },
  maxRecordBytes: { name: 'INTAKE_MAX_RECORD_KB', show: (v) => (v % 1024 === 0 ? fmt(v / 1024) : String(v / 1024)) },
  maxPositions: { name: 'INTAKE_MAX_POSITIONS', show: (v) => fmt(v) },
  capMaxInfos: { name: 'INTAKE_CAP_MAX_INFOS', show: (v) => fmt(v) },
  capMaxAreas: { name: 'INTAKE_CAP_MAX_AREAS', show: (v) => fmt(v) },
  capMaxShapes: { name: 'INTAKE_CAP_MAX_SHAPES', show: (v) => fmt(v) },
  capMaxElements: { name: 'INTAKE_CAP_MAX_ELEMENTS', show: (v) => fmt(v) },
};
export type ScannedLimit = keyof typeof SETTINGS;

const fmt = (n: number): string => Math.round(n).toLocaleString('en');

/**
 * What a raw scan found over a limit. `malformed` problems (too deep, too many vertices) answer 400
 * as they always have; the others are "too much" and answer 413.
 */
export interface LimitProblem {
  kind: 'too_large' | 'malformed';
  path: string;
  message: string;
}

/**
 * A problem whose message says what was found, the limit, its value and the setting that changes
 * it, e.g. "line 2 has more than 100 columns (limit INTAKE_MAX_FIELDS = 100)".
 */
export function overLimit(limit: ScannedLimit, limits: IntakeLimits, path: string, found: string, advice: string): LimitProblem {
  const { name, show } = SETTINGS[limit];
  const kind = limit === 'maxPositions' ? 'malformed' : 'too_large';
  return { kind, path, message: `${found} (limit ${name} = ${show(limits[limit])}); ${advice}` };
}

/** "64 kB" (or "900 bytes") for a byte count, as messages write sizes. */
export const kb = (bytes: number): string => (bytes < 10 * 1024 ? `${bytes.toLocaleString('en')} bytes` : `${fmt(bytes / 1024)} kB`);

/**
 * UTF-8 length of `text[from, to)` without encoding it: limits are stated in bytes, and a decoded
 * string has one code unit per character (two for characters outside the BMP, which take 4 bytes).
 */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let bytes = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Whether `text[from, to)` is longer than `maxBytes` in UTF-8. Counts only when it must: a code
 * unit is 1–3 bytes, so short spans pass and long ones fail on their length alone.
 */
export function longerThan(text: string, from: number, to: number, maxBytes: number): boolean {
  const units = to - from;
  if (units > maxBytes) return true;
  if (units * 3 <= maxBytes) return false;
  return utf8Length(text, from, to) > maxBytes;
}

/** `\s` of a JavaScript RegExp, as one code unit: what `trim()` and `/\S/` treat as blank. */
export function isBlank(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}
