import { describe, expect, it } from 'vitest';
import { NEXT_STATUSES, Status } from '#contract/index.ts';
import { isClosed, isDrill, isOpen, isOperatorStep } from './incident-status.ts';

describe('incident status', () => {
  it('counts resolved, rejected and cancelled as closed, and the three working statuses as open', () => {
    const closed = Status.options.filter((status) => isClosed({ status }));
    expect(closed).toEqual(['resolved', 'rejected', 'cancelled']);
    expect(Status.options.filter((status) => isOpen({ status }))).toEqual(['reported', 'acknowledged', 'dispatched']);
  });

  it('offers an operator every next step but never cancelled, which only a source sets', () => {
    expect(Status.options.filter(isOperatorStep)).toEqual(['acknowledged', 'dispatched', 'resolved', 'rejected']);
    // The workflow itself never leads there either; the filter is what the buttons rely on.
    expect(Object.values(NEXT_STATUSES).flat()).not.toContain('cancelled');
  });

  it('reads a missing drill flag (a server from before it) as a real incident', () => {
    expect(isDrill({ drill: true })).toBe(true);
    expect(isDrill({ drill: false })).toBe(false);
    expect(isDrill({})).toBe(false);
  });
});
