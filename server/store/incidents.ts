/**
 * Incident writes from intake: a batch of records upserted by (source, externalId) and record
 * version, and notices about earlier records (CAP Ack, Error, Cancel). How a batch is applied is
 * in incident-batch.ts; reads are in incident-queries.ts.
 */
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import { FINAL_STATUSES, type IngestNotice, type IngestOutcome } from '../contract/incidents.ts';
import { compareVersions } from '../domain/incidents/draft.ts';
import type { ParsedNotice } from '../ingest/json.ts';
import type { Database } from './database.ts';
import { lockLog } from './event-log.ts';
import {
  applied,
  changedFields,
  incidentsNamed,
  insertAliases,
  keyOf,
  pendingCancellations,
  stateOf,
  stateOfNew,
  statusOnCreate,
  Working,
  writeOps,
  type Op,
  type State,
} from './incident-batch.ts';
import type { NewIncident } from './incident-rows.ts';

export interface StoredRef {
  id: string;
  seq: number;
  regionCode: string | null;
}

export interface InsertOutcome {
  /** The events written, in seq order: `incident:created` and `incident:updated`. */
  events: LogEvent[];
  /** For every input, in order: the stored incident it created, updated or matched. */
  refs: (StoredRef & { outcome: IngestOutcome })[];
}

/**
 * Applies a batch of records in one transaction, each in input order: a record that names no
 * stored incident (by its `externalId` or its `refers`, against stored ids and aliases) creates
 * one; a record whose version is newer than the incident it names updates it (one history entry,
 * one `incident:updated` event); the same or an older version changes nothing (a duplicate).
 * Any interleaving of the versions of one record therefore ends at the newest.
 */
export async function insertIncidents(db: Database, batch: readonly NewIncident[], actor: Actor): Promise<InsertOutcome> {
  if (batch.length === 0) return { events: [], refs: [] };
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const work = new Working();
    const pairs = new Map<string, { source: string; key: string }>();
    for (const n of batch) for (const key of [n.externalId, ...(n.refers ?? [])]) pairs.set(keyOf(n.source, key), { source: n.source, key });
    for (const r of await incidentsNamed(tx, [...pairs.values()])) {
      if (!work.states.has(r.id)) work.states.set(r.id, stateOf(r));
      work.name(r.source, r.lookup, r.id, false);
    }
    // Only versioned records can be older than a cancellation that came first.
    const versioned = batch.filter((n) => (n.version?.length ?? 0) > 0);
    const cancels = await pendingCancellations(tx, [...new Set(versioned.flatMap((n) => [n.externalId, ...(n.aliases ?? []), ...(n.refers ?? [])]))]);

    const ops: Op[] = [];
    const picks: { id: string; outcome: IngestOutcome }[] = [];
    for (const n of batch) {
      const targets = work.named(n.source, [n.externalId, ...(n.refers ?? [])]);
      if (targets.length === 0) {
        const cancelledBy = [n.externalId, ...(n.aliases ?? []), ...(n.refers ?? [])]
          .map((k) => cancels.get(keyOf(n.source, k)))
          .some((v) => v !== undefined && compareVersions(v, n.version ?? []) > 0);
        const state = stateOfNew(n, cancelledBy ? 'cancelled' : statusOnCreate(n));
        work.states.set(n.id, state);
        work.name(n.source, n.externalId, n.id, false);
        for (const alias of [...(n.aliases ?? []), ...(n.refers ?? [])]) work.name(n.source, alias, n.id, true);
        ops.push({ kind: 'create', state });
        picks.push({ id: n.id, outcome: 'created' });
        continue;
      }
      let outcome: IngestOutcome = 'duplicate';
      for (const id of targets) {
        const before = work.states.get(id)!;
        // Later records may name this one by its own id (a CAP Update's identifier): remember it.
        for (const alias of [n.externalId, ...(n.aliases ?? [])]) if (alias !== before.externalId) work.name(n.source, alias, id, true);
        if (compareVersions(n.version ?? [], before.version) <= 0) continue;
        // An exercise never changes a live incident (an Exercise Update naming a real alert).
        if (n.drill && !before.drill) continue;
        const state = applied(before, n);
        work.states.set(id, state);
        ops.push({ kind: 'update', before, state, fields: changedFields(before, state), at: n.reportedAt });
        outcome = 'updated';
      }
      picks.push({ id: targets[0]!, outcome });
    }

    const events = await writeOps(tx, ops, actor);
    await insertAliases(tx, work.aliases);
    const refs = picks.map(({ id, outcome }) => {
      const state = work.states.get(id)!;
      return { id, seq: state.seq, regionCode: state.regionCode, outcome };
    });
    return { events, refs };
  });
}

/** What recording the notices of a batch did: one answer per notice, and the events written. */
export interface NoticeOutcome {
  notices: IngestNotice[];
  events: LogEvent[];
}

/**
 * Records messages about earlier records (CAP Ack, Error, Cancel without `<info>`) against the
 * incidents they name. A Cancel ends each named incident that is still open and older than it; one
 * that names nothing stored yet is kept, and ends what it names when that arrives.
 */
export async function recordNotices(db: Database, notices: readonly ParsedNotice[], actor: Actor, atIso: string): Promise<NoticeOutcome> {
  if (notices.length === 0) return { notices: [], events: [] };
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const work = new Working();
    const pairs = notices.flatMap((n) => n.refers.map((key) => ({ source: n.source, key })));
    for (const r of await incidentsNamed(tx, pairs)) {
      if (!work.states.has(r.id)) work.states.set(r.id, stateOf(r));
      work.name(r.source, r.lookup, r.id, false);
    }
    const ops: Op[] = [];
    const answers: IngestNotice[] = [];
    const rows = notices.map((n) => {
      const ids = work.named(n.source, n.refers);
      if (n.kind === 'cancel') {
        for (const id of ids) {
          const before = work.states.get(id)!;
          if (FINAL_STATUSES.has(before.status) || compareVersions(n.version, before.version) <= 0) continue;
          if (n.drill && !before.drill) continue;
          const state: State = { ...before, status: 'cancelled', version: n.version };
          work.states.set(id, state);
          ops.push({ kind: 'update', before, state, fields: ['status'], at: atIso });
        }
      }
      answers.push({ index: n.index, kind: n.kind, incidentIds: ids });
      return { source: n.source, external_id: n.externalId, kind: n.kind, refers: n.refers, version: n.version, note: n.note, drill: n.drill === true, received_at: atIso, incident_ids: ids };
    });
    const events = await writeOps(tx, ops, actor);
    await tx.query(
      `INSERT INTO feed_notices (source, external_id, kind, refers, version, note, drill, received_at, incident_ids)
       SELECT source, external_id, kind, refers, version, note, drill, received_at, incident_ids
       FROM jsonb_to_recordset($1::jsonb) AS n(source text, external_id text, kind text, refers jsonb,
         version jsonb, note text, drill boolean, received_at timestamptz, incident_ids jsonb)`,
      [JSON.stringify(rows)],
    );
    return { notices: answers, events };
  });
}
