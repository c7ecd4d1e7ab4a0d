/** Incident intake: drafts → region assignment → one transaction per chunk → live publish. */
import { randomUUID } from 'node:crypto';
import type { IngestResult } from '../contract/incidents.ts';
import type { IncidentDraft } from '../domain/incidents/draft.ts';
import { representativePoint } from '../domain/spatial/representative-point.ts';
import type { Publish } from '../live/publish.ts';
import type { Database } from '../store/database.ts';
import { logEvent } from '../store/event-log.ts';
import type { Actor } from '../store/incident-changes.ts';
import { insertIncidents, type NewIncident } from '../store/incidents.ts';
import type { RegionService } from './regions.ts';

/** Rows per transaction: big enough to amortise the commit, small enough to bound a retry. */
export const INGEST_CHUNK = 2000;

export interface IncidentIntake {
  /**
   * Stores the drafts (each with its position in the request) and reports every one; rejected
   * records are the caller's, passed through so the answer covers the whole request.
   */
  ingest(
    drafts: readonly { index: number; draft: IncidentDraft }[],
    rejected: IngestResult['errors'],
    context: { nowMs: number; actor: Actor },
  ): Promise<IngestResult>;
}

export function createIncidentIntake(deps: { db: Database; regions: RegionService; publish: Publish }): IncidentIntake {
  return {
    async ingest(drafts, rejected, { nowMs, actor }) {
      const result: IngestResult = { accepted: 0, duplicates: 0, rejected: new Set(rejected.map((e) => e.index)).size, items: [], errors: rejected };
      const reportedAt = new Date(nowMs).toISOString();
      for (let start = 0; start < drafts.length; start += INGEST_CHUNK) {
        const chunk = drafts.slice(start, start + INGEST_CHUNK);
        const rows: NewIncident[] = chunk.map(({ draft }) => {
          const [lon, lat] = representativePoint(draft.geometry);
          return {
            id: randomUUID(),
            source: draft.source,
            externalId: draft.externalId,
            category: draft.category,
            severity: draft.severity,
            status: 'reported',
            geometry: draft.geometry,
            occurredAt: new Date(draft.occurredAtMs).toISOString(),
            reportedAt,
            title: draft.title,
            description: draft.description,
            reporter: draft.reporter,
            regionCode: deps.regions.assign(lon, lat),
            attributes: draft.attributes,
            lon,
            lat,
          };
        });
        const outcome = await insertIncidents(deps.db, rows, actor);
        outcome.refs.forEach((ref, i) => {
          const index = chunk[i]?.index ?? -1;
          result.items.push({ index, id: ref.id, seq: ref.seq, regionCode: ref.regionCode, duplicate: ref.duplicate });
          if (ref.duplicate) result.duplicates++;
          else result.accepted++;
        });
        // Published only after the commit above: a client never sees an event the log lacks.
        deps.publish(outcome.created.map((c) => logEvent('incident:created', c.seq, c)));
      }
      result.items.sort((a, b) => a.index - b.index);
      result.errors.sort((a, b) => a.index - b.index);
      return result;
    },
  };
}
