/**
 * Same-origin calls to the parcels API (DOMAIN §5) for the planner views; errors are the wall's
 * `ApiError`, carrying the server's own message (a mistyped code's 404 says which character).
 */
import { API_PREFIX } from '../../server/contract/index.ts';
import type { ErrorBody, ParcelCollection, ParcelDetail, ParcelSurroundings } from '../../server/contract/index.ts';
import { ApiError } from './api.ts';

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`${API_PREFIX}${path}`, { headers: { accept: 'application/json' }, signal: signal ?? null });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as Partial<ErrorBody>;
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not JSON (a proxy's error page): the status line is all we can say.
    }
    throw new ApiError(response.status, message);
  }
  return (await response.json()) as T;
}

/** Parcels whose code, name or address contains `q`; at most `limit`, `truncated` when there were more. */
export const searchParcels = (q: string, limit: number, signal?: AbortSignal) =>
  getJson<ParcelCollection>(`/parcels?q=${encodeURIComponent(q)}&limit=${limit}`, signal);

/** A parcel and its whole lifecycle; a code nobody has is an `ApiError` with status 404. */
export const fetchParcel = (code: string, signal?: AbortSignal) => getJson<ParcelDetail>(`/parcels/${encodeURIComponent(code)}`, signal);

/** Facilities, open incidents, other parcels and residents within `radiusM` of the parcel's center. */
export const fetchParcelSurroundings = (code: string, radiusM: number, signal?: AbortSignal) =>
  getJson<ParcelSurroundings>(`/parcels/${encodeURIComponent(code)}/surroundings?radius=${radiusM}`, signal);

/** The parcel's QR code (public: it encodes only the public page `/p/{code}`). */
export const parcelQrSvgUrl = (code: string): string => `${API_PREFIX}/parcels/${encodeURIComponent(code)}/qr.svg`;

/** The public page the QR code leads to. */
export const parcelPublicPath = (code: string): string => `/p/${encodeURIComponent(code)}`;
