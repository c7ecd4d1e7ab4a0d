/** Resolves tokens to principals: the administrator token (env or generated), then stored tokens. */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Principal, ResolveToken } from './http/auth.ts';
import type { Sql } from './store/database.ts';
import { findToken, hashToken, newToken } from './store/tokens.ts';

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

export function createTokenResolver(db: Sql, adminToken: string): ResolveToken {
  const adminHash = Buffer.from(hashToken(adminToken), 'hex');
  const cache = new Map<string, Principal | null>();
  return async (token) => {
    const hash = hashToken(token);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), adminHash)) return { role: 'admin', name: 'admin' };
    if (cache.has(hash)) return cache.get(hash) ?? null;
    const found = await findToken(db, token);
    // Only hits are cached: a token issued a moment after a miss must work at once.
    if (found) cache.set(hash, found);
    return found;
  };
}
