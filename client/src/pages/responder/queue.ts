/** The responder's queue: open incidents only (a cancelled one has left it), the most severe first, and among equals the oldest first. */
import type { Incident, Severity } from '#contract/index.ts';
import { isOpen } from '../../session/incident-status.ts';

const SEVERITY_RANK: Record<Severity, number> = { extreme: 0, severe: 1, moderate: 2, minor: 3, unknown: 4 };

/** Severe and extreme incidents sound the alert when they arrive. */
export const isAlarming = (incident: Incident): boolean => incident.severity === 'extreme' || incident.severity === 'severe';

/** Waiting time counts from the report: that is when someone started waiting for help. */
const ageKey = (incident: Incident): number => Date.parse(incident.reportedAt);

/** Open incidents sorted by severity (extreme first), then age (oldest first), then id for a stable order. */
export function responderQueue(incidents: readonly Incident[]): Incident[] {
  return incidents
    .filter(isOpen)
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || ageKey(a) - ageKey(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}
