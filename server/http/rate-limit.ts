/**
 * Rate limits (README "Limits"): a token bucket per client address and one per API token, so one
 * runaway sensor script or a token-guessing loop cannot starve the wall screens. In memory, per
 * server node: each node of a cluster enforces its own share.
 */
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import { requestToken } from './auth.ts';
import { ApiError } from './errors.ts';

export interface Bucket {
  tokens: number;
  updated: number;
}

/**
 * A bucket holds a minute's worth of requests and refills continuously: a client may burst its
 * whole minute at once, then gets `perMinute / 60` requests a second.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly clock: () => number = Date.now,
    /** Idle buckets are forgotten past this many keys, so a flood of addresses cannot grow memory. */
    private readonly maxKeys = 50_000,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one request from `key`'s bucket: 0 when allowed, else the ms until one would be. */
  take(key: string): number {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * this.perMs);
      bucket.updated = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.perMinute, updated: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Drops buckets that have refilled (their owners went quiet); if none have, the oldest half. */
  private sweep(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updated) * this.perMs >= this.perMinute) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxKeys) return;
    let drop = Math.ceil(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}

function tooMany(what: string, perMinute: number, waitMs: number, res: Parameters<RequestHandler>[1]): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.setHeader('Retry-After', String(seconds));
  return new ApiError('too_many_requests', `too many requests from this ${what} (limit ${perMinute} a minute); try again in ${seconds} s`);
}

/** Per client address; `perMinute` 0 turns it off. Health checks are exempt (load balancers poll them). */
export function limitPerIp(perMinute: number, clock?: () => number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const limiter = new RateLimiter(perMinute, clock);
  return (req, res, next) => {
    if (req.path.endsWith('/health')) return next();
    const wait = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) return next(tooMany('address', perMinute, wait, res));
    next();
  };
}

/**
 * Per API token (keyed by a hash, never the token itself). Requests without a token are held by
 * the address limit only; a bad token is refused by authentication and counts against its address.
 */
export function limitPerToken(perMinute: number, clock?: () => number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const limiter = new RateLimiter(perMinute, clock);
  return (req, res, next) => {
    const token = requestToken(req);
    if (!token || req.path.endsWith('/health')) return next();
    const wait = limiter.take(createHash('sha256').update(token).digest('base64url'));
    if (wait > 0) return next(tooMany('token', perMinute, wait, res));
    next();
  };
}

/**
 * Refuses a body whose declared length is over the server-wide cap before reading a byte of it.
 * (Each route's parser also has its own, usually smaller, limit, which holds chunked bodies.)
 */
export function declaredBodyLimit(maxBytes: number): RequestHandler {
  return (req, _res, next) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      // Nothing of the body will be read: close the connection after answering rather than drain it.
      req.headers.connection = 'close';
      _res.setHeader('Connection', 'close');
      next(
        new ApiError(
          'payload_too_large',
          `the body is ${(declared / 1048576).toFixed(1)} MB, over this server's limit of ${(maxBytes / 1048576).toFixed(1)} MB (MAX_BODY_MB); split it into batches`,
        ),
      );
      return;
    }
    next();
  };
}
