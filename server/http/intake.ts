/**
 * `POST /api/v1/incidents`: every intake format on one route, chosen by Content-Type (and
 * `?format=open311`, in JSON or XML), one answer shape `{accepted, duplicates, rejected, items,
 * errors}`. The body is read as bytes and handed to a parse worker (ingest/parse-pool.ts), which
 * checks the intake limits before parsing: the main thread never spends long on one request's body.
 */
import type { Request, RequestHandler } from 'express';
import type { IngestResult } from '../contract/incidents.ts';
import type { IntakeLimits } from '../ingest/limits.ts';
import { chooseFormat, formatEntry, INTAKE_CONTENT_TYPES, INTAKE_QUERY_FLAGS, type IntakeFormat } from '../ingest/formats.ts';
import { IntakeParseError, type IntakeParser } from '../ingest/parse-pool.ts';
import { oneLine } from '../ingest/zod-errors.ts';
import type { IncidentService } from '../services/incidents.ts';
import type { Database } from '../store/database.ts';
import { findAnswer, idempotencyScope, saveAnswer } from '../store/idempotency.ts';
import { ApiError } from './errors.ts';
import { rawBody } from './raw-body.ts';

/** Big enough for a USGS month feed or a 20,000-row batch; larger imports should be split. */
export const BODY_LIMIT = '32mb';
const BODY_LIMIT_BYTES = 32 * 1024 * 1024;
/** Picks the format of a request (ingest/formats.ts), or says which formats this route takes. */
function formatOf(req: Request): IntakeFormat {
  const format = typeof req.query.format === 'string' ? req.query.format : undefined;
  if (format !== undefined && !INTAKE_QUERY_FLAGS.includes(format)) {
    throw new ApiError('invalid_query', `unknown format "${format}"; the only format parameter is "open311"`, [{ path: 'format', message: 'must be open311' }]);
  }
  const type = req.is([...INTAKE_CONTENT_TYPES]);
  if (type === null) throw new ApiError('invalid_body', 'the request body is empty; send incidents as JSON, GeoJSON, CSV, CAP XML or Open311');
  const chosen = type ? chooseFormat(format, (types) => Boolean(req.is([...types]))) : undefined;
  if (chosen) return chosen.format;
  if (format === 'open311') throw new ApiError('unsupported_media_type', 'Open311 requests must be sent as application/json, or as XML (application/xml or text/xml)');
  throw new ApiError(
    'unsupported_media_type',
    `Content-Type ${req.headers['content-type'] ?? '(none)'} is not accepted; send application/json, application/geo+json, text/csv or application/cap+xml (Open311: ?format=open311, as JSON or XML)`,
  );
}

/**
 * The body's charset (utf-8 unless Content-Type says otherwise), refused 415 when it cannot be read,
 * and whether Content-Type named it: an XML body without one is read in the encoding its XML
 * declaration names (RFC 7303), which only the parse worker sees.
 */
function charsetOf(req: Request, format: IntakeFormat): { charset: string; given: boolean } {
  const named = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  const charset = named ?? 'utf-8';
  // JSON is Unicode by definition (RFC 8259), as express.json insisted.
  let known = formatEntry(format).body !== 'json' || charset.startsWith('utf');
  try {
    new TextDecoder(charset);
  } catch {
    known = false;
  }
  if (!known) throw new ApiError('unsupported_media_type', `unsupported charset "${charset.toUpperCase()}"`);
  return { charset, given: named !== undefined };
}

/** A parse that produced no outcome, as an answer: 413 too complex, 503 busy or stopping, else 500. */
function failedParse(error: unknown): unknown {
  if (!(error instanceof IntakeParseError)) return error;
  if (error.reason === 'too_complex') return new ApiError('payload_too_large', error.message);
  if (error.reason === 'busy' || error.reason === 'stopping') return new ApiError('unavailable', error.message);
  return new ApiError('internal', error.message);
}

export interface IntakeDeps {
  db: Database;
  incidents: IncidentService;
  clock: () => number;
  parser: IntakeParser;
  limits: IntakeLimits;
}

export function intakeHandlers(deps: IntakeDeps): RequestHandler[] {
  return [
    // Bytes only, copied in as they arrive: decoding and parsing happen in the parse worker.
    rawBody({ types: [...INTAKE_CONTENT_TYPES], limitBytes: BODY_LIMIT_BYTES }),
    async (req, res) => {
      const format = formatOf(req);
      const body: unknown = req.body;
      if (!(body instanceof Uint8Array) || body.length === 0) throw new ApiError('invalid_body', 'the request body is empty; send at least one incident');
      const { charset, given: charsetGiven } = charsetOf(req, format);
      const principal = req.principal;
      if (!principal) throw new ApiError('unauthorized', 'sign in first: send "Authorization: Bearer <token>"');
      const actor = { name: principal.name, role: principal.role };
      const key = req.get('Idempotency-Key');
      if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key)) {
        throw new ApiError('invalid_body', 'Idempotency-Key must be 1–200 visible ASCII characters', [{ path: 'Idempotency-Key', message: 'invalid header' }]);
      }
      const source = typeof req.query.source === 'string' && req.query.source.trim() ? req.query.source.trim().slice(0, 100) : undefined;
      const nowMs = deps.clock();
      const outcome = await deps.parser
        .parse({
          format,
          body,
          charset,
          charsetGiven,
          limits: deps.limits,
          options: { nowMs, ...(source && { defaultSource: source }) },
          hashSource: key === undefined ? null : String(req.query.source ?? ''),
        })
        .catch((error: unknown) => {
          throw failedParse(error);
        });
      if (outcome.type === 'refused') throw new ApiError(outcome.code, outcome.message, outcome.details);
      const scope = idempotencyScope(principal);
      if (key !== undefined) {
        const saved = await findAnswer(deps.db, scope, key);
        if (saved) {
          if (saved.requestHash !== outcome.requestHash) throw new ApiError('conflict', 'this Idempotency-Key was already used for a different request; use a new key for new data');
          res.set('Idempotent-Replayed', 'true').status(saved.status).json(saved.body);
          return;
        }
      }
      const { parsed } = outcome;
      if (Array.isArray(parsed)) throw new ApiError('invalid_body', `the ${format} payload cannot be read: ${oneLine(parsed)}`, parsed);
      const recordErrors: IngestResult['errors'] = parsed.errors.map((e) => ({ index: e.index, message: oneLine(e.details), path: e.details[0]?.path ?? '' }));
      const result = await deps.incidents.ingest(parsed.drafts, recordErrors, { nowMs, actor, ...(parsed.notices && { notices: parsed.notices }) });
      // Every record refused only once placed (a CAP area whose geocodes name no region): the same
      // 400 as a batch the parser refused whole, since nothing was stored.
      if (result.items.length === 0 && !result.notices?.length && result.errors.length > 0) {
        const first = result.errors[0]!;
        const message = parsed.shape === 'single' ? `the incident is not valid: ${first.message}` : `none of the ${result.errors.length} incidents is valid; first (record ${first.index}): ${first.message}`;
        throw new ApiError('invalid_body', message, result.errors.slice(0, 100).map((e) => ({ path: parsed.shape === 'single' ? (e.path ?? '') : [String(e.index), e.path].filter(Boolean).join('.'), message: e.message })));
      }
      // 201 only when something new was stored; updates and replays of known records answer 200.
      const status = result.accepted > 0 ? 201 : 200;
      if (key !== undefined && outcome.requestHash !== null) await saveAnswer(deps.db, scope, key, { requestHash: outcome.requestHash, status, body: result });
      res.status(status).json(result);
    },
  ];
}
