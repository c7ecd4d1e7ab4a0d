/** Tokens (docs/domain.md §2.3): issue, list, revoke, through server/services/tokens.ts. Administrators only. */
import express, { Router } from 'express';
import { TokenBinding, TokenRequest } from '../contract/auth.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { TokenService } from '../services/tokens.ts';
import { UnknownUnitError } from '../store/tokens.ts';
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
    const issued = await deps.tokens.issue(parsed.data, actorOf(req)).catch(unknownUnit);
    res.status(201).location(`${req.baseUrl}/${issued.id}`).json(issued);
  });

  router.get('/', async (_req, res) => {
    res.json({ tokens: await deps.tokens.list() });
  });

  // Binds a token to a unit of the register, or unbinds it: the crew's tablet keeps its token when it changes vehicle.
  router.patch('/:id', express.json({ limit: '16kb' }), async (req, res) => {
    const id = req.params.id;
    const parsed = TokenBinding.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', `${oneLine(details)} (send {"unitId": "<unit id>"} or {"unitId": null})`, details);
    }
    if (!(await deps.tokens.bind(id, parsed.data.unitId, actorOf(req)).catch(unknownUnit))) throw new ApiError('not_found', `no token with id "${id}"`);
    const token = (await deps.tokens.list()).find((t) => t.id === id);
    res.json(token);
  });

  router.delete('/:id', async (req, res) => {
    const id = req.params.id;
    if (!(await deps.tokens.revoke(id, actorOf(req)))) throw new ApiError('not_found', `no token with id "${id}"`);
    res.status(204).end();
  });

  return router;
}

/** A unit the request names that the register lacks: a 400 naming the field. */
function unknownUnit(error: unknown): never {
  if (error instanceof UnknownUnitError) throw new ApiError('invalid_body', error.message, [{ path: 'unitId', message: error.message }]);
  throw error;
}
