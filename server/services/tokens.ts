/**
 * Issuing and revoking tokens. A revocation takes effect at once on this node: the resolver forgets
 * the token and, once the revocation is stored, its open sockets are ended (`onRevoked`).
 */
import type { Actor, TokenInfo, TokenIssued, TokenRequest } from '../contract/auth.ts';
import type { TokenResolver } from '../auth/principal.ts';
import type { Database } from '../store/database.ts';
import { bindToken, insertToken, listTokens, newToken, revokeToken } from '../store/tokens.ts';

export interface TokenService {
  /** Stores a new token (only its hash) and returns its secret, shown this once. */
  issue(request: TokenRequest, actor: Actor): Promise<TokenIssued>;
  list(): Promise<TokenInfo[]>;
  /** `false` when there is no token with this id. Revoking twice keeps the first revocation. */
  revoke(id: string, actor: Actor): Promise<boolean>;
  /**
   * Binds a token to a unit (`null`: to none); `false` when there is no token with this id. Throws
   * `UnknownUnitError` for a unit not in the register. This node forgets the token at once; other
   * nodes within their one-second token cache.
   */
  bind(id: string, unitId: string | null, actor: Actor): Promise<boolean>;
}

export function createTokenService(deps: {
  db: Database;
  resolver: TokenResolver;
  /** Ends the token's live sessions (the hub's `endSessions`). */
  onRevoked: (tokenId: string) => void;
  clock?: () => number;
}): TokenService {
  const clock = deps.clock ?? Date.now;
  return {
    async issue({ role, name, expiresAt, ttlSeconds, unitId }, actor) {
      const expires = expiresAt !== undefined ? Date.parse(expiresAt) : ttlSeconds !== undefined ? clock() + ttlSeconds * 1000 : null;
      const token = newToken();
      const stored = await insertToken(deps.db, token, { role, name, expiresAt: expires, unitId: unitId ?? null }, actor);
      return { id: stored.id, token, role, name, expiresAt: expires === null ? null : new Date(expires).toISOString(), unitId: unitId ?? null };
    },
    list: () => listTokens(deps.db),
    async revoke(id, actor) {
      const done = await revokeToken(deps.db, id, actor, clock());
      if (!done) return false;
      deps.resolver.forget(id);
      deps.onRevoked(id);
      return true;
    },
    async bind(id, unitId, actor) {
      const done = await bindToken(deps.db, id, unitId, actor);
      if (!done) return false;
      deps.resolver.forget(id);
      return true;
    },
  };
}
