/**
 * `/api/v1/parcels`: land-code parcels (docs/domain.md §6). Creating and stepping is for planners and
 * administrators; reading for anyone signed in. The lifecycle history is append-only: there is no
 * route that edits or deletes a step, and asking for one says so (405).
 */
import { maskNumbersInText } from '../domain/incidents/masking.ts';
import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { BboxParam } from '../contract/common.ts';
import { LAND_USES, PARCEL_STAGES, ParcelInput, ParcelStepInput, type ParcelCollection } from '../contract/parcels.ts';
import { parseLandCode } from '../contract/land-code.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import { eventLogReader } from '../store/event-log.ts';
import type { Database } from '../store/database.ts';
import { listParcels } from '../store/parcels.ts';
import { MAX_SURROUNDINGS_RADIUS_M, type ParcelService, type Prepared } from '../services/parcels.ts';
import { actorOf, callerCan, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { geometryGuard, verifyJsonBody } from './geometry-guard.ts';

const DEFAULT_LIMIT = 1_000;
const MAX_LIMIT = 10_000;
/** Largest bulk import body: 100k small parcels as GeoJSON. */
export const IMPORT_BODY_LIMIT = '100mb';

/** The code in the path, checked: a mistyped code is a 404 that says what is wrong with it. */
function codeParam(req: Request): string {
  const parsed = parseLandCode(String(req.params.code ?? ''));
  if (!parsed.ok) throw new ApiError('not_found', parsed.message, [{ path: 'code', message: parsed.message }]);
  return parsed.code;
}

function listParam<T extends string>(raw: unknown, allowed: readonly T[], name: string): T[] | undefined {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
  const bad = values.filter((v) => !allowed.includes(v as T));
  if (bad.length > 0) throw new ApiError('invalid_query', `${name} must be one of ${allowed.join(', ')}; got ${bad.join(', ')}`, [{ path: name, message: `unknown value ${bad[0]}` }]);
  return values as T[];
}

function validateParcel(service: ParcelService, input: unknown, prefix = ''): Prepared {
  const parsed = ParcelInput.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: describeIssues(parsed.error).map((d) => ({ ...d, path: `${prefix}${d.path}` })) };
  }
  return service.prepare(parsed.data, prefix);
}

