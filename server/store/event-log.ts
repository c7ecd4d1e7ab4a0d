/**
 * The durable event log (docs/domain.md §8): every change is appended with the next `seq` inside the
 * transaction that stores it, before anyone is told about it.
 */
import type { LogEvent, LogEventMap, LogEventName } from '../contract/events.ts';
import type { Actor } from '../contract/auth.ts';
import { appendAudit, auditOfEvent, SYSTEM_ACTOR } from './audit.ts';
import type { Sql } from './database.ts';

/** Committing an event notifies this channel (payload: the last seq), so other server nodes read the log at once. */
export const LOG_CHANNEL = 'citybrain_log';

/**
 * Reserves `count` consecutive seqs and returns the first. Locks the log head row until the
 * transaction ends, which serialises writers: seqs become visible in order, with no gaps.
 */
export async function reserveSeqs(tx: Sql, count: number): Promise<number> {
  const [row] = await tx.query<{ seq: number }>(
    'UPDATE log_head SET seq = seq + $1 WHERE id = 1 RETURNING seq',
    [count],
  );
  if (!row) throw new Error('event log head is missing: the schema was not migrated');
  return Number(row.seq) - count + 1;
}

/** Takes the writer lock without reserving anything (for writes that may turn out to be no-ops). */
export async function lockLog(tx: Sql): Promise<number> {
  const [row] = await tx.query<{ seq: number }>('SELECT seq FROM log_head WHERE id = 1 FOR UPDATE');
  return Number(row?.seq ?? 0);
}

/**
 * Appends events whose seqs were reserved by `reserveSeqs` in the same transaction, and their
 * entries in the audit chain (who did it: `actor`, else the server itself).
 */
export async function appendEvents(tx: Sql, events: readonly LogEvent[], actor: Actor = SYSTEM_ACTOR): Promise<void> {
  if (events.length === 0) return;
  await appendAudit(tx, events.map((e) => auditOfEvent(e, actor)));
  await tx.query(
    `INSERT INTO events (seq, type, payload)
     SELECT seq, type, payload FROM jsonb_to_recordset($1::jsonb) AS e(seq bigint, type text, payload jsonb)`,
    [JSON.stringify(events)],
  );
  // Delivered at commit, in commit order (= seq order: the head row lock serialises writers).
  await tx.query('SELECT pg_notify($1, $2)', [LOG_CHANNEL, String(events.at(-1)!.seq)]);
}

export function logEvent<K extends LogEventName>(type: K, seq: number, payload: LogEventMap[K]): LogEvent {
  return { type, seq, payload } as LogEvent;
}

export interface EventLogReader {
  head(): Promise<number>;
  /** Oldest seq the log still holds (head + 1 when empty). */
  oldest(): Promise<number>;
  /** Events with `seq > after`, in order, at most `limit`. */
  after(after: number, limit: number): Promise<LogEvent[]>;
}

export function eventLogReader(db: Sql): EventLogReader {
  return {
    async head() {
      const [row] = await db.query<{ seq: number }>('SELECT seq FROM log_head WHERE id = 1');
      return Number(row?.seq ?? 0);
    },
    async oldest() {
      const [row] = await db.query<{ seq: number | null }>('SELECT min(seq) AS seq FROM events');
      if (row?.seq != null) return Number(row.seq);
      return (await this.head()) + 1;
    },
    async after(after, limit) {
      const rows = await db.query<{ seq: number; type: LogEventName; payload: unknown }>(
        'SELECT seq, type, payload FROM events WHERE seq > $1 ORDER BY seq LIMIT $2',
        [after, limit],
      );
      return rows.map((r) => ({ type: r.type, seq: Number(r.seq), payload: r.payload }) as LogEvent);
    },
  };
}
