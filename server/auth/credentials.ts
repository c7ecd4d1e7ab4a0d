/**
 * Where a caller's token travels: `Authorization: Bearer` on HTTP, `auth.token` in the socket
 * handshake, or the HttpOnly sign-in cookie a page's `?token=` set (read by both).
 */

/** The sign-in cookie's name. */
export const COOKIE_NAME = 'citybrain_token';

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

/**
 * The token of an HTTP request: `Authorization: Bearer` first, then the sign-in cookie. A malformed
 * `Authorization` header gives `''` (a token that is not valid), never a fall-back to the cookie.
 */
export function tokenFromHeaders(headers: { authorization?: string | undefined; cookie?: string | undefined }): string | undefined {
  if (headers.authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization);
    return match?.[1] ?? '';
  }
  return readCookie(headers.cookie, COOKIE_NAME);
}
