/**
 * Who is calling: a bearer token (HTTP header), the sign-in cookie set by `?token=`, or the socket
 * handshake. Tokens resolve to a role; routes state the roles they allow.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Role } from '../contract/auth.ts';
import { ApiError } from './errors.ts';

export interface Principal {
  role: Role;
  name: string;
  /** The stored token's public id (absent for the administrator token from the environment). */
  tokenId?: string;
  /** When the token stops working (epoch ms). */
  expiresAt?: number;
}

export type ResolveToken = (token: string) => Promise<Principal | null>;

/** A resolver that can also say why a token was refused ("revoked on …", "expired on …"). */
export interface TokenResolver extends ResolveToken {
  refusal(token: string): Promise<string>;
  /** Drops a token from the cache at once (revocation on this node). */
  forget(tokenId: string): void;
}

export const COOKIE_NAME = 'citybrain_token';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The token a request carries: `Authorization: Bearer` first, then the sign-in cookie. */
export function requestToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] ?? '';
  }
  return readCookie(req.headers.cookie, COOKIE_NAME);
}

/**
 * Attaches `req.principal` when the request carries a valid token. A request without a token goes
 * on (routes decide); one with a token that is not valid is refused at once (401), so a revoked
 * token never silently reads public data as if signed out.
 */
/** Why `token` was refused ("revoked on …", "expired on …") when the resolver can say; never throws. */
export async function refusalOf(resolve: ResolveToken, token: string): Promise<string> {
  const fallback = 'the token is not valid';
  return 'refusal' in resolve ? (resolve as TokenResolver).refusal(token).catch(() => fallback) : fallback;
}

export function authenticate(resolve: ResolveToken): RequestHandler {
  return async (req, _res, next) => {
    const token = requestToken(req);
    if (token === undefined) return next();
    const principal = token ? await resolve(token) : null;
    if (!principal) {
      const why = token ? await refusalOf(resolve, token) : 'the token is not valid';
      next(new ApiError('unauthorized', `${why}: ask an administrator for a new one`));
      return;
    }
    req.principal = principal;
    next();
  };
}

/** Lets the request through only for the given roles (admins may do everything). */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const p = req.principal;
    if (!p) {
      next(new ApiError('unauthorized', 'sign in first: send "Authorization: Bearer <token>"'));
      return;
    }
    if (p.role !== 'admin' && !roles.includes(p.role)) {
      const allowed = [...new Set<Role>([...roles, 'admin'])].join(', ');
      next(new ApiError('forbidden', `the ${p.role} role may not do this; it needs one of: ${allowed}`));
      return;
    }
    next();
  };
}

/** Any signed-in role. */
export const requireSignedIn = requireRole('viewer', 'responder', 'planner', 'admin');

/**
 * `originalUrl` without its `token` parameter, as a path on this site. The URL parser resolves
 * `//evil.example` as a host, the path `/.//evil.example` to `//evil.example` and `/\evil.example` as
 * `//evil.example`; a browser following such a redirect goes to another site. Leading slashes and
 * backslashes collapse to one, before and after parsing, so the answer always starts with `/` and
 * a character that is neither.
 */
export function sameSiteAddress(originalUrl: string): string {
  const leading = /^[/\\]+/;
  const url = new URL(originalUrl.replace(leading, '/'), 'http://local');
  url.searchParams.delete('token');
  return `/${url.pathname.replace(leading, '')}${url.search}`;
}

/**
 * `?token=` on a page signs that browser in with an HttpOnly cookie and redirects to the same
 * address without the token, so it does not linger in history, bookmarks or over-the-shoulder.
 */
export function signInFromQuery(resolve: ResolveToken, secureCookie: boolean): RequestHandler {
  return async (req, res, next) => {
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token === undefined || req.method !== 'GET') return next();
    const clean = sameSiteAddress(req.originalUrl);
    if (!(await resolve(token))) {
      res.redirect(302, clean + (clean.includes('?') ? '&' : '?') + 'signin=failed');
      return;
    }
    res.cookie(COOKIE_NAME, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secureCookie,
      path: '/',
      maxAge: 1000 * 60 * 60 * 24 * 365,
    });
    res.redirect(302, clean);
  };
}
