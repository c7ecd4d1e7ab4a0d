/**
 * Same-origin calls to the service-equity API (docs/domain.md §7) for the equity view; failures are the
 * wall's `ApiError`, carrying the server's own message.
 */
import type { EquityMethod, EquityResult, FacilityCollection, WhatIfAddition, WhatIfResult } from '#contract/equity.ts';
import { requestJson } from './city-api.ts';

/** What the equity view asks for: one kind of facility, its catchment and the access method. */
export interface EquityRequest {
  kind: string;
  radiusM: number;
  method: EquityMethod;
}

const query = ({ kind, radiusM, method }: EquityRequest): string =>
  `kind=${encodeURIComponent(kind)}&radius=${radiusM}&method=${method}`;

/** Access per population cell, the indices, districts and hotspots, as stored now. */
export const fetchEquity = (request: EquityRequest, signal?: AbortSignal) => requestJson<EquityResult>(`/equity?${query(request)}`, signal);

/** Every facility of one kind, as GeoJSON points. */
export const fetchFacilities = (kind: string, signal?: AbortSignal) =>
  requestJson<FacilityCollection>(`/facilities?kind=${encodeURIComponent(kind)}`, signal);

/** The answer as if `add` were built; the server stores nothing. */
export const postWhatIf = (request: EquityRequest, add: readonly WhatIfAddition[], signal?: AbortSignal) =>
  requestJson<WhatIfResult>('/equity/what-if', signal, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: request.kind, radius: request.radiusM, method: request.method, add, remove: [], resize: [] }),
  });
