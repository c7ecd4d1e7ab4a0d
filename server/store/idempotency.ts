/**
 * Idempotency keys: a retried request with the same `Idempotency-Key` gets the first answer again
 * instead of being processed twice (for records that carry no id of their own). Keys are scoped by
 * the caller's token (`scope`, kept in the `actor` column): two tokens never share answers, even
 * when they were given the same name.
 */
import type { Sql } from './database.ts';

/**
 * The scope of a caller's keys: its stored token's id. The administrator token from `ADMIN_TOKEN`
 * (or the one generated into the data folder) has no stored id; there is exactly one such token
 * per deployment, so it gets one fixed scope, which also survives the token being changed (a
 * retry after a rotation still finds its answer). The prefixes keep both apart from the token
 * names older versions scoped by.
 */
export function idempotencyScope(principal: { tokenId?: string }): string {
  return principal.tokenId !== undefined ? `token:${principal.tokenId}` : 'admin:environment';
}

export interface SavedAnswer {
  requestHash: string;
  status: number;
  body: unknown;
}

export async function findAnswer(db: Sql, scope: string, key: string): Promise<SavedAnswer | null> {
  const [row] = await db.query<{ request_hash: string; status: number; body: unknown }>(
    'SELECT request_hash, status, body FROM idempotency_keys WHERE actor = $1 AND key = $2',
    [scope, key],
  );
  return row ? { requestHash: row.request_hash, status: Number(row.status), body: row.body } : null;
}

/** Keeps the first answer under the key; a concurrent twin that finished first wins. */
export async function saveAnswer(db: Sql, scope: string, key: string, answer: SavedAnswer): Promise<void> {
  await db.query(
    `INSERT INTO idempotency_keys (actor, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (actor, key) DO NOTHING`,
    [scope, key, answer.requestHash, answer.status, JSON.stringify(answer.body)],
  );
}
