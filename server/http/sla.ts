/** `/api/v1/sla`: the accountability clocks' config, versioned and audited like the risk config. */
import express, { Router } from 'express';
import { SlaConfigUpdate } from '../contract/sla.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { SlaService } from '../services/sla.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

export function slaRouter(deps: { sla: SlaService }): Router {
  const router = Router();

  router.get('/config', requireCapability('city:read'), (_req, res) => {
    res.json(deps.sla.config());
  });

  router.put('/config', requireCapability('sla-config:write'), express.json({ limit: '64kb' }), async (req, res) => {
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send the whole clock config as JSON (GET /api/v1/sla/config shows the current one)');
    const parsed = SlaConfigUpdate.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', `the clock config is not valid: ${oneLine(details.slice(0, 3))}`, details);
    }
    // A version left out is the next one, decided where saves queue (the store), not read here first.
    const outcome = await deps.sla.saveConfig(parsed.data, actorOf(req));
    if (!outcome.ok) {
      const message = `the clock config changed meanwhile: the current version is ${outcome.currentVersion}, so a new one must be ${outcome.currentVersion + 1} (reload it and apply your change again)`;
      throw new ApiError('conflict', message, [{ path: 'version', message }]);
    }
    res.json({ ...outcome.record, seq: outcome.seq });
  });

  return router;
}
