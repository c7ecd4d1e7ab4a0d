/** Tokens (docs/domain.md §2.3): issue, list, revoke, through server/services/tokens.ts. Administrators only. */
import express, { Router } from 'express';
import { TokenRequest } from '../contract/auth.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { TokenService } from '../services/tokens.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

export function tokensRouter(deps: { tokens: TokenService }): Router {
  const router = Router();
  router.use(requireCapability('tokens:manage'));

  router.post('/', express.json({ limit: '16kb' }), async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const issued = await deps.tokens.issue(parsed.data, actorOf(req));
    res.status(201).location(`${req.baseUrl}/${issued.id}`).json(issued);
  });

  router.get('/', async (_req, res) => {
    res.json({ tokens: await deps.tokens.list() });
  });

  router.delete('/:id', async (req, res) => {
    const id = req.params.id;
    if (!(await deps.tokens.revoke(id, actorOf(req)))) throw new ApiError('not_found', `no token with id "${id}"`);
    res.status(204).end();
  });

  return router;
}