export function parcelsRouter(deps: { db: Database; parcels: ParcelService }): Router {
  const router = Router();
  const log = eventLogReader(deps.db);
  const { parcels } = deps;

  router.post('/', requireCapability('parcels:write'), express.json({ type: ['application/json', 'application/geo+json'], limit: '2mb', verify: verifyJsonBody }), geometryGuard, async (req, res) => {
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send a GeoJSON Feature with a Polygon and properties.landUse');
    const prepared = validateParcel(parcels, req.body);
    if (!prepared.ok) throw new ApiError('invalid_body', `the parcel is not valid: ${oneLine(prepared.errors.slice(0, 3))}`, prepared.errors);
    const parcel = await parcels.create(prepared.parcel, actorOf(req));
    res.status(201).location(`${req.baseUrl}/${parcel.properties.code}`).type('application/geo+json').json(parcel);
  });

  router.post('/import', requireCapability('parcels:write'), express.json({ type: ['application/json', 'application/geo+json'], limit: IMPORT_BODY_LIMIT, verify: verifyJsonBody }), geometryGuard, (req, res) => {
    const body = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).min(1).max(200_000) }).safeParse(req.body);
    if (!body.success) {
      throw new ApiError('invalid_body', `send a GeoJSON FeatureCollection of parcels: ${oneLine(describeIssues(body.error))}`, describeIssues(body.error));
    }
    const job = parcels.startImport(body.data.features, (input, index) => validateParcel(parcels, input, `features.${index}.`), actorOf(req));
    res.status(202).location(`${req.baseUrl}/import/${job.id}`).json(job);
  });

  router.get('/import/:id', requireCapability('parcels:write'), (req, res) => {
    const job = parcels.job(String(req.params.id));
    if (!job) throw new ApiError('not_found', `no import with id ${req.params.id} (imports are kept until the server restarts)`);
    res.json(job);
  });

  router.get('/', requireCapability('city:read'), async (req, res) => {
    let bbox;
    if (req.query.bbox !== undefined) {
      const parsed = BboxParam.safeParse(req.query.bbox);
      if (!parsed.success) throw new ApiError('invalid_query', parsed.error.issues[0]?.message ?? 'invalid bbox', [{ path: 'bbox', message: parsed.error.issues[0]?.message ?? '' }]);
      bbox = parsed.data;
    }
    const limit = req.query.limit === undefined ? DEFAULT_LIMIT : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ApiError('invalid_query', `limit must be a whole number from 1 to ${MAX_LIMIT}`, [{ path: 'limit', message: 'out of range' }]);
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : undefined;
    const head = await log.head();
    const landUses = listParam(req.query.landUse, LAND_USES, 'landUse');
    const stages = listParam(req.query.stage, PARCEL_STAGES, 'stage');
    const { parcels: found, truncated } = await listParcels(deps.db, { ...(bbox && { bbox }), ...(landUses && { landUses }), ...(stages && { stages }), ...(q && { q }), limit });
    const body: ParcelCollection = { type: 'FeatureCollection', features: found, seq: head, ...(truncated && { truncated: true as const }) };
    res.type('application/geo+json').json(body);
  });

  router.get('/:code', requireCapability('city:read'), async (req, res) => {
    const code = codeParam(req);
    const detail = await parcels.detail(code);
    if (!detail) throw new ApiError('not_found', `no parcel has the land code ${code}`);
    res.type('application/geo+json').json(detail);
  });

  router.post('/:code/steps', requireCapability('parcels:write'), express.json({ limit: '256kb' }), async (req, res) => {
    const code = codeParam(req);
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send {"step", "department", "documents": [{"title", "number", "issuedAt"}]}');
    const parsed = ParcelStepInput.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const outcome = await parcels.step(code, parsed.data, actorOf(req));
    if (outcome.kind === 'not_found') throw new ApiError('not_found', `no parcel has the land code ${code}`);
    if (outcome.kind === 'refused') {
      throw new ApiError('conflict', outcome.check.message, [{ path: 'step', message: outcome.check.expected ? `expected step: ${outcome.check.expected}` : 'no step expected: the lifecycle is complete' }]);
    }
    res.status(201).json({ ...outcome.step, code, from: outcome.from, parcel: outcome.parcel });
  });

  // The lifecycle is append-only: a step once recorded is evidence, so no route changes it.
  const appendOnly = (allow: string) => (_req: Request, res: express.Response) => {
    res.set('Allow', allow);
    throw new ApiError('method_not_allowed', 'a parcel\'s lifecycle history is append-only: steps cannot be edited or deleted; record a new step instead');
  };
  router.all('/:code/steps', appendOnly('POST'));
  router.all('/:code/steps/:id', appendOnly(''));
  router.delete('/:code', (_req, res) => {
    res.set('Allow', 'GET');
    throw new ApiError('method_not_allowed', 'parcels are never deleted: their land code and history stay on record');
  });

  router.get('/:code/surroundings', requireCapability('city:read'), async (req, res) => {
    const code = codeParam(req);
    const radius = req.query.radius === undefined ? 500 : Number(req.query.radius);
    if (!Number.isFinite(radius) || radius <= 0 || radius > MAX_SURROUNDINGS_RADIUS_M) {
      throw new ApiError('invalid_query', `radius must be a number of metres greater than 0 and at most ${MAX_SURROUNDINGS_RADIUS_M}`, [{ path: 'radius', message: 'out of range' }]);
    }
    const detail = await parcels.detail(code);
    if (!detail) throw new ApiError('not_found', `no parcel has the land code ${code}`);
    const around = await parcels.surroundings(detail, radius);
    // Incident titles are free text that may quote a caller's number: masked for roles without personal data.
    if (callerCan(req, 'personal-data:read')) return void res.json(around);
    res.json({ ...around, incidents: around.incidents.map((i) => ({ ...i, title: maskNumbersInText(i.title) })) });
  });

  return router;
}
