/** Query parameters several routers read the same way. */
import type { Request } from 'express';
import { Instant } from '../contract/incidents.ts';
import { ApiError } from './errors.ts';

/** An instant from a query parameter: ISO 8601 or epoch milliseconds; `undefined` when absent. */
export function instantParam(req: Request, name: string): number | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new ApiError('invalid_query', `${name} must be given once`, [{ path: name, message: 'repeated parameter' }]);
  const parsed = Instant.safeParse(/^\d+$/.test(raw) ? Number(raw) : raw);
  if (!parsed.success) {
    throw new ApiError('invalid_query', `${name} must be an ISO 8601 date-time (e.g. 2026-11-23T08:00:00+08:00) or epoch milliseconds, not "${raw}"`, [
      { path: name, message: 'invalid date-time' },
    ]);
  }
  return new Date(parsed.data).getTime();
}
