/** An incident draft: what an ingest adapter makes of one input record, before the store sees it. */
import { createHash } from 'node:crypto';
import type { Category, IncidentGeometry, Reporter, Severity } from '../../contract/incidents.ts';

export interface IncidentDraft {
  source: string;
  externalId: string;
  category: Category;
  severity: Severity;
  /**
   * Where it is. `null` only when the record names its place by `geocodes` alone (a CAP area given
   * by code): the intake resolves them against the stored regions, or refuses the record.
   */
  geometry: IncidentGeometry | null;
  /** Epoch milliseconds; the time of receipt when the record gives none. */
  occurredAtMs: number;
  title: string;
  description: string;
  reporter: Reporter | null;
  attributes: Record<string, unknown>;
  /**
   * The record's own version (USGS `updated`, CAP `sent`, Open311 `updated_datetime`, a JSON or CSV
   * `updatedAt`/`version`), compared element by element; see `compareVersions`. Absent or `[]`:
   * unversioned, so a repeat is a duplicate.
   */
  version?: (number | null)[];
  /** What the source says of the incident: `closed` (done), `cancelled` (withdrawn), else `open`. */
  sourceStatus?: SourceStatus;
  /** An exercise, test, draft or system message: stored, listed on request, never counted. */
  drill?: boolean;
  /** Ids of the same source that this record updates (CAP `<references>`), besides its own. */
  refers?: string[];
  /** More ids of the same source by which later records may name this one (CAP: the alert's identifier). */
  aliases?: string[];
  /** Place given by code only (CAP `<geocode>`): `{valueName, value}` pairs, and the area's path for errors. */
  geocodes?: { valueName: string; value: string }[];
  /** Where in the input the place was given, e.g. `alert/info[1]/area[2]`, for a refusal's message. */
  placePath?: string;
}

export type SourceStatus = 'open' | 'closed' | 'cancelled';

/**
 * Orders two record versions: negative when `a` is older. Versions are compared element by
 * element; a missing element (or `null`) is older than any number, so an unversioned record is
 * older than every versioned one and equal to another unversioned one.
 */
export function compareVersions(a: readonly (number | null)[], b: readonly (number | null)[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k] ?? -Infinity;
    const y = b[k] ?? -Infinity;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Earthquake magnitude → CAP severity. Thresholds follow common practice for felt effects:
 * below 4 rarely damages, 5.5+ damages buildings near the epicentre, 7+ is a major disaster.
 */
export function severityFromMagnitude(mag: number | null | undefined): Severity {
  if (mag === null || mag === undefined || !Number.isFinite(mag)) return 'unknown';
  if (mag < 4) return 'minor';
  if (mag < 5.5) return 'moderate';
  if (mag < 7) return 'severe';
  return 'extreme';
}

/**
 * USGS PAGER alert level → CAP severity, or `null` when the event has no PAGER level (most small
 * events never get one), so the caller falls back to magnitude. PAGER rates the expected losses
 * of the population actually shaken, which magnitude alone cannot: a deep or offshore M7 may harm
 * no one while a shallow M6 under a city kills. Its four levels name the response they call for,
 * and CAP's four severities rank threats the same way, so they map one to one:
 * green (no response needed; limited losses) → minor, yellow (local or regional response) →
 * moderate, orange (national response) → severe, red (international response) → extreme.
 */
export function severityFromPager(alert: string | null | undefined): Severity | null {
  switch (alert) {
    case 'green':
      return 'minor';
    case 'yellow':
      return 'moderate';
    case 'orange':
      return 'severe';
    case 'red':
      return 'extreme';
    default:
      return null;
  }
}

/** Stable JSON: object keys sorted, so equal content hashes equally whatever the key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Identity of a record that carries no id: a hash of its content as given, so importing the same
 * file twice adds nothing while two different records never collide.
 */
export function contentId(record: unknown): string {
  return `sha256:${createHash('sha256').update(canonical(record)).digest('hex').slice(0, 32)}`;
}
