/**
 * `/api/v1/audit` (docs/domain.md §10.1): the audit chain, for administrators. `GET /audit?after=&limit=` pages
 * through entries oldest first; `GET /audit/verify` recomputes every hash and names the first
 * entry that no longer fits, so tampering in the database shows.
 */
import { Router } from 'express';
import type { Database } from '../store/database.ts';
import { readAudit, verifyAudit } from '../store/audit.ts';
import { requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

const MAX_PAGE = 10_000;

function whole(raw: unknown, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new ApiError('invalid_query', `${name} must be a whole number from 0 to ${max}`, [{ path: name, message: 'not a whole number in range' }]);
  }
  return value;
}

export function auditRouter(deps: { db: Database }): Router {
  const router = Router();
  router.use(requireCapability('audit:read'));

  router.get('/', async (req, res) => {
    const after = whole(req.query.after, 'after', 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, whole(req.query.limit, 'limit', 1000, MAX_PAGE));
    const entries = await readAudit(deps.db, after, limit);
    res.json({ entries, next: entries.length === limit ? entries.at(-1)!.id : null });
  });

  router.get('/verify', async (_req, res) => {
    res.json(await verifyAudit(deps.db));
  });

  return router;
}
