/**
 * The audit chain: every state change, config change, token change and parcel step is
 * appended, in the transaction that makes the change, to `audit_log`, each entry carrying the hash
 * of the one before (server/domain/audit/chain.ts), so an edited or deleted row breaks the chain
 * where it happened. A one-row head, locked while appending, keeps ids gapless and the chain
 * linear even with several server nodes on one PostgreSQL.
 */
import { createHash } from 'node:crypto';
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import { canonicalJson, chain, GENESIS_HASH, verifyPage, type AuditEntry, type Broken } from '../domain/audit/chain.ts';
import type { Sql } from './database.ts';

/** The server itself, as the actor of what it does on its own (risk changes, decay). */
export const SYSTEM_ACTOR: Actor = { name: 'system', role: 'system' };

export interface AuditEntryInput {
  /** What happened, `domain:verb` like the event names, e.g. `incident:updated`, `token:issued`. */
  action: string;
  actor: Actor;
  /** What it happened to: an incident id, a parcel code, a token id, `regions`, … */
  subject: string;
  /** What changed, without secrets (never a token, never a reporter's phone). */
  detail: Record<string, unknown>;
  /** When (epoch ms); default now. */
  atMs?: number;
}

/** Appends entries in order, chained to the last one; call inside the change's transaction. */
export async function appendAudit(tx: Sql, entries: readonly AuditEntryInput[]): Promise<void> {
  if (entries.length === 0) return;
  const [head] = await tx.query<{ last_id: number | string; last_hash: string }>('SELECT last_id, last_hash FROM audit_head WHERE id = 1 FOR UPDATE');
  if (!head) throw new Error('audit head is missing: the schema was not migrated');
  const firstId = Number(head.last_id) + 1;
  const now = Date.now();
  const chained = chain(
    head.last_hash,
    entries.map((e, i) => ({ id: firstId + i, at: new Date(e.atMs ?? now).toISOString(), actor: { name: e.actor.name, role: e.actor.role }, action: e.action, subject: e.subject, detail: e.detail })),
  );
  for (let i = 0; i < chained.length; i += 5000) {
    await tx.query(
      `INSERT INTO audit_log (id, at, actor_name, actor_role, action, subject, detail, prev_hash, hash)
       SELECT id, at, actor_name, actor_role, action, subject, detail, prev_hash, hash
       FROM jsonb_to_recordset($1::jsonb) AS a(id bigint, at timestamptz, actor_name text, actor_role text, action text,
         subject text, detail text, prev_hash text, hash text)`,
      [
        JSON.stringify(
          chained.slice(i, i + 5000).map((e) => ({ id: e.id, at: e.at, actor_name: e.actor.name, actor_role: e.actor.role, action: e.action, subject: e.subject, detail: canonicalJson(e.detail), prev_hash: e.prevHash, hash: e.hash })),
        ),
      ],
    );
  }
  const last = chained.at(-1)!;
  await tx.query('UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1', [last.id, last.hash]);
}

const digest = (payload: unknown): string => createHash('sha256').update(canonicalJson(payload)).digest('hex');

/**
 * The audit entry of a logged event: what happened to what, the safe facts, and a digest of the
 * whole payload (which ties the entry to the event log's row without copying personal data).
 */
