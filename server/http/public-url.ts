/**
 * The origin that absolute URLs (a parcel's QR code) name. `PUBLIC_URL` when set; otherwise the
 * request's `Host` only when it is this server's own address, localhost, or listed in
 * `PUBLIC_HOSTS`. Any other `Host` (a forged header, DNS rebinding) gets the address the
 * connection actually reached, so a QR code printed or cached never points at someone else's site.
 */
import type { Request } from 'express';

export interface PublicBase {
  /** Origin (and path prefix, if any) without a trailing slash. */
  url: string;
  /** The answer depends on the request's `Host`: caches must key on it (`Vary: Host`). */
  variesWithHost: boolean;
}

export interface PublicUrlSettings {
  publicUrl: string | undefined;
  /** Extra allowed `host` or `host:port` values, lower-case (`PUBLIC_HOSTS`). */
  publicHosts: readonly string[];
}

/** `::ffff:10.0.0.5` (IPv4 on a dual-stack socket) → `10.0.0.5`; other IPv6 in brackets. */
function hostOf(address: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (v4) return v4;
  return address.includes(':') ? `[${address}]` : address;
}

/** The address this connection reached, as `host:port`: ours, whatever the client claims. */
export function ownHost(req: Request): string {
  return `${hostOf(req.socket.localAddress ?? '127.0.0.1')}:${req.socket.localPort ?? 80}`;
}

export function publicBaseUrl(settings: PublicUrlSettings): (req: Request) => PublicBase {
  const listed = new Set(settings.publicHosts.map((h) => h.toLowerCase()));
  return (req) => {
    if (settings.publicUrl) return { url: settings.publicUrl, variesWithHost: false };
    const own = ownHost(req);
    const port = own.slice(own.lastIndexOf(':') + 1);
    const claimed = (req.headers.host ?? '').toLowerCase();
    const allowed = claimed === own || claimed === `localhost:${port}` || listed.has(claimed);
    return { url: `${req.protocol}://${allowed ? claimed : own}`, variesWithHost: true };
  };
}
