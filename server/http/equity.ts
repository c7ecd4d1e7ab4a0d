/**
 * Service equity over HTTP (docs/domain.md §7): `/population`, `/facilities` and `/equity`. Reading is
 * for anyone signed in; replacing or adding inputs for planners and administrators. The answers of
 * `/equity` arrive as JSON text made by the worker thread and are sent unchanged.
 */
import express, { Router, type Request, type Response } from 'express';
import { BboxParam, type Bbox } from '../contract/common.ts';
import { defaultRadiusM, EquityQuery, FacilityKind, WhatIfInput } from '../contract/equity.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import { parseFacilityAddition, parseFacilityCollection, parsePopulation, type Parsed } from '../services/equity-inputs.ts';
import { EquityWorkerError } from '../services/equity-worker-client.ts';
import type { EquityService, JsonAnswer } from '../services/equity.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { BODY_LIMIT } from './intake.ts';
import { geometryGuard, verifyJsonBody } from './geometry-guard.ts';

/** 200k population points as GeoJSON are ~25 MB; room for polygons and extra properties. */
export const POPULATION_BODY_LIMIT = '64mb';
const GEOJSON_TYPES = ['application/json', 'application/geo+json'];

function bboxParam(req: Request): Bbox | undefined {
  if (req.query.bbox === undefined) return undefined;
  const parsed = BboxParam.safeParse(req.query.bbox);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'invalid bbox';
    throw new ApiError('invalid_query', message, [{ path: 'bbox', message }]);
  }
  return parsed.data;
}

function rowsOrThrow<T>(parsed: Parsed<T>): T[] {
  if (!parsed.ok) throw new ApiError('invalid_body', parsed.message, parsed.details);
  return parsed.rows;
}

function requireBody(req: Request, what: string): void {
  if (req.body === undefined) throw new ApiError('invalid_body', `the request body is empty; send ${what}`);
}

/** A worker failure is the server's fault: a 500 that says what happened (the worker restarts). */
async function computed<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof EquityWorkerError) throw new ApiError('internal', err.message);
    throw err;
  }
}

function sendAnswer(res: Response, answer: JsonAnswer): void {
  res.set('ETag', answer.etag).type('application/json');
  res.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
}

export function populationRouter(deps: { equity: EquityService }): Router {
  const router = Router();

  router.get('/', requireCapability('city:read'), async (req, res) => {
    res.type('application/geo+json').json(await deps.equity.population(bboxParam(req) ?? null));
  });

  router.put('/', requireCapability('equity-inputs:write'), express.json({ type: GEOJSON_TYPES, limit: POPULATION_BODY_LIMIT, verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    requireBody(req, 'a GeoJSON FeatureCollection of Points (or grid Polygons) with properties.population');
    const rows = rowsOrThrow(parsePopulation(req.body));
    res.json(await deps.equity.replacePopulation(rows, actorOf(req)));
  });

  return router;
}

export function facilitiesRouter(deps: { equity: EquityService }): Router {
  const router = Router();

  router.get('/', requireCapability('city:read'), async (req, res) => {
    let kind: string | undefined;
    if (req.query.kind !== undefined) {
      const parsed = FacilityKind.safeParse(req.query.kind);
      if (!parsed.success) {
        const message = parsed.error.issues[0]?.message ?? 'invalid kind';
        throw new ApiError('invalid_query', message, [{ path: 'kind', message }]);
      }
      kind = parsed.data;
    }
    const bbox = bboxParam(req);
    res.type('application/geo+json').json(await deps.equity.facilities({ ...(kind !== undefined && { kind }), ...(bbox && { bbox }) }));
  });

  router.put('/', requireCapability('equity-inputs:write'), express.json({ type: GEOJSON_TYPES, limit: BODY_LIMIT, verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    requireBody(req, 'a GeoJSON FeatureCollection of Points with properties.kind and properties.capacity');
    const rows = rowsOrThrow(parseFacilityCollection(req.body));
    res.json(await deps.equity.replaceFacilities(rows, actorOf(req)));
  });

  router.post('/', requireCapability('equity-inputs:write'), express.json({ type: GEOJSON_TYPES, limit: BODY_LIMIT, verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    requireBody(req, 'a GeoJSON Feature (or FeatureCollection) of Points with properties.kind and properties.capacity');
    const rows = rowsOrThrow(parseFacilityAddition(req.body));
    const outcome = await deps.equity.addFacilities(rows, actorOf(req));
    if (!outcome.ok) {
      const list = outcome.taken.slice(0, 10).join(', ');
      throw new ApiError(
        'conflict',
        `${outcome.taken.length === 1 ? 'a facility with id' : 'facilities with ids'} ${list} already exist; nothing was added (leave out the id to get a new one)`,
        outcome.taken.slice(0, 100).map((id) => ({ path: `features.${rows.findIndex((r) => r.id === id)}.properties.id`, message: `id "${id}" is already used` })),
      );
    }
    res.status(201).type('application/geo+json').json(outcome.collection);
  });

  return router;
}

export function equityRouter(deps: { equity: EquityService }): Router {
  const router = Router();

  // The wall's KPI: the default view's Gini (and friends) of every kind, without the cells.
  router.get('/summary', requireCapability('city:read'), async (_req, res) => {
    res.json(await computed(deps.equity.summary()));
  });

  router.get('/', requireCapability('city:read'), async (req, res) => {
    const parsed = EquityQuery.safeParse(req.query);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_query', `the equity query is not valid: ${oneLine(details)}`, details);
    }
    const { kind, method } = parsed.data;
    const radiusM = parsed.data.radius ?? defaultRadiusM(kind);
    sendAnswer(res, await computed(deps.equity.equity({ kind, radiusM, method })));
  });

  // Stores nothing, so anyone who may read equity may ask; the sketch is the planner's own.
  router.post('/what-if', requireCapability('city:read'), express.json({ limit: '2mb', verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    requireBody(req, 'a what-if: {kind, radius, method, add: [{lon, lat, capacity}], remove: [ids], resize: [{id, capacity}]}');
    const parsed = WhatIfInput.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', `the what-if is not valid: ${oneLine(details.slice(0, 3))}`, details);
    }
    const outcome = await computed(deps.equity.whatIf(parsed.data));
    if ('refused' in outcome) {
      throw new ApiError('invalid_body', `the what-if is not valid: ${outcome.refused.message}`, [{ path: outcome.refused.path, message: outcome.refused.message }]);
    }
    sendAnswer(res, outcome);
  });

  return router;
}
