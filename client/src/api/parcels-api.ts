/**
 * Same-origin calls to the parcels API (docs/domain.md §6) for the parcel panel and the planner desk; errors are
 * city-api.ts's `ApiError`, carrying the server's own message (a mistyped code's 404 says which character).
 */
import { API_PREFIX, type ParcelCollection, type ParcelDetail, type ParcelSurroundings } from '#contract/index.ts';
import { requestJson } from './city-api.ts';

/** Parcels whose code, name or address contains `q`; at most `limit`, `truncated` when there were more. */
export const searchParcels = (q: string, limit: number, signal?: AbortSignal) =>
  requestJson<ParcelCollection>(`/parcels?q=${encodeURIComponent(q)}&limit=${limit}`, signal);

/** A parcel and its whole lifecycle; a code nobody has is an `ApiError` with status 404. */
export const fetchParcel = (code: string, signal?: AbortSignal) => requestJson<ParcelDetail>(`/parcels/${encodeURIComponent(code)}`, signal);

/** Facilities, open incidents, other parcels and residents within `radiusM` of the parcel's center. */
export const fetchParcelSurroundings = (code: string, radiusM: number, signal?: AbortSignal) =>
  requestJson<ParcelSurroundings>(`/parcels/${encodeURIComponent(code)}/surroundings?radius=${radiusM}`, signal);

/** The parcel's QR code (public: it encodes only the public page `/p/{code}`). */
export const parcelQrSvgUrl = (code: string): string => `${API_PREFIX}/parcels/${encodeURIComponent(code)}/qr.svg`;

/** The public page the QR code leads to. */
export const parcelPublicPath = (code: string): string => `/p/${encodeURIComponent(code)}`;
