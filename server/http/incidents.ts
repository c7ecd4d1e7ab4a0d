/** `/api/v1/incidents`: intake (every format, see intake.ts) and GeoJSON queries. */
import express, { Router } from 'express';
import { BboxParam } from '../contract/common.ts';
import {
  Category,
  IncidentPatch,
  IncidentQuery,
  Instant,
  Status,
  type Incident,
  type IncidentCollection,
  type IncidentChange,
  type IncidentFeature,
  type IncidentHistory,
} from '../contract/incidents.ts';
import type { Role } from '../contract/auth.ts';
import type { IncidentClocks } from '../contract/sla.ts';
import { incidentForRole, maskNumbersInText } from '../domain/incidents/masking.ts';
import { incidentsCsv } from './incidents-csv.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import { eventLogReader } from '../store/event-log.ts';
import { incidentHistory } from '../store/incident-changes.ts';
import { getIncident, listIncidents } from '../store/incident-queries.ts';
import { actorOf, callerCan, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { intakeHandlers, type IntakeDeps } from './intake.ts';

const DEFAULT_LIMIT = 100_000;

function listParam(raw: string | undefined, allowed: readonly string[], name: string): string[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const values = raw.split(',').map((v) => v.trim());
  const bad = values.filter((v) => !allowed.includes(v));
  if (bad.length > 0) {
    throw new ApiError('invalid_query', `unknown ${name} "${bad.join('", "')}"; use ${allowed.join(', ')}`, [
      { path: name, message: `must be one of ${allowed.join(', ')}` },
    ]);
  }
  return values;
}

function toFeature(incident: Incident, role: Role): IncidentFeature {
  const { geometry, ...properties } = incidentForRole(incident, role);
  return { type: 'Feature', id: incident.id, geometry, properties };
}

function maskChange(item: IncidentChange): IncidentChange {
  const masked = item.note === null ? item : { ...item, note: maskNumbersInText(item.note) };
  const disposition = item.assignment?.disposition;
  return disposition ? { ...masked, assignment: { ...item.assignment!, disposition: maskNumbersInText(disposition) } } : masked;
}

export function incidentsRouter(deps: IntakeDeps, extras: { clocksOf?: (id: string) => Promise<IncidentClocks | null> } = {}): Router {
  const router = Router();
  const log = eventLogReader(deps.db);

  router.post('/', requireCapability('incidents:write'), ...intakeHandlers(deps));

  router.get('/', requireCapability('city:read'), async (req, res) => {
    const query = IncidentQuery.safeParse(req.query);
    if (!query.success) {
      const details = describeIssues(query.error);
      throw new ApiError('invalid_query', oneLine(details), details);
    }
    const q = query.data;
    let bbox;
    if (q.bbox !== undefined) {
      const parsed = BboxParam.safeParse(q.bbox);
      if (!parsed.success) throw new ApiError('invalid_query', parsed.error.issues[0]?.message ?? 'invalid bbox', [{ path: 'bbox', message: parsed.error.issues[0]?.message ?? '' }]);
      bbox = parsed.data;
    }
    let since: Date | undefined;
    if (q.since !== undefined) {
      const asNumber = typeof q.since === 'string' && /^\d+$/.test(q.since) ? Number(q.since) : q.since;
      const parsed = Instant.safeParse(asNumber);
      if (!parsed.success) throw new ApiError('invalid_query', 'since must be an ISO 8601 date-time or epoch milliseconds', [{ path: 'since', message: 'invalid date-time' }]);
      since = new Date(parsed.data);
    }
    const head = await log.head();
    const { incidents, truncated } = await listIncidents(deps.db, {
      ...(bbox && { bbox }),
      ...(since && { since }),
      statuses: listParam(q.status, Status.options, 'status'),
      categories: listParam(q.category, Category.options, 'category'),
      drill: q.drill ?? 'exclude',
      limit: q.limit ?? DEFAULT_LIMIT,
    });
    const role = req.principal?.role ?? 'viewer';
    if (q.format === 'csv') {
      res
        .type('text/csv; charset=utf-8')
        .attachment(`incidents-${new Date(deps.clock()).toISOString().slice(0, 10)}.csv`)
        .send(incidentsCsv(incidents.map((i) => incidentForRole(i, role))));
      return;
    }
    const body: IncidentCollection = {
      type: 'FeatureCollection',
      seq: head,
      features: incidents.map((i) => toFeature(i, role)),
      ...(truncated && { truncated: true }),
    };
    res.type('application/geo+json').json(body);
  });

  router.get('/:id', requireCapability('city:read'), async (req, res) => {
    const incident = await getIncident(deps.db, String(req.params.id));
    if (!incident) throw new ApiError('not_found', `no incident with id ${req.params.id}`);
    const feature = toFeature(incident, req.principal?.role ?? 'viewer');
    // Every incident carries its accountability clocks as they stand now.
    const clocks = await extras.clocksOf?.(incident.id);
    res.type('application/geo+json').json(clocks ? { ...feature, properties: { ...feature.properties, clocks } } : feature);
  });

  router.get('/:id/history', requireCapability('city:read'), async (req, res) => {
    const id = String(req.params.id);
    const items = await incidentHistory(deps.db, id);
    if (!items) throw new ApiError('not_found', `no incident with id ${id}`);
    // A responder's note, or a unit's disposition, may quote the caller's number.
    const personal = callerCan(req, 'personal-data:read');
    const shown = personal ? items : items.map(maskChange);
    res.json({ id, items: shown } satisfies IncidentHistory);
  });

  router.patch('/:id', requireCapability('incidents:write'), express.json({ limit: '64kb' }), async (req, res) => {
    const id = String(req.params.id);
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send {"status": "acknowledged", "note": "…"}');
    const parsed = IncidentPatch.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const actor = actorOf(req);
    const outcome = await deps.incidents.changeStatus({ id, to: parsed.data.status, note: parsed.data.note ?? null, actor, atMs: deps.clock() });
    if (outcome.kind === 'not_found') throw new ApiError('not_found', `no incident with id ${id}`);
    if (outcome.kind === 'refused') throw new ApiError('conflict', outcome.message, [{ path: 'status', message: outcome.message }]);
    const { change: _change, ...incident } = outcome.event;
    res.type('application/geo+json').json(toFeature(incident, req.principal?.role ?? 'viewer'));
  });

  return router;
}
