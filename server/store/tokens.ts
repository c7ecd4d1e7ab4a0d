/**
 * API tokens: only a SHA-256 of each token is stored, so a copy of the database leaks no token.
 * Each token also has a random public `id` to list and revoke it by; issues and revocations are
 * audited in the same transaction.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Role, TokenInfo } from '../contract/auth.ts';
import { appendAudit } from './audit.ts';
import type { Database, Sql } from './database.ts';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** 32 random bytes, URL-safe: long enough that guessing is hopeless, short enough to paste. */
export const newToken = (): string => randomBytes(32).toString('base64url');

const newTokenId = (): string => `tok_${randomBytes(9).toString('base64url')}`;

export interface StoredToken {
  id: string;
  role: Role;
  name: string;
  expiresAt: number | null;
  revokedAt: number | null;
  /** The unit the token speaks for, or `null`. */
  unitId: string | null;
}

interface TokenRow {
  id: string;
  role: Role;
  name: string;
  created_at: Date | string;
  expires_at: Date | string | null;
  revoked_at: Date | string | null;
  revoked_by: string | null;
  unit_id: string | null;
}

const ms = (v: Date | string | null): number | null => (v === null ? null : new Date(v).getTime());
const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** A unit a token was to be bound to is not in the register: nothing was stored. */
export class UnknownUnitError extends Error {
  constructor(readonly unitId: string) {
    super(`no unit with id "${unitId}" in the register (PUT /api/v1/units adds it)`);
    this.name = 'UnknownUnitError';
  }
}

async function checkUnit(tx: Sql, unitId: string | null): Promise<void> {
  if (unitId === null) return;
  const [row] = await tx.query<{ id: string }>('SELECT id FROM units WHERE id = $1', [unitId]);
  if (!row) throw new UnknownUnitError(unitId);
}

export async function insertToken(
  db: Database,
  token: string,
  input: { role: Role; name: string; expiresAt?: number | null; unitId?: string | null },
  actor: Actor,
): Promise<{ id: string; expiresAt: number | null }> {
  const id = newTokenId();
  const expiresAt = input.expiresAt ?? null;
  const unitId = input.unitId ?? null;
  await db.transaction(async (tx) => {
    await checkUnit(tx, unitId);
    await tx.query('INSERT INTO tokens (hash, id, role, name, expires_at, unit_id) VALUES ($1, $2, $3, $4, $5, $6)', [
      hashToken(token),
      id,
      input.role,
      input.name,
      expiresAt === null ? null : new Date(expiresAt).toISOString(),
      unitId,
    ]);
    const expires = expiresAt === null ? null : new Date(expiresAt).toISOString();
    await appendAudit(tx, [{ action: 'token:issued', actor, subject: id, detail: { role: input.role, name: input.name, expiresAt: expires, ...(unitId !== null && { unitId }) } }]);
  });
  return { id, expiresAt };
}

/**
 * Binds a token to a unit, or unbinds it (`null`); audited. `null` when there is no such token;
 * throws {@link UnknownUnitError} for a unit not in the register.
 */
export async function bindToken(db: Database, id: string, unitId: string | null, actor: Actor): Promise<{ from: string | null } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ unit_id: string | null }>('SELECT unit_id FROM tokens WHERE id = $1 FOR UPDATE', [id]);
    if (!row) return null;
    await checkUnit(tx, unitId);
    if (row.unit_id === unitId) return { from: row.unit_id };
    await tx.query('UPDATE tokens SET unit_id = $2 WHERE id = $1', [id, unitId]);
    await appendAudit(tx, [{ action: 'token:bound', actor, subject: id, detail: { from: row.unit_id, to: unitId } }]);
    return { from: row.unit_id };
  });
}

export async function findToken(db: Sql, token: string): Promise<StoredToken | null> {
  const [row] = await db.query<TokenRow>('SELECT id, role, name, created_at, expires_at, revoked_at, revoked_by, unit_id FROM tokens WHERE hash = $1', [hashToken(token)]);
  return row ? { id: row.id, role: row.role, name: row.name, expiresAt: ms(row.expires_at), revokedAt: ms(row.revoked_at), unitId: row.unit_id } : null;
}

export async function listTokens(db: Sql): Promise<TokenInfo[]> {
  const rows = await db.query<TokenRow>('SELECT id, role, name, created_at, expires_at, revoked_at, revoked_by, unit_id FROM tokens ORDER BY created_at, id');
  return rows.map((r) => ({
    id: r.id,
    role: r.role,
    name: r.name,
    createdAt: iso(r.created_at) ?? '',
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by,
    unitId: r.unit_id,
  }));
}

/** Revokes a token by id; `null` when no such token. Revoking twice keeps the first revocation. */
export async function revokeToken(db: Database, id: string, actor: Actor, at: number): Promise<{ alreadyRevoked: boolean } | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ revoked_at: Date | string | null; role: Role; name: string }>('SELECT revoked_at, role, name FROM tokens WHERE id = $1 FOR UPDATE', [id]);
    if (!row) return null;
    if (row.revoked_at !== null) return { alreadyRevoked: true };
    await tx.query('UPDATE tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1', [id, new Date(at).toISOString(), actor.name]);
    await appendAudit(tx, [{ action: 'token:revoked', actor, subject: id, detail: { role: row.role, name: row.name } }]);
    return { alreadyRevoked: false };
  });
}
