import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../contract/events.ts';
import { bufferPublished, createReplayGate, REPLAY_BUFFER_MAX_EVENTS, type ReplayBuffer } from './replay.ts';

const regions = (seq: number): LogEvent => ({ type: 'regions:replaced', seq, payload: { seq, count: 1 } });

describe('replay gate', () => {
  it('lets two in, the third waits its turn in arrival order, and a slot given back twice counts once', async () => {
    const gate = createReplayGate(2);
    const order: string[] = [];
    const a = await gate.enter();
    const b = await gate.enter();
    const c = gate.enter().then((leave) => (order.push('c'), leave));
    const d = gate.enter().then((leave) => (order.push('d'), leave));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    expect([gate.active, gate.waiting]).toEqual([2, 2]);
    a();
    a();
    await c;
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['c']);
    b();
    (await d)();
    (await c)();
    expect([gate.active, gate.waiting]).toEqual([0, 0]);
  });

  it('runs pages one at a time, each after a turn of the event loop', async () => {
    const gate = createReplayGate(2);
    let running = 0;
    let most = 0;
    const page = () =>
      gate.page(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      });
    await Promise.all([page(), page(), page()]);
    expect(most).toBe(1);
  });
});

describe('replay buffer', () => {
  it('keeps what was published up to the cap; past it, drops it all and says how far the log must be read', () => {
    const buffer: ReplayBuffer = { events: [], droppedThrough: 0 };
    bufferPublished(buffer, [regions(1), regions(2)]);
    expect(buffer.events.map((e) => e.seq)).toEqual([1, 2]);
    const flood = Array.from({ length: REPLAY_BUFFER_MAX_EVENTS }, (_, i) => regions(3 + i));
    bufferPublished(buffer, flood);
    expect(buffer.events).toEqual([]);
    expect(buffer.droppedThrough).toBe(REPLAY_BUFFER_MAX_EVENTS + 2);
    bufferPublished(buffer, [regions(REPLAY_BUFFER_MAX_EVENTS + 3)]);
    expect(buffer.events.map((e) => e.seq)).toEqual([REPLAY_BUFFER_MAX_EVENTS + 3]);
    expect(buffer.droppedThrough).toBe(REPLAY_BUFFER_MAX_EVENTS + 2);
  });
});
