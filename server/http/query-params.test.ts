import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { instantParam } from './query-params.ts';

const request = (query: Record<string, unknown>) => ({ query }) as unknown as Request;

describe('instantParam', () => {
  it('reads epoch milliseconds and ISO 8601 with an offset as the same instant', () => {
    // 08:00 in UTC+8 is midnight UTC of the same day.
    const midnightUtc = Date.UTC(2026, 10, 23, 0, 0, 0);
    expect(instantParam(request({ at: String(midnightUtc) }), 'at')).toBe(midnightUtc);
    expect(instantParam(request({ at: '2026-11-23T08:00:00+08:00' }), 'at')).toBe(midnightUtc);
  });

  it('is undefined when the parameter is absent', () => {
    expect(instantParam(request({ to: '0' }), 'from')).toBeUndefined();
  });

  it('refuses a repeated parameter and a value that is no date, naming the parameter', () => {
    const refusal = (query: Record<string, unknown>) => {
      try {
        instantParam(request(query), 'from');
      } catch (err) {
        return err instanceof ApiError ? { code: err.code, message: err.message, path: err.details[0]?.path } : err;
      }
      return 'accepted';
    };
    expect(refusal({ from: ['1', '2'] })).toMatchObject({ code: 'invalid_query', message: 'from must be given once', path: 'from' });
    expect(refusal({ from: 'yesterday' })).toMatchObject({ code: 'invalid_query', path: 'from' });
    expect((refusal({ from: 'yesterday' }) as { message: string }).message).toContain('"yesterday"');
  });
});
