/**
 * Browser-facing defences: security headers with a Content-Security-Policy the dashboard runs
 * under, and who may call us from another origin (CORS for HTTP; the socket handshake uses the
 * same rule, server/auth/origin.ts).
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { isAllowedOrigin } from '../auth/origin.ts';
import { ApiError } from './errors.ts';

/**
 * The dashboard is one bundle from this origin: no inline or eval'd script. maplibre starts its
 * worker from a same-origin module URL; deck.gl and maplibre draw into canvases; the PNG export
 * and tiles use blob:/data: images; styles are a bundled CSS file plus inline style attributes set
 * by React (through the CSSOM, which CSP does not restrict) — 'unsafe-inline' for styles only
 * covers maplibre's few `style` attributes written as markup. The public parcel page sets its own,
 * stricter policy after this one.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Embedded resources are all ours; COEP would only break the QR page opened from a chat app.
    crossOriginEmbedderPolicy: false,
    // HSTS only means something over https; helmet sends it regardless, so it is set below per request.
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

export const hstsWhenHttps: RequestHandler = (req, res, next) => {
  if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=15552000; includeSubDomains');
  next();
};

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CORS: an allowed origin gets the headers (and preflights a 204); any other origin gets none, so
 * its browser keeps the answer from the page. A write carrying a foreign `Origin` is refused
 * outright: the browser would hide the answer but the write would still happen.
 */
export function cors(allowed: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.vary('Origin');
    if (!isAllowedOrigin(origin, req.headers.host, allowed)) {
      if (WRITE_METHODS.has(req.method)) {
        next(new ApiError('forbidden', `requests from ${origin} are not allowed: add it to CORS_ORIGINS to let its pages call this server`));
        return;
      }
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      return next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, Location');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, PUT, PATCH, DELETE');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, If-None-Match');
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
