/** Same-origin HTTP calls to the City Brain API; the sign-in cookie travels with every request. */
import { API_PREFIX } from '../../server/contract/index.ts';
import type { ErrorBody, Health, IncidentCollection, RegionCollection, SessionInfo } from '../../server/contract/index.ts';

/** A failed call, with the server's own message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(`${API_PREFIX}${path}`, { headers: { accept: 'application/json' }, signal });
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

export const fetchHealth = (signal?: AbortSignal) => getJson<Health>('/health', signal);
export const fetchRegions = (signal?: AbortSignal) => getJson<RegionCollection>('/regions', signal);
export const fetchIncidents = (signal?: AbortSignal) => getJson<IncidentCollection>('/incidents', signal);

/** Who is signed in, or `null` when nobody is (HTTP 401). */
export async function fetchSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    return await getJson<SessionInfo>('/session', signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}
