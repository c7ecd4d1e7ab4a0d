import { describe, expect, it } from 'vitest';
import type { Incident } from '#contract/index.ts';
import { isAlarming, responderQueue } from './queue.ts';

const incident = (id: string, severity: Incident['severity'], status: Incident['status'], reportedAt: string): Incident =>
  ({ id, severity, status, reportedAt, occurredAt: reportedAt, title: id, category: 'fire' }) as Incident;

describe('responderQueue', () => {
  it('keeps open incidents only, extreme first, then the oldest report first', () => {
    const queue = responderQueue([
      incident('minor-old', 'minor', 'reported', '2026-01-01T08:00:00Z'),
      incident('extreme-new', 'extreme', 'acknowledged', '2026-01-01T10:00:00Z'),
      incident('severe-done', 'severe', 'resolved', '2026-01-01T07:00:00Z'),
      incident('extreme-old', 'extreme', 'dispatched', '2026-01-01T09:00:00Z'),
      incident('unknown', 'unknown', 'reported', '2026-01-01T06:00:00Z'),
      incident('severe-rejected', 'severe', 'rejected', '2026-01-01T05:00:00Z'),
      incident('extreme-cancelled', 'extreme', 'cancelled', '2026-01-01T04:00:00Z'),
      incident('moderate', 'moderate', 'reported', '2026-01-01T11:00:00Z'),
    ]);
    // Written out by hand from the rule; the cancelled one left the queue like the resolved and rejected ones.
    expect(queue.map((i) => i.id)).toEqual(['extreme-old', 'extreme-new', 'moderate', 'minor-old', 'unknown']);
  });

  it('alerts for severe and extreme only', () => {
    expect(['unknown', 'minor', 'moderate', 'severe', 'extreme'].filter((s) => isAlarming(incident('x', s as Incident['severity'], 'reported', '2026-01-01T00:00:00Z')))).toEqual(['severe', 'extreme']);
  });
});
