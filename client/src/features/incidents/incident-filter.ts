/** Which incidents the list shows, and how the keyboard moves through them. Pure, so it is tested alone. */
import type { Incident, Severity } from '#contract/index.ts';
import { isOpen } from '../../session/incident-status.ts';

export type StatusScope = 'open' | 'all';

export interface IncidentFilter {
  /** `open`: still being handled (reported, acknowledged, dispatched); `all` adds the closed ones. */
  scope: StatusScope;
  /** Severities to show; empty means every severity. */
  severities: ReadonlySet<Severity>;
}

export const DEFAULT_FILTER: IncidentFilter = { scope: 'open', severities: new Set() };


export function matchesFilter(incident: Incident, filter: IncidentFilter): boolean {
  if (filter.scope === 'open' && !isOpen(incident)) return false;
  return filter.severities.size === 0 || filter.severities.has(incident.severity);
}

/**
 * The first `limit` incidents that pass, in the order given (newest first), and how many pass in
 * all. Stops scanning once it has `limit` and only counts the rest: the wall needs the head.
 */
export function filterIncidents(
  incidents: readonly Incident[],
  filter: IncidentFilter,
  limit: number,
): { shown: Incident[]; total: number } {
  const shown: Incident[] = [];
  let total = 0;
  for (const incident of incidents) {
    if (!matchesFilter(incident, filter)) continue;
    total++;
    if (shown.length < limit) shown.push(incident);
  }
  return { shown, total };
}

export function toggleSeverity(filter: IncidentFilter, severity: Severity): IncidentFilter {
  const severities = new Set(filter.severities);
  if (severities.has(severity)) severities.delete(severity);
  else severities.add(severity);
  return { ...filter, severities };
}

/**
 * The id one step up (`-1`) or down (`+1`) from `current` in `ids`; from nothing, down starts at the
 * top and up at the bottom. Stays put at either end rather than wrapping, as lists on a desk do.
 */
export function stepSelection(ids: readonly string[], current: string | null, step: -1 | 1): string | null {
  if (ids.length === 0) return null;
  const at = current === null ? -1 : ids.indexOf(current);
  if (at === -1) return (step === 1 ? ids[0] : ids[ids.length - 1]) ?? null;
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))] ?? null;
}
