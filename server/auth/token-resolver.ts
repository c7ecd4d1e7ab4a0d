/** Resolves tokens to principals: the administrator token (env or generated), then stored tokens. */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from '../store/database.ts';
import { findToken, hashToken, newToken, type StoredToken } from '../store/tokens.ts';
import type { Principal, TokenResolver } from './principal.ts';

/**
 * The administrator token: `ADMIN_TOKEN`, else one generated on first start and kept in the data
 * folder (owner-only) so a restart does not sign every screen out.
 */
export function adminTokenFor(dataDir: string, configured: string | undefined): { token: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  const file = path.join(dataDir, 'admin-token');
  try {
    const saved = fs.readFileSync(file, 'utf8').trim();
    if (saved.length >= 8) return { token: saved, generated: true };
  } catch {
    // first start: fall through and make one
  }
  const token = newToken();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}

/**
 * Hits are cached for a second: every API call would otherwise cost a query, and a second is how
 * long a revocation made on another server node may take to bite here (this node forgets at once).
 */
const CACHE_MS = 1000;

export function createTokenResolver(db: Sql, adminToken: string, clock: () => number = Date.now): TokenResolver {
  const adminHash = Buffer.from(hashToken(adminToken), 'hex');
  const cache = new Map<string, { token: StoredToken; until: number }>();
  const lookup = async (token: string): Promise<StoredToken | null> => {
    const hash = hashToken(token);
    const hit = cache.get(hash);
    const now = clock();
    if (hit && hit.until > now) return hit.token;
    const found = await findToken(db, token);
    if (found) cache.set(hash, { token: found, until: now + CACHE_MS });
    else cache.delete(hash);
    if (cache.size > 10_000) for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
    return found;
  };
  const isAdmin = (token: string) => timingSafeEqual(Buffer.from(hashToken(token), 'hex'), adminHash);
  const resolve = (async (token: string): Promise<Principal | null> => {
    if (isAdmin(token)) return { role: 'admin', name: 'admin' };
    const found = await lookup(token);
    if (!found || found.revokedAt !== null) return null;
    if (found.expiresAt !== null && found.expiresAt <= clock()) return null;
    return {
      role: found.role,
      name: found.name,
      tokenId: found.id,
      ...(found.expiresAt !== null && { expiresAt: found.expiresAt }),
      ...(found.unitId !== null && { unitId: found.unitId }),
    };
  }) as TokenResolver;
  resolve.refusal = async (token) => {
    const found = await lookup(token);
    if (!found) return 'the token is not valid';
    if (found.revokedAt !== null) return `the token "${found.name}" was revoked on ${new Date(found.revokedAt).toISOString()}`;
    if (found.expiresAt !== null && found.expiresAt <= clock()) return `the token "${found.name}" expired on ${new Date(found.expiresAt).toISOString()}`;
    return 'the token is not valid';
  };
  resolve.forget = (tokenId) => {
    for (const [k, v] of cache) if (v.token.id === tokenId) cache.delete(k);
  };
  return resolve;
}
