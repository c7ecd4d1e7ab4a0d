/** `/api/v1/incidents`: intake (JSON and GeoJSON for now) and GeoJSON queries. DOMAIN §3. */
import express, { Router } from 'express';
import { BboxParam } from '../contract/common.ts';
import { Category, IncidentQuery, Instant, Status, type IncidentCollection, type IncidentFeature } from '../contract/incidents.ts';
import { incidentForRole } from '../domain/incidents/masking.ts';
import { parseJsonIncidents } from '../ingest/json.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { IncidentIntake } from '../services/incidents.ts';
import type { Database } from '../store/database.ts';
import { eventLogReader } from '../store/event-log.ts';
import { getIncident, listIncidents } from '../store/incidents.ts';
import { requireRole, requireSignedIn } from './auth.ts';
import { ApiError } from './errors.ts';

const JSON_TYPES = ['application/json', 'application/geo+json', 'application/*+json'];
/** Big enough for a USGS month feed or a 10,000-row batch; larger imports should be split. */
export const BODY_LIMIT = '32mb';
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

export function incidentsRouter(deps: { db: Database; intake: IncidentIntake; clock: () => number }): Router {
  const router = Router();
  const log = eventLogReader(deps.db);

  router.post(
    '/',
    requireRole('responder'),
    express.json({ type: JSON_TYPES, limit: BODY_LIMIT }),
    async (req, res) => {
      const type = req.is(JSON_TYPES);
      if (type === false) {
        throw new ApiError(
          'unsupported_media_type',
          `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted here; send application/json or application/geo+json`,
        );
      }
      if (type === null || req.body === undefined) {
        throw new ApiError('invalid_body', 'the request body is empty; send one incident, an array, a Feature or a FeatureCollection');
      }
      const source = typeof req.query.source === 'string' && req.query.source.trim() ? req.query.source.trim() : undefined;
      const nowMs = deps.clock();
      const parsed = parseJsonIncidents(req.body, { nowMs, ...(source && { defaultSource: source }) });
      if (Array.isArray(parsed)) throw new ApiError('invalid_body', oneLine(parsed), parsed);
      const recordErrors = parsed.errors.map((e) => ({ index: e.index, message: oneLine(e.details), path: e.details[0]?.path ?? '' }));
      if (parsed.drafts.length === 0 && parsed.errors.length > 0) {
        // Nothing usable: the whole request is refused, naming each field (first 100 records).
        const details = parsed.errors.slice(0, 100).flatMap((e) =>
          e.details.map((d) => ({ path: parsed.shape === 'single' ? d.path : [String(e.index), d.path].filter(Boolean).join('.'), message: d.message })),
        );
        const message =
          parsed.shape === 'single'
            ? `the incident is not valid: ${oneLine(parsed.errors[0]?.details ?? [])}`
            : `none of the ${parsed.errors.length} incidents is valid; first: ${recordErrors[0]?.message ?? ''}`;
        throw new ApiError('invalid_body', message, details);
      }
      const result = await deps.intake.ingest(parsed.drafts, recordErrors, nowMs);
      // 201 only when something new was stored; a replay of known records changes nothing (200).
      res.status(result.accepted > 0 ? 201 : 200).json(result);
    },
  );

  router.get('/', requireSignedIn, async (req, res) => {
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
      limit: q.limit ?? DEFAULT_LIMIT,
    });
    const role = req.principal?.role ?? 'viewer';
    const body: IncidentCollection = {
      type: 'FeatureCollection',
      seq: head,
      features: incidents.map((i): IncidentFeature => {
        const { geometry, ...properties } = incidentForRole(i, role);
        return { type: 'Feature', id: i.id, geometry, properties };
      }),
      ...(truncated && { truncated: true }),
    };
    res.type('application/geo+json').json(body);
  });

  router.get('/:id', requireSignedIn, async (req, res) => {
    const incident = await getIncident(deps.db, String(req.params.id));
    if (!incident) throw new ApiError('not_found', `no incident with id ${req.params.id}`);
    const { geometry, ...properties } = incidentForRole(incident, req.principal?.role ?? 'viewer');
    res.type('application/geo+json').json({ type: 'Feature', id: incident.id, geometry, properties } satisfies IncidentFeature);
  });

  return router;
}
