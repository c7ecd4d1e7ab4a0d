/** Same-origin HTTP calls to the City Brain API; the sign-in cookie travels with every request. */
import { API_PREFIX } from '#contract/index.ts';
import type {
  ErrorBody,
  Health,
  IncidentCollection,
  IncidentFeature,
  IncidentHistory,
  IncidentPatch,
  RegionCollection,
  RiskHistory,
  RiskSnapshot,
  SessionInfo,
} from '#contract/index.ts';

/** A failed call, with the server's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface JsonRequest {
  method?: 'GET' | 'PATCH' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

/** A same-origin JSON request; a failure is an `ApiError` carrying the server's own message. */
export async function requestJson<T>(path: string, signal?: AbortSignal, init: JsonRequest = {}): Promise<T> {
  const response = await fetch(`${API_PREFIX}${path}`, {
    ...init,
    headers: { accept: 'application/json', ...init.headers },
    signal: signal ?? null,
  });
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

export const fetchHealth = (signal?: AbortSignal) => requestJson<Health>('/health', signal);
export const fetchRegions = (signal?: AbortSignal) => requestJson<RegionCollection>('/regions', signal);
/** Every incident but drills (the server leaves them out unless asked). */
export const fetchIncidents = (signal?: AbortSignal) => requestJson<IncidentCollection>('/incidents', signal);
/** Drills listed at most: an exercise is a few dozen messages; more would be a feed gone wrong, and `truncated` says so. */
export const DRILL_LIST_LIMIT = 1_000;
/** Drills only (exercises, tests, drafts), for the console's drill list: never mixed with the live incidents. */
export const fetchDrills = (signal?: AbortSignal) =>
  requestJson<IncidentCollection>(`/incidents?drill=only&limit=${DRILL_LIST_LIMIT}`, signal);

/** The current five-colour ratings of every region. */
export const fetchRisk = (signal?: AbortSignal) => requestJson<RiskSnapshot>('/risk', signal);
/** The ratings as recorded at `atMs` (each region's last change at or before it). */
export const fetchRiskAt = (atMs: number, signal?: AbortSignal) => requestJson<RiskSnapshot>(`/risk?at=${atMs}`, signal);
/** The last 7 days of level changes, ending at the server's now (its `to`). */
export const fetchRiskHistory = (signal?: AbortSignal) => requestJson<RiskHistory>('/risk/history', signal);

export const fetchIncidentHistory = (id: string, signal?: AbortSignal) =>
  requestJson<IncidentHistory>(`/incidents/${encodeURIComponent(id)}/history`, signal);

/**
 * Moves an incident one step on (responder, admin). A refused step throws an `ApiError` with the
 * server's message, which names the steps that are allowed (HTTP 409).
 */
export const patchIncident = (id: string, patch: IncidentPatch) =>
  requestJson<IncidentFeature>(`/incidents/${encodeURIComponent(id)}`, undefined, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });

/** Who is signed in, or `null` when nobody is (HTTP 401). */
export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    return await requestJson<SessionInfo>('/session', signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
