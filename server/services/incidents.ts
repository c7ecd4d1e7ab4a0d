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

/** Most rows per transaction: big enough to amortise the commit, small enough to bound a retry. */
export const INGEST_CHUNK = 2000;
/**
 * Fewest rows per transaction. A batch up to this size is stored all or nothing; a bigger one is
 * stored chunk by chunk, and re-sending it after a failure stores what is missing (idempotent).
 */
export const INGEST_MIN_CHUNK = 50;
/**
 * How long one write transaction should take. The embedded store runs every statement on the main
 * thread and serialises queries, so a request that arrives meanwhile (a health check, a wall's
 * read) waits for the whole transaction: during a mass event, a 1,000-incident transaction held
 * every other request for ~0.5 s. Chunks are sized from the measured cost per row to stay near
 * this, and the event loop gets a turn between chunks.
 */
const TRANSACTION_BUDGET_MS = 25;

/** Learns the cost of a row from each transaction (moving average), and sizes the next chunk. */
export function chunkSizer(budgetMs = TRANSACTION_BUDGET_MS, min = INGEST_MIN_CHUNK, max = INGEST_CHUNK) {
  let msPerRow: number | undefined;
  return {
    next(): number {
      if (msPerRow === undefined || msPerRow <= 0) return Math.max(min, Math.min(max, 200));
      return Math.max(min, Math.min(max, Math.floor(budgetMs / msPerRow)));
    },
    observe(rows: number, elapsedMs: number): void {
      if (rows <= 0 || !Number.isFinite(elapsedMs)) return;
      const sample = elapsedMs / rows;
      msPerRow = msPerRow === undefined ? sample : 0.7 * msPerRow + 0.3 * sample;
    },
  };
}

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
  const sizer = chunkSizer();
  return {
    async ingest(drafts, rejected, { nowMs, actor }) {
      const result: IngestResult = { accepted: 0, duplicates: 0, rejected: new Set(rejected.map((e) => e.index)).size, items: [], errors: rejected };
      const reportedAt = new Date(nowMs).toISOString();
      for (let start = 0, size = sizer.next(); start < drafts.length; start += size, size = sizer.next()) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const chunk = drafts.slice(start, start + size);
        const began = performance.now();
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
        sizer.observe(rows.length, performance.now() - began);
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
