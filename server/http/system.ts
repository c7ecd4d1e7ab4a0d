/** Health, the caller's session, and token issue. DOMAIN §8. */
import express, { Router } from 'express';
import { TokenRequest, type SessionInfo, type TokenIssued } from '../contract/auth.ts';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { Health } from '../contract/health.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { Database } from '../store/database.ts';
import { eventLogReader } from '../store/event-log.ts';
import { getSetting } from '../store/settings.ts';
import { insertToken, newToken } from '../store/tokens.ts';
import { requireRole, requireSignedIn } from './auth.ts';
import { ApiError } from './errors.ts';

export function systemRouter(deps: { db: Database; version: string }): Router {
  const router = Router();
  const log = eventLogReader(deps.db);

  router.get('/health', async (_req, res) => {
    const body: Health = {
      status: 'ok',
      version: deps.version,
      store: deps.db.kind,
      seq: await log.head(),
      protocolVersion: PROTOCOL_VERSION,
      demo: (await getSetting<boolean>(deps.db, 'demo')) === true,
    };
    res.json(body);
  });

  router.get('/session', requireSignedIn, (req, res) => {
    const p = req.principal;
    if (!p) throw new ApiError('unauthorized', 'sign in first');
    res.json({ role: p.role, name: p.name } satisfies SessionInfo);
  });

  router.post('/tokens', requireRole('admin'), express.json(), async (req, res) => {
    const parsed = TokenRequest.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const token = newToken();
    await insertToken(deps.db, token, parsed.data.role, parsed.data.name);
    res.status(201).json({ token, role: parsed.data.role, name: parsed.data.name } satisfies TokenIssued);
  });

  return router;
}
