import { describe, expect, it } from 'vitest';
import { chunkSizer } from './incidents.ts';

describe('chunkSizer: rows per write transaction from the measured cost per row', () => {
  it('starts at 200 rows (within the bounds) before anything is measured', () => {
    expect(chunkSizer(40, 50, 2000).next()).toBe(200);
    expect(chunkSizer(40, 500, 2000).next()).toBe(500);
  });

  it('sizes to the budget: 0.5 ms a row and a 40 ms budget give 80 rows', () => {
    const sizer = chunkSizer(40, 10, 2000);
    sizer.observe(200, 100); // 0.5 ms a row
    expect(sizer.next()).toBe(80);
  });

  it('moves 30% of the way to each new measurement, and stays within the bounds', () => {
    const sizer = chunkSizer(40, 50, 2000);
    sizer.observe(100, 100); // 1 ms a row
    sizer.observe(100, 10); // 0.1 ms a row: average 0.7 × 1 + 0.3 × 0.1 = 0.73
    expect(sizer.next()).toBe(Math.floor(40 / 0.73));
    sizer.observe(10, 10_000); // a stalled transaction: 1,000 ms a row
    expect(sizer.next()).toBe(50);
    const fast = chunkSizer(40, 50, 2000);
    fast.observe(1000, 1); // 0.001 ms a row would ask for 40,000
    expect(fast.next()).toBe(2000);
  });

  it('ignores empty or unmeasurable transactions', () => {
    const sizer = chunkSizer(40, 50, 2000);
    sizer.observe(0, 5);
    sizer.observe(10, Number.NaN);
    expect(sizer.next()).toBe(200);
  });
});
