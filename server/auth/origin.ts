/** Which pages may call us from another origin: CORS for HTTP and the socket handshake use this one rule. */

/**
 * `undefined` (no `Origin` header: a same-origin navigation, curl, a sensor) is allowed: CORS is a
 * browser rule and non-browser clients are held by their token. Otherwise the origin must be this
 * server's own (its host equals the `Host` header) or listed in `CORS_ORIGINS`.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
  if (host !== undefined && url.host.toLowerCase() === host.toLowerCase()) return true;
  return allowed.includes(url.origin);
}
