/**
 * Idempotency keys: a retried request with the same `Idempotency-Key` gets the first answer again
 * instead of being processed twice (for records that carry no id of their own).
 */
import type { Sql } from './database.ts';

export interface SavedAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function findAnswer(db: Sql, actor: string, key: string): Promise<SavedAnswer | null> {
  const [row] = await db.query<{ request_hash: string; status: number; body: unknown }>(
    'SELECT request_hash, status, body FROM idempotency_keys WHERE actor = $1 AND key = $2',
    [actor, key],
  );
  return row ? { requestHash: row.request_hash, status: Number(row.status), body: row.body } : null;
}

/** Keeps the first answer under the key; a concurrent twin that finished first wins. */
export async function saveAnswer(db: Sql, actor: string, key: string, answer: SavedAnswer): Promise<void> {
  await db.query(
    `INSERT INTO idempotency_keys (actor, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (actor, key) DO NOTHING`,
    [actor, key, answer.requestHash, answer.status, JSON.stringify(answer.body)],
  );
}
