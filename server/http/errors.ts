/** Errors as values with a code, a readable message and field details; HTTP status decided here only. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ErrorBody, ErrorCode, ErrorDetail } from '../contract/common.ts';
import { isStoreUnavailable, outageLog, STORE_RETRY_AFTER_S } from '../store/outage.ts';

const STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_query: 400,
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
  ) {
    super(message);
    this.name = 'ApiError';
  }
  get status(): number {
    return STATUS[this.code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** Express body-parser errors carry a `type`; map them to our codes with messages a user can act on. */
function fromParserError(err: { type?: string; message?: string; limit?: number }): ApiError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new ApiError('invalid_json', `the body is not valid JSON: ${err.message ?? 'parse error'}`, [
        { path: '', message: err.message ?? 'parse error' },
      ]);
    case 'entity.too.large':
      return new ApiError(
        'payload_too_large',
        `the body is larger than this route's limit of ${err.limit === undefined ? '?' : (err.limit / 1048576).toFixed(1)} MB; split it into batches`,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', err.message ?? 'unsupported encoding');
    case 'entity.geometry.refused':
      return new ApiError('invalid_body', err.message ?? 'the geometry is too complex', [{ path: '', message: err.message ?? '' }]);
    case 'request.aborted':
      return new ApiError('invalid_body', 'the request was aborted before its body arrived');
    default:
      return null;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // Every request fails during an outage; the access log has each 503, this says why, now and then.
  const outage = outageLog(logger, 'http');
  return (err: unknown, req, res, _next) => {
    const apiError =
      err instanceof ApiError ? err : fromParserError(err as { type?: string }) ?? null;
    if (apiError) {
      if (apiError.status >= 500) logger.error({ err, path: req.path }, apiError.message);
      res.status(apiError.status).json(apiError.toBody());
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
    logger.error({ err, method: req.method, path: req.path }, 'unexpected error while serving a request');
    const body: ErrorBody = {
      error: { code: 'internal', message: 'the server failed to handle this request; it has been logged', details: [] },
    };
    if (!res.headersSent) res.status(500).json(body);
  };
}

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no API route ${req.method} ${req.originalUrl.split('?')[0]}`));
};
