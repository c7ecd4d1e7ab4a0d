/** API tokens: only a SHA-256 of each token is stored, so a copy of the database leaks no token. */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../contract/auth.ts';
import type { Sql } from './database.ts';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** 32 random bytes, URL-safe: long enough that guessing is hopeless, short enough to paste. */
export const newToken = (): string => randomBytes(32).toString('base64url');

export async function insertToken(db: Sql, token: string, role: Role, name: string): Promise<void> {
  await db.query('INSERT INTO tokens (hash, role, name) VALUES ($1, $2, $3)', [hashToken(token), role, name]);
}

export async function findToken(db: Sql, token: string): Promise<{ role: Role; name: string } | null> {
  const [row] = await db.query<{ role: Role; name: string }>('SELECT role, name FROM tokens WHERE hash = $1', [
    hashToken(token),
  ]);
  return row ?? null;
}
