/** Health and the caller's session. DOMAIN §8. */
import { Router } from 'express';
import type { SessionInfo } from '../contract/auth.ts';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { Health } from '../contract/health.ts';
import type { Database } from '../store/database.ts';
import { eventLogReader } from '../store/event-log.ts';
import { getSetting } from '../store/settings.ts';
import { requireSignedIn } from './auth.ts';
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

  return router;
}
