import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { UnitPosition } from '../contract/units.ts';
import { createPositionStream, type PositionReceiver } from './position-stream.ts';

const T0 = Date.parse('2026-03-01T08:00:00Z');
const pos = (unitId: string, offsetMs: number): UnitPosition => ({ unitId, lon: 120, lat: 30, at: new Date(T0 + offsetMs).toISOString(), speed: null, heading: null });

describe('createPositionStream', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] });
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  function receiver(key: string): PositionReceiver & { got: { atMs: number; units: string[] }[] } {
    const got: { atMs: number; units: string[] }[] = [];
    return { key, got, emit: (positions) => got.push({ atMs: Date.now() - T0, units: positions.map((p) => `${p.unitId}@${Date.parse(p.at) - T0}`) }) };
  }

  it('sends what one tick published as one message per receiver, and the rest when due', async () => {
    const a = receiver('a');
    const b = receiver('b');
    const stream = createPositionStream({ receivers: () => [a, b] });
    stream.publish([pos('u1', 0), pos('u2', 0)]);
    stream.publish([pos('u1', 10)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(a.got).toEqual([{ atMs: 0, units: ['u1@10', 'u2@0'] }]);
    expect(b.got).toEqual(a.got);
    // u1 reports again within the second: it goes out one second after the last send, the newest only.
    await vi.advanceTimersByTimeAsync(300);
    stream.publish([pos('u1', 300)]);
    await vi.advanceTimersByTimeAsync(300);
    stream.publish([pos('u1', 600)]);
    await vi.advanceTimersByTimeAsync(399);
    expect(a.got).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(a.got.at(-1)).toEqual({ atMs: 1000, units: ['u1@600'] });
    stream.close();
  });

  it('forgets a receiver that left, and starts afresh one that arrives', async () => {
    const a = receiver('a');
    let present: PositionReceiver[] = [a];
    const stream = createPositionStream({ receivers: () => present });
    stream.publish([pos('u1', 0)]);
    await vi.advanceTimersByTimeAsync(0);
    stream.publish([pos('u1', 100)]);
    const c = receiver('c');
    present = [c];
    stream.publish([pos('u1', 200)]);
    await vi.advanceTimersByTimeAsync(0);
    // c never got u1, so it is due at once; a is gone and gets nothing more.
    expect(c.got).toEqual([{ atMs: 0, units: ['u1@200'] }]);
    await vi.advanceTimersByTimeAsync(2000);
    expect(a.got).toHaveLength(1);
    stream.close();
  });

  it('sends nothing after close', async () => {
    const a = receiver('a');
    const stream = createPositionStream({ receivers: () => [a] });
    stream.publish([pos('u1', 0)]);
    stream.close();
    await vi.advanceTimersByTimeAsync(2000);
    expect(a.got).toEqual([]);
  });
});
