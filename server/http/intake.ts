/**
 * `POST /api/v1/incidents`: every intake format on one route, chosen by Content-Type (and
 * `?format=open311`), one answer shape `{accepted, duplicates, rejected, items, errors}`.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type RequestHandler } from 'express';
import type { ErrorDetail } from '../contract/common.ts';
import type { IngestResult } from '../contract/incidents.ts';
import { parseCapIncidents } from '../ingest/cap.ts';
import { parseCsvIncidents } from '../ingest/csv.ts';
import { parseJsonIncidents, type IngestOptions, type ParsedBatch } from '../ingest/json.ts';
import { parseOpen311Incidents } from '../ingest/open311.ts';
import { oneLine } from '../ingest/zod-errors.ts';
import type { IncidentIntake } from '../services/incidents.ts';
import type { Database } from '../store/database.ts';
import { findAnswer, saveAnswer } from '../store/idempotency.ts';
import { ApiError } from './errors.ts';
import { geometryGuard, verifyJsonBody } from './geometry-guard.ts';

/** Big enough for a USGS month feed or a 10,000-row batch; larger imports should be split. */
export const BODY_LIMIT = '32mb';
const JSON_TYPES = ['application/json', 'application/geo+json', 'application/*+json'];
const CSV_TYPES = ['text/csv', 'application/csv'];
const XML_TYPES = ['application/cap+xml', 'application/xml', 'text/xml'];

type Adapter = (body: unknown, options: IngestOptions) => ParsedBatch | ErrorDetail[];
const text = (body: unknown): string => (typeof body === 'string' ? body : '');

/** Picks the adapter for a request, or says which formats this route takes. */
function adapterFor(req: Request): { name: string; parse: Adapter } {
  const format = typeof req.query.format === 'string' ? req.query.format : undefined;
  if (format !== undefined && format !== 'open311') {
    throw new ApiError('invalid_query', `unknown format "${format}"; the only format parameter is "open311"`, [{ path: 'format', message: 'must be open311' }]);
  }
  const type = req.is([...JSON_TYPES, ...CSV_TYPES, ...XML_TYPES]);
  if (type === null) throw new ApiError('invalid_body', 'the request body is empty; send incidents as JSON, GeoJSON, CSV, CAP XML or Open311');
  if (format === 'open311') {
    if (!type || !req.is(JSON_TYPES)) throw new ApiError('unsupported_media_type', 'Open311 requests must be sent as application/json');
    return { name: 'open311', parse: parseOpen311Incidents };
  }
  if (type && req.is(JSON_TYPES)) return { name: 'json', parse: parseJsonIncidents };
  if (type && req.is(CSV_TYPES)) return { name: 'csv', parse: (b, o) => parseCsvIncidents(text(b), o) };
  if (type && req.is(XML_TYPES)) return { name: 'cap', parse: (b, o) => parseCapIncidents(text(b), o) };
  throw new ApiError(
    'unsupported_media_type',
    `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted; send application/json, application/geo+json, text/csv or application/cap+xml (Open311: ?format=open311)`,
  );
}

function refuse(parsed: ParsedBatch): ApiError {
  // Nothing usable: the whole request is refused, naming each field (first 100 records).
  const details = parsed.errors.slice(0, 100).flatMap((e) =>
    e.details.map((d) => ({ path: parsed.shape === 'single' ? d.path : [String(e.index), d.path].filter(Boolean).join('.'), message: d.message })),
  );
  const first = oneLine(parsed.errors[0]?.details ?? []);
  const message = parsed.shape === 'single' ? `the incident is not valid: ${first}` : `none of the ${parsed.errors.length} incidents is valid; first (record ${parsed.errors[0]?.index}): ${first}`;
  return new ApiError('invalid_body', message, details);
}

export function intakeHandlers(deps: { db: Database; intake: IncidentIntake; clock: () => number }): RequestHandler[] {
  return [
    express.json({ type: JSON_TYPES, limit: BODY_LIMIT, verify: verifyJsonBody }),
    geometryGuard,
    express.text({ type: [...CSV_TYPES, ...XML_TYPES], limit: BODY_LIMIT, defaultCharset: 'utf-8' }),
    async (req, res) => {
      const adapter = adapterFor(req);
      if (req.body === undefined || req.body === '') throw new ApiError('invalid_body', 'the request body is empty; send at least one incident');
      const actor = { name: req.principal?.name ?? 'unknown', role: req.principal?.role ?? 'unknown' };
      const key = req.get('Idempotency-Key');
      let requestHash = '';
      if (key !== undefined) {
        if (!/^[\x21-\x7e]{1,200}$/.test(key)) throw new ApiError('invalid_body', 'Idempotency-Key must be 1–200 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'invalid header' }]);
        requestHash = createHash('sha256').update(`${adapter.name}\n${String(req.query.source ?? '')}\n${typeof req.body === 'string' ? req.body : JSON.stringify(req.body)}`).digest('hex');
        const saved = await findAnswer(deps.db, actor.name, key);
        if (saved) {
          if (saved.requestHash !== requestHash) throw new ApiError('conflict', 'this Idempotency-Key was already used for a different request; use a new key for new data');
          res.set('Idempotent-Replayed', 'true').status(saved.status).json(saved.body);
          return;
        }
      }
      const source = typeof req.query.source === 'string' && req.query.source.trim() ? req.query.source.trim().slice(0, 100) : undefined;
      const nowMs = deps.clock();
      const parsed = adapter.parse(req.body, { nowMs, ...(source && { defaultSource: source }) });
      if (Array.isArray(parsed)) throw new ApiError('invalid_body', `the ${adapter.name} payload cannot be read: ${oneLine(parsed)}`, parsed);
      if (parsed.drafts.length === 0 && parsed.errors.length > 0) throw refuse(parsed);
      const recordErrors: IngestResult['errors'] = parsed.errors.map((e) => ({ index: e.index, message: oneLine(e.details), path: e.details[0]?.path ?? '' }));
      const result = await deps.intake.ingest(parsed.drafts, recordErrors, { nowMs, actor });
      // 201 only when something new was stored; a replay of known records changes nothing (200).
      const status = result.accepted > 0 ? 201 : 200;
      if (key !== undefined) await saveAnswer(deps.db, actor.name, key, { requestHash, status, body: result });
      res.status(status).json(result);
    },
  ];
}
