/**
 * Incident writes, each published only after it commits. Intake: drafts → place (geometry, or the
 * region named by geocodes) → region assignment → one upsert transaction per chunk → publish; then
 * the notices about earlier records. Workflow: a status change with its audit entry → publish.
 */
import { randomUUID } from 'node:crypto';
import type { IncidentGeometry, IngestResult, Status } from '../contract/incidents.ts';
import type { RegionFeature } from '../contract/regions.ts';
import type { IncidentDraft } from '../domain/incidents/draft.ts';
import type { ParsedNotice } from '../ingest/json.ts';
import { representativePoint } from '../contract/representative-point.ts';
import type { Database } from '../store/database.ts';
import { logEvent } from '../store/event-log.ts';
import { changeIncidentStatus, type StatusChangeOutcome } from '../store/incident-changes.ts';
import type { Actor } from '../contract/auth.ts';
import type { NewIncident } from '../store/incident-rows.ts';
import { insertIncidents, recordNotices } from '../store/incidents.ts';
import { recordMeasureTick, type MeasuresInForce, type MeasureTickOutcome } from '../store/measures.ts';
import type { Publish } from './publish.ts';
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

export interface IncidentService {
  /**
   * Stores the drafts (each with its position in the request) and reports every one: created,
   * updated (a newer version of a stored record) or duplicate. Rejected records are the caller's,
   * passed through so the answer covers the whole request; `notices` (messages about earlier
   * records) are recorded after the drafts.
   */
  ingest(
    drafts: readonly { index: number; draft: IncidentDraft }[],
    rejected: IngestResult['errors'],
    context: { nowMs: number; actor: Actor; notices?: readonly ParsedNotice[] },
  ): Promise<IngestResult>;
  /**
   * Moves an incident to `to` if the workflow allows it (`refused` says why not), with its audit
   * entry; the `incident:updated` event is published once stored.
   */
  changeStatus(change: { id: string; to: Status; note: string | null; actor: Actor; atMs: number }): Promise<StatusChangeOutcome>;
  /**
   * Ticks (or unticks) a measure of an incident's checklist if `inForce` lists it and the incident is
   * open, with its history entry and audit entry; the `incident:updated` event is published once stored.
   */
  tickMeasure(tick: { id: string; measureId: string; done: boolean; actor: Actor; atMs: number; inForce: MeasuresInForce }): Promise<MeasureTickOutcome>;
}

/** A region matches a CAP `<geocode>` by its code, or by a code it declares in `geocodes` (`value` or `valueName=value`). */
export function regionOfGeocodes(regions: readonly RegionFeature[], geocodes: readonly { valueName: string; value: string }[]): RegionFeature | undefined {
  for (const { valueName, value } of geocodes) {
    const v = value.trim();
    const found = regions.find((r) => r.properties.code === v || (r.properties.geocodes ?? []).some((g) => g === v || g === `${valueName.trim()}=${v}`));
    if (found) return found;
  }
  return undefined;
}

export function createIncidentService(deps: { db: Database; regions: RegionService; publish: Publish }): IncidentService {
  const sizer = chunkSizer();

  /** The draft's place: its geometry, or the region its geocodes name; an error when neither. */
  function placed(draft: IncidentDraft): { geometry: IncidentGeometry; regionCode: string | null } | string {
    if (draft.geometry !== null) {
      const [lon, lat] = representativePoint(draft.geometry);
      return { geometry: draft.geometry, regionCode: deps.regions.assign(lon, lat) };
    }
    const codes = draft.geocodes ?? [];
    const region = regionOfGeocodes(deps.regions.list(), codes);
    if (region) return { geometry: region.geometry, regionCode: region.properties.code };
    const named = codes.map((g) => `${g.valueName}=${g.value}`).join(', ') || 'none';
    const where = draft.placePath ? ` ${draft.placePath}` : '';
    return `the area${where} is given only by geocodes (${named}), and none of them names a stored region (by its code or one of its geocodes); send a <polygon> or <circle>, or add the code to that region's geocodes`;
  }

  return {
    async ingest(drafts, rejected, { nowMs, actor, notices = [] }) {
      const errors = [...rejected];
      const reportedAt = new Date(nowMs).toISOString();
      const rows: { index: number; row: NewIncident }[] = [];
      for (const { index, draft } of drafts) {
        const place = placed(draft);
        if (typeof place === 'string') {
          errors.push({ index, message: place, path: draft.placePath ?? '' });
          continue;
        }
        const [lon, lat] = representativePoint(place.geometry);
        rows.push({
          index,
          row: {
            id: randomUUID(),
            source: draft.source,
            externalId: draft.externalId,
            category: draft.category,
            severity: draft.severity,
            status: 'reported',
            geometry: place.geometry,
            occurredAt: new Date(draft.occurredAtMs).toISOString(),
            reportedAt,
            title: draft.title,
            description: draft.description,
            reporter: draft.reporter,
            regionCode: place.regionCode,
            attributes: draft.attributes,
            drill: draft.drill === true,
            lon,
            lat,
            ...(draft.version && { version: draft.version }),
            ...(draft.sourceStatus && { sourceStatus: draft.sourceStatus }),
            ...(draft.refers && { refers: draft.refers }),
            ...(draft.aliases && { aliases: draft.aliases }),
          },
        });
      }
      const result: IngestResult = { accepted: 0, updated: 0, duplicates: 0, rejected: new Set(errors.map((e) => e.index)).size, items: [], errors };
      for (let start = 0, size = sizer.next(); start < rows.length; start += size, size = sizer.next()) {
        if (start > 0) await new Promise((resolve) => setImmediate(resolve));
        const chunk = rows.slice(start, start + size);
        const began = performance.now();
        const outcome = await insertIncidents(deps.db, chunk.map((c) => c.row), actor);
        sizer.observe(chunk.length, performance.now() - began);
        outcome.refs.forEach((ref, i) => {
          const index = chunk[i]?.index ?? -1;
          result.items.push({ index, id: ref.id, seq: ref.seq, regionCode: ref.regionCode, outcome: ref.outcome, duplicate: ref.outcome === 'duplicate' });
          if (ref.outcome === 'created') result.accepted++;
          else if (ref.outcome === 'updated') result.updated++;
          else result.duplicates++;
        });
        // Published only after the commit above: a client never sees an event the log lacks.
        deps.publish(outcome.events);
      }
      if (notices.length > 0) {
        const recorded = await recordNotices(deps.db, notices, actor, reportedAt);
        result.notices = recorded.notices;
        deps.publish(recorded.events);
      }
      result.items.sort((a, b) => a.index - b.index);
      result.errors.sort((a, b) => a.index - b.index);
      return result;
    },

    async changeStatus({ atMs, ...change }) {
      const outcome = await changeIncidentStatus(deps.db, { ...change, at: new Date(atMs).toISOString() });
      if (outcome.kind === 'changed') deps.publish([logEvent('incident:updated', outcome.event.seq, outcome.event)]);
      return outcome;
    },

    async tickMeasure({ id, atMs, ...tick }) {
      const outcome = await recordMeasureTick(deps.db, { ...tick, incidentId: id, at: new Date(atMs).toISOString() });
      if (outcome.kind === 'changed') deps.publish([logEvent('incident:updated', outcome.event.seq, outcome.event)]);
      return outcome;
    },
  };
}
