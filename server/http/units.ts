/** `/api/v1/units`: the register (import, list as GeoJSON), live positions in batches, each unit's thinned track. */
import express, { Router } from 'express';
import type { UnitCollection, UnitFeature, UnitTrack } from '../contract/units.ts';
import { TRACK_RETENTION_DAYS } from '../contract/units.ts';
import { parseUnitsCsv, parseUnitsJson } from '../ingest/units.ts';
import { oneLine } from '../ingest/zod-errors.ts';
import { MAX_REPORTS_PER_BATCH, type UnitService } from '../services/units.ts';
import type { Database } from '../store/database.ts';
import { eventLogReader } from '../store/event-log.ts';
import { getUnitRecord, type UnitRecord } from '../store/units.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { instantParam } from './query-params.ts';

const HOUR_MS = 3_600_000;
const JSON_TYPES = ['application/json', 'application/geo+json'];
const CSV_TYPES = ['text/csv', 'application/csv'];

function toFeature({ unit, position }: UnitRecord): UnitFeature {
  return {
    type: 'Feature',
    id: unit.id,
    geometry: position ? { type: 'Point', coordinates: [position.lon, position.lat] } : null,
    properties: { ...unit, position: position ? { at: position.at, speed: position.speed, heading: position.heading, receivedAt: position.receivedAt } : null },
  };
}

export function unitsRouter(deps: { db: Database; units: UnitService; clock: () => number }): Router {
  const router = Router();
  const log = eventLogReader(deps.db);

  router.get('/', requireCapability('city:read'), async (_req, res) => {
    const seq = await log.head();
    const body: UnitCollection = { type: 'FeatureCollection', seq, features: (await deps.units.list()).map(toFeature) };
    res.type('application/geo+json').json(body);
  });

  // All or nothing: a register half imported would dispatch units that were meant to be changed.
  router.put(
    '/',
    requireCapability('units:write'),
    express.json({ type: JSON_TYPES, limit: '8mb' }),
    express.text({ type: CSV_TYPES, limit: '8mb' }),
    async (req, res) => {
      const isCsv = req.is(CSV_TYPES);
      if (!isCsv && !req.is(JSON_TYPES)) {
        throw new ApiError('unsupported_media_type', `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted; send the units as application/json (an array or a FeatureCollection) or text/csv`);
      }
      if (req.body === undefined || (isCsv && typeof req.body !== 'string')) throw new ApiError('invalid_body', 'the request body is empty; send at least one unit');
      const parsed = isCsv ? parseUnitsCsv(req.body as string) : parseUnitsJson(req.body);
      if (parsed.errors.length > 0) {
        const count = parsed.errors.length;
        throw new ApiError('invalid_body', `no unit was stored: ${count} problem${count === 1 ? '' : 's'}; ${oneLine(parsed.errors.slice(0, 3))}`, parsed.errors.slice(0, 200));
      }
      if (parsed.units.length === 0) throw new ApiError('invalid_body', 'the body holds no unit; send at least one');
      const outcome = await deps.units.importUnits(parsed.units, actorOf(req), deps.clock());
      if (!outcome.ok) throw new ApiError(outcome.kind === 'conflict' ? 'conflict' : 'invalid_body', outcome.message, outcome.details);
      res.json(outcome.result);
    },
  );

  // Good reports are kept and bad ones named: an AVL gateway cannot resend a whole batch for one bad fix.
  router.post('/positions', requireCapability('units:report'), express.json({ limit: '4mb' }), async (req, res) => {
    const body: unknown = req.body;
    if (!Array.isArray(body)) {
      throw new ApiError('invalid_body', 'send the reports as a JSON array of {unitId, lon, lat, at, speed?, heading?}', [{ path: '', message: 'expected an array' }]);
    }
    if (body.length > MAX_REPORTS_PER_BATCH) {
      throw new ApiError('payload_too_large', `at most ${MAX_REPORTS_PER_BATCH} reports per batch; this one has ${body.length}: send smaller batches more often`);
    }
    const boundUnitId = req.principal?.unitId;
    res.json(await deps.units.reportPositions(body, { nowMs: deps.clock(), ...(boundUnitId !== undefined && { boundUnitId }) }));
  });

  router.get('/:id/track', requireCapability('city:read'), async (req, res) => {
    const id = String(req.params.id);
    const nowMs = deps.clock();
    const to = instantParam(req, 'to') ?? nowMs;
    const from = instantParam(req, 'from') ?? to - 24 * HOUR_MS;
    if (from > to) throw new ApiError('invalid_query', 'from must not be after to', [{ path: 'from', message: 'after to' }]);
    if (to - from > TRACK_RETENTION_DAYS * 24 * HOUR_MS) {
      throw new ApiError('invalid_query', `ask for at most ${TRACK_RETENTION_DAYS} days of track at once (tracks are kept that long)`, [{ path: 'from', message: 'range too long' }]);
    }
    if (!(await getUnitRecord(deps.db, id))) throw new ApiError('not_found', `no unit with id "${id}"`);
    const points = await deps.units.track(id, from, to);
    const body: UnitTrack = {
      type: 'FeatureCollection',
      unitId: id,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { at: p.at, speed: p.speed, heading: p.heading } })),
    };
    res.type('application/geo+json').json(body);
  });

  return router;
}