export function auditOfEvent(event: LogEvent, actor: Actor): AuditEntryInput {
  const base = { action: event.type, actor, detail: { seq: event.seq, digest: digest(event.payload) } as Record<string, unknown> };
  switch (event.type) {
    case 'incident:created': {
      const p = event.payload;
      return { ...base, subject: p.id, detail: { ...base.detail, source: p.source, category: p.category, severity: p.severity, status: p.status, regionCode: p.regionCode } };
    }
    case 'incident:updated': {
      const { change } = event.payload;
      // A source's update names the fields it changed (never their values: they may be personal).
      const fields = change.fields ? { fields: change.fields, from: change.from } : {};
      // A checklist tick names the measure and which way it went.
      const measure = change.measure ? { measure: change.measure.id, done: change.measure.done } : {};
      return { ...base, subject: event.payload.id, detail: { ...base.detail, status: event.payload.status, ...fields, ...measure } };
    }
    case 'risk:changed':
      return { ...base, subject: event.payload.code, detail: { ...base.detail, from: event.payload.from, to: event.payload.to } };
    case 'risk:configured':
      return { ...base, subject: `risk-config/v${event.payload.version}` };
    case 'sla:configured':
      return { ...base, subject: `sla-config/v${event.payload.version}` };
    case 'incident:overdue':
      return { ...base, subject: event.payload.incidentId, detail: { ...base.detail, clock: event.payload.clock, dueAt: event.payload.dueAt } };
    case 'measures:configured':
      return { ...base, subject: `measures-config/v${event.payload.version}` };
    case 'parcel:created':
      return { ...base, subject: event.payload.parcel.properties.code, detail: { ...base.detail, stage: event.payload.parcel.properties.stage } };
    case 'parcel:stepped':
      return { ...base, subject: event.payload.code, detail: { ...base.detail, from: event.payload.from, to: event.payload.to } };
    case 'regions:replaced':
      return { ...base, subject: 'regions', detail: { ...base.detail, count: event.payload.count } };
    case 'parcels:imported':
      return { ...base, subject: 'parcels', detail: { ...base.detail, count: event.payload.count } };
    case 'unit:updated': {
      const { change } = event.payload;
      return { ...base, subject: event.payload.id, detail: { ...base.detail, action: change.action, from: change.from, to: change.to, ...(change.fields && { fields: change.fields }) } };
    }
    case 'assignment:created':
    case 'assignment:updated': {
      // The incident is the subject, as for its status steps; a disposition is free text and stays out.
      const { change } = event.payload;
      return { ...base, subject: event.payload.incidentId, detail: { ...base.detail, assignmentId: event.payload.id, unitId: event.payload.unitId, from: change.from, to: change.to } };
    }
    default:
      return { ...base, subject: event.type.split(':')[0] ?? event.type };
  }
}

interface AuditRow {
  id: number | string;
  at: Date | string;
  actor_name: string;
  actor_role: string;
  action: string;
  subject: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

function entryOf(r: AuditRow): AuditEntry {
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(r.detail) as Record<string, unknown>;
  } catch {
    detail = { unreadable: r.detail }; // a hand-edited row: its hash will not match
  }
  return { id: Number(r.id), at: new Date(r.at).toISOString(), actor: { name: r.actor_name, role: r.actor_role }, action: r.action, subject: r.subject, detail, prevHash: r.prev_hash, hash: r.hash };
}

/** Entries with id > `after`, oldest first. */
export async function readAudit(db: Sql, after: number, limit: number): Promise<AuditEntry[]> {
  const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2', [after, limit]);
  return rows.map(entryOf);
}

export type AuditVerification =
  | { ok: true; entries: number; head: { id: number; hash: string } }
  | { ok: false; entries: number; firstBroken: Broken };

/** Walks the whole chain a page at a time (a million entries never sit in memory at once). */
export async function verifyAudit(db: Sql, pageSize = 5000): Promise<AuditVerification> {
  let state = { lastId: 0, lastHash: GENESIS_HASH };
  for (;;) {
    const page = await readAudit(db, state.lastId, pageSize);
    const checked = verifyPage(page, state);
    if (!checked.ok) return { ok: false, entries: checked.broken.id - 1, firstBroken: checked.broken };
    state = { lastId: checked.lastId, lastHash: checked.lastHash };
    if (page.length < pageSize) break;
  }
  // Rows cut off the end leave the chain consistent but shorter than the head says.
  const [head] = await db.query<{ last_id: number | string; last_hash: string }>('SELECT last_id, last_hash FROM audit_head WHERE id = 1');
  if (head && Number(head.last_id) !== state.lastId) {
    return { ok: false, entries: state.lastId, firstBroken: { id: state.lastId + 1, reason: 'missing_entry', expected: `entries up to ${head.last_id}`, found: `entries up to ${state.lastId}` } };
  }
  if (head && head.last_hash !== state.lastHash) {
    return { ok: false, entries: state.lastId, firstBroken: { id: state.lastId, reason: 'hash_mismatch', expected: head.last_hash, found: state.lastHash } };
  }
  return { ok: true, entries: state.lastId, head: { id: state.lastId, hash: state.lastHash } };
}
