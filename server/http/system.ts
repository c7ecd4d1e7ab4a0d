/** Health and the caller's session. */
import { Router } from 'express';
import type { SessionInfo } from '../contract/auth.ts';
import { PROTOCOL_VERSION } from '../contract/common.ts';
import type { Health } from '../contract/health.ts';
import type { Database } from '../store/database.ts';
import { requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

/** `timeZone`: the centre's `TIME_ZONE`, which health names for every page (`Health.timeZone`). */
export function systemRouter(deps: { db: Database; version: string; timeZone: string }): Router {
  const router = Router();

  router.get('/health', async (_req, res) => {
    // One round trip: on the embedded store each query waits its turn behind the write in progress
    // (a mass event's intake), so two queries would wait for two of them.
    const [row] = await deps.db.query<{ seq: number | string | null; demo: unknown }>(
      `SELECT (SELECT seq FROM log_head WHERE id = 1) AS seq, (SELECT value FROM settings WHERE key = 'demo') AS demo`,
    );
    const body: Health = {
      status: 'ok',
      version: deps.version,
      store: deps.db.kind,
      seq: Number(row?.seq ?? 0),
      protocolVersion: PROTOCOL_VERSION,
      demo: row?.demo === true,
      timeZone: deps.timeZone,
    };
    res.json(body);
  });

  router.get('/session', requireCapability('city:read'), (req, res) => {
    const p = req.principal;
    if (!p) throw new ApiError('unauthorized', 'sign in first');
    res.json({ role: p.role, name: p.name, ...(p.unitId !== undefined && { unitId: p.unitId }) } satisfies SessionInfo);
  });

  return router;
}
