/**
 * Tokens (docs/domain.md §2.3): issue, list, revoke. Admin only. A revocation takes effect at once
 * on this node: the resolver forgets the token and its open sockets are ended.
 */
import express, { Router } from 'express';
import { TokenRequest, type TokenIssued } from '../contract/auth.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { Database } from '../store/database.ts';
import { insertToken, listTokens, newToken, revokeToken } from '../store/tokens.ts';
import type { TokenResolver } from '../auth/principal.ts';
import { requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

export function tokensRouter(deps: { db: Database; resolver: TokenResolver; onRevoked: (tokenId: string) => void }): Router {
  const router = Router();
  router.use(requireCapability('tokens:manage'));

  router.post('/', express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const { role, name, expiresAt, ttlSeconds } = parsed.data;
    const expires = expiresAt !== undefined ? Date.parse(expiresAt) : ttlSeconds !== undefined ? Date.now() + ttlSeconds * 1000 : null;
    const token = newToken();
    const actor = req.principal ?? { name: 'admin', role: 'admin' };
    const stored = await insertToken(deps.db, token, { role, name, expiresAt: expires }, { name: actor.name, role: actor.role });
    res
      .status(201)
      .location(`${req.baseUrl}/${stored.id}`)
      .json({ id: stored.id, token, role, name, expiresAt: expires === null ? null : new Date(expires).toISOString() } satisfies TokenIssued);
  });

  router.get('/', async (_req, res) => {
    res.json({ tokens: await listTokens(deps.db) });
  });

  router.delete('/:id', async (req, res) => {
    const id = req.params.id;
    const actor = req.principal ?? { name: 'admin', role: 'admin' };
    const done = await revokeToken(deps.db, id, { name: actor.name, role: actor.role }, Date.now());
    if (!done) throw new ApiError('not_found', `no token with id "${id}"`);
    deps.resolver.forget(id);
    deps.onRevoked(id);
    res.status(204).end();
  });

  return router;
}
