/** An incident draft: what an ingest adapter makes of one input record, before the store sees it. */
import { createHash } from 'node:crypto';
import type { Category, IncidentGeometry, Reporter, Severity } from '../../contract/incidents.ts';

export interface IncidentDraft {
  source: string;
  externalId: string;
  category: Category;
  severity: Severity;
  geometry: IncidentGeometry;
  /** Epoch milliseconds; the time of receipt when the record gives none. */
  occurredAtMs: number;
  title: string;
  description: string;
  reporter: Reporter | null;
  attributes: Record<string, unknown>;
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
