/**
 * Authentication and permissions on HTTP: express middleware over server/auth/. Who a request
 * comes from (bearer token or the sign-in cookie), and whether its role has the capability a route
 * asks for (the table is `ROLE_CAPABILITIES` in the contract).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { can, type Actor, type Capability } from '../contract/auth.ts';
import { COOKIE_NAME, tokenFromHeaders } from '../auth/credentials.ts';
import { authorise } from '../auth/permissions.ts';
import { refusalOf, type Principal, type ResolveToken } from '../auth/principal.ts';
import { ApiError } from './errors.ts';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** The token a request carries: `Authorization: Bearer` first, then the sign-in cookie. */
export function requestToken(req: Request): string | undefined {
  return tokenFromHeaders(req.headers);
}

/**
 * Attaches `req.principal` when the request carries a valid token. A request without a token goes
 * on (routes decide); one with a token that is not valid is refused at once (401), so a revoked
 * token never silently reads public data as if signed out.
 */
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

/** Lets the request through only when the caller's role has `capability` (401 signed out, 403 otherwise). */
export function requireCapability(capability: Capability): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const refusal = authorise(req.principal, capability);
    next(refusal ? new ApiError(refusal.code, refusal.message) : undefined);
  };
}

/** Whether the caller (signed out: as a viewer) has `capability`: for answers shaped by it, such as masking. */
export function callerCan(req: Request, capability: Capability): boolean {
  return can(req.principal?.role ?? 'viewer', capability);
}

/** Who is acting, for the audit trail: the principal a capability check let through. */
export function actorOf(req: Request): Actor {
  const p = req.principal;
  if (!p) throw new ApiError('unauthorized', 'sign in first: send "Authorization: Bearer <token>"');
  return { name: p.name, role: p.role };
}

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
