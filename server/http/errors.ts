/** Errors as values with a code, a readable message and field details; HTTP status decided here only. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ErrorBody, ErrorCode, ErrorDetail } from '../contract/common.ts';
import { isStoreUnavailable, outageLog, STORE_RETRY_AFTER_S } from '../store/outage.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_query: 400,
  invalid_path: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_requests: 429,
  internal: 500,
  unavailable: 503,
};

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Only for a library's own 4xx that no code names (e.g. 416 from static files): its status is kept. */
    private readonly statusOverride?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): number {
    return this.statusOverride ?? STATUS[this.code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** What express, its router, body-parser (http-errors) and zlib attach to the errors they raise. */
interface LibraryError {
  status?: unknown;
  statusCode?: unknown;
  type?: unknown;
  message?: unknown;
  limit?: unknown;
  code?: unknown;
  expose?: unknown;
}

const CODE_OF_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_body',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);

/** Body-parser errors carry a `type`; map them to our codes with messages a user can act on. */
function fromParserError(err: LibraryError): ApiError | null {
  const message = text(err.message, 'the body could not be read');
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError('invalid_json', `the body is not valid JSON: ${message}`, [{ path: '', message }]);
    case 'entity.too.large':
    case 'parameters.too.many':
      return new ApiError(
        'payload_too_large',
        `the body is larger than this route's limit of ${typeof err.limit === 'number' ? (err.limit / 1048576).toFixed(1) : '?'} MB; split it into batches`,
      );
    case 'encoding.unsupported':
      return new ApiError('unsupported_media_type', `${message}: send the body uncompressed, or as gzip, deflate or br`);
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', `${message}: send the body as UTF-8`);
    case 'entity.geometry.refused':
      return new ApiError('invalid_body', text(err.message, 'the geometry is too complex'), [{ path: '', message }]);
    case 'request.aborted':
      return new ApiError('invalid_body', 'the request was aborted before its body arrived');
    case 'request.size.invalid':
      return new ApiError('invalid_body', 'the body is not as long as its Content-Length says; send it again');
    default:
      return null;
  }
}

/**
 * A library's own 4xx (a path the router cannot decode, a body zlib cannot inflate, a range the
 * static files cannot serve) as an ApiError; null for anything that is the server's fault.
 */
function fromLibraryError(err: unknown): ApiError | null {
  if (err === null || typeof err !== 'object') return null;
  const e = err as LibraryError;
  const parsed = fromParserError(e);
  if (parsed) return parsed;
  const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : NaN;
  if (!(status >= 400 && status < 500)) return null;
  if (err instanceof URIError) {
    return new ApiError('invalid_path', 'the address is not valid: a part of it is not percent-encoded UTF-8 (write % as %25)', [{ path: 'path', message: text(e.message, '') }]);
  }
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new ApiError('invalid_body', `the body could not be decompressed as its Content-Encoding says: ${text(e.message, e.code)}`);
  }
  const code = CODE_OF_STATUS[status] ?? 'invalid_body';
  // http-errors marks messages safe to show with `expose` (all its 4xx); anything else gets a plain one.
  const message = e.expose === true ? text(e.message, `the request was refused (${status})`) : `the request was refused (${status})`;
  return new ApiError(code, message, [], STATUS[code] === status ? undefined : status);
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // Every request fails during an outage; the access log has each 503, this says why, now and then.
  const outage = outageLog(logger, 'http');
  return (err: unknown, req, res, _next) => {
    const where = { method: req.method, path: req.path.slice(0, 200) };
    if (err instanceof ApiError) {
      if (err.status >= 500) logger.error({ err, ...where }, err.message);
      if (!res.headersSent) res.status(err.status).json(err.toBody());
      return;
    }
    const refused = fromLibraryError(err);
    if (refused) {
      // The caller's mistake, caught by a library before our code: a line, not a stack trace.
      logger.warn({ ...where, status: refused.status, code: refused.code }, `request refused: ${refused.message}`);
      if (!res.headersSent) res.status(refused.status).json(refused.toBody());
      return;
    }
    if (isStoreUnavailable(err)) {
      // The database is down or restarting: say so, say when to come back, and (for a write) that
      // nothing was stored, so sending the same request again is safe.
      const read = req.method === 'GET' || req.method === 'HEAD';
      outage.failed(err);
      if (res.headersSent) return;
      res.setHeader('Retry-After', String(STORE_RETRY_AFTER_S));
      const message = read
        ? `the database cannot be reached right now; try again in ${STORE_RETRY_AFTER_S} s (live screens keep the last data they have)`
        : `the database cannot be reached, so nothing was stored; send the same request again in ${STORE_RETRY_AFTER_S} s`;
      res.status(503).json({ error: { code: 'unavailable', message, details: [] } } satisfies ErrorBody);
      return;
    }
    // The server's own fault: logged once, here, with its stack.
    logger.error({ err, ...where }, 'unexpected error while serving a request');
    const body: ErrorBody = {
      error: { code: 'internal', message: 'the server failed to handle this request; it has been logged', details: [] },
    };
    if (!res.headersSent) res.status(500).json(body);
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no API route ${req.method} ${req.originalUrl.split('?')[0]}`));
};
