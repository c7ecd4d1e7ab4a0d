/** `/api/v1/regions`: the district boundaries. Reading is public (administrative boundaries are). */
import express, { Router } from 'express';
import { RegionInputCollection, type RegionCollection } from '../contract/regions.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import { RegionImportError, type RegionService } from '../services/regions.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { BODY_LIMIT } from './intake.ts';
import { geometryGuard, verifyJsonBody } from './geometry-guard.ts';

export function regionsRouter(deps: { regions: RegionService }): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    const body: RegionCollection = { type: 'FeatureCollection', features: deps.regions.list() };
    res.type('application/geo+json').json(body);
  });

  router.put('/', requireCapability('regions:write'), express.json({ type: ['application/json', 'application/geo+json'], limit: BODY_LIMIT, verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send a GeoJSON FeatureCollection of regions');
    const parsed = RegionInputCollection.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', `the regions are not valid: ${oneLine(details.slice(0, 3))}`, details.slice(0, 100));
    }
    try {
      const outcome = await deps.regions.replace(parsed.data, actorOf(req));
      res.status(200).json(outcome);
    } catch (err) {
      if (err instanceof RegionImportError) throw new ApiError('invalid_body', `the regions are not valid: ${oneLine(err.details.slice(0, 3))}`, err.details);
      throw err;
    }
  });

  return router;
}
