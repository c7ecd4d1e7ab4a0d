/**
 * Reads an uncompressed request body into one buffer as it arrives. express.raw collects the
 * chunks and joins them at the end: for a 30 MB body that one copy held the event loop for
 * 50–100 ms, so every other request (a wall's health check) waited. Here the buffer is sized from
 * Content-Length up front, each chunk is copied in as it comes, and after every megabyte the
 * stream pauses for a turn of the event loop (on loopback a whole body arrives in a few turns, and
 * copying into fresh memory runs at a few hundred MB/s); the result owns its memory, so it can be
 * handed to a worker without a copy. Compressed bodies
 * (rare for feeds) and bodies without a declared length still go through express.raw.
 */
import express, { type RequestHandler } from 'express';

/** Copy at most this much between two turns of the event loop. */
const YIELD_EVERY_BYTES = 1024 * 1024;

interface BodyError extends Error {
  status: number;
  type: string;
  limit?: number;
}

function bodyError(message: string, status: number, type: string, limit?: number): BodyError {
  return Object.assign(new Error(message), { status, type, ...(limit !== undefined && { limit }) });
}

export function rawBody(options: { types: readonly string[]; limitBytes: number }): RequestHandler {
  const types = [...options.types];
  const fallback = express.raw({ type: types, limit: options.limitBytes });
  return (req, res, next) => {
    const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
    const declared = req.headers['content-length'];
    if (encoding !== 'identity' || declared === undefined || req.is(types) === false || req.is(types) === null) return fallback(req, res, next);
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return next(bodyError('the Content-Length header is not a number', 400, 'request.size.invalid'));
    if (length > options.limitBytes) return next(bodyError('request entity too large', 413, 'entity.too.large', options.limitBytes));
    const body = new Uint8Array(length);
    let received = 0;
    let sinceYield = 0;
    let done = false;
    const finish = (error?: BodyError) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onError);
      if (error) {
        // Stop reading what is left; the answer goes out, the connection is not kept.
        req.unpipe();
        req.resume();
        return next(error);
      }
      req.body = body;
      next();
    };
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > length) return finish(bodyError('the body is longer than its Content-Length says', 400, 'request.size.invalid'));
      body.set(chunk, received);
      received += chunk.length;
      sinceYield += chunk.length;
      if (sinceYield >= YIELD_EVERY_BYTES && received < length) {
        sinceYield = 0;
        req.pause();
        setImmediate(() => {
          if (!done) req.resume();
        });
      }
    };
    const onEnd = () => finish(received === length ? undefined : bodyError('the body is shorter than its Content-Length says', 400, 'request.size.invalid'));
    const onAborted = () => finish(bodyError('request aborted', 400, 'request.aborted'));
    const onError = (err: Error) => finish(bodyError(err.message, 400, 'request.aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onError);
  };
}
