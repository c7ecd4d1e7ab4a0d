import { describe, expect, it } from 'vitest';
import { fakeRooms, fakeSocket, regionsEvent, riskConfiguredEvent, seqRange } from '../../test/support/live-fakes.ts';
import type { LogEvent } from '../contract/events.ts';
import { createFanOut } from './fan-out.ts';
import { parseSubscription } from './subscription.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const filterOf = (input: unknown) => {
  const parsed = parseSubscription(input);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
};
/** Which layer each event type in these tests belongs to, written out by hand. */
const LAYER_OF: Record<string, string> = { 'regions:replaced': 'regions', 'risk:configured': 'risk' };
/** Events 1..n, alternating regions and risk. */
const mixed = (from: number, to: number): LogEvent[] => seqRange(from, to).map((s) => (s % 2 ? regionsEvent(s) : riskConfiguredEvent(s)));

describe('fan-out', () => {
  it('sends what is published in one tick together: one batch message, or one message per event', async () => {
    const batch = fakeSocket({ batch: true });
    const single = fakeSocket({ batch: false });
    const fanOut = createFanOut(fakeRooms([batch, single]), 0);
    fanOut.goLive(batch);
    fanOut.goLive(single);
    fanOut.publish([regionsEvent(1), regionsEvent(2)]);
    fanOut.publish([regionsEvent(3)]);
    expect(batch.received).toEqual([]);
    await tick();
    expect(batch.received.map((r) => r.event)).toEqual(['events:batch']);
    expect(batch.seqs()).toEqual([1, 2, 3]);
    expect(single.received.map((r) => r.event)).toEqual(['regions:replaced', 'regions:replaced', 'regions:replaced']);
    expect(single.seqs()).toEqual([1, 2, 3]);
    expect(fanOut.publishedSeq).toBe(3);
  });

  it('every live socket gets each event once; a narrower subscription gets only its layers', async () => {
    const admin = fakeSocket({ role: 'admin' });
    const viewer = fakeSocket({ role: 'viewer' });
    const riskOnly = fakeSocket({ role: 'viewer', filter: filterOf({ layers: ['risk'] }) });
    const fanOut = createFanOut(fakeRooms([admin, viewer, riskOnly]), 0);
    for (const s of [admin, viewer, riskOnly]) fanOut.goLive(s);
    const events = mixed(1, 9);
    fanOut.publish(events.slice(0, 4));
    await tick();
    fanOut.publish(events.slice(4));
    await tick();
    const all = events.map((e) => e.seq);
    expect(admin.seqs()).toEqual(all);
    expect(viewer.seqs()).toEqual(all);
    expect(riskOnly.seqs()).toEqual(events.filter((e) => LAYER_OF[e.type] === 'risk').map((e) => e.seq));
  });

  it('changing a live socket\'s subscription moves it, without sending anything twice', async () => {
    const socket = fakeSocket();
    const fanOut = createFanOut(fakeRooms([socket]), 0);
    fanOut.goLive(socket);
    fanOut.publish(mixed(1, 2));
    await tick();
    socket.data.filter = filterOf({ layers: ['regions'] });
    fanOut.goLive(socket);
    fanOut.publish(mixed(3, 6));
    await tick();
    socket.data.filter = filterOf(undefined);
    fanOut.goLive(socket);
    fanOut.goLive(socket);
    fanOut.publish(mixed(7, 8));
    await tick();
    expect(socket.seqs()).toEqual([1, 2, 3, 5, 7, 8]);
  });

  it('holds what is published for a replaying socket and sends it nothing live until it goes live', async () => {
    const replaying = fakeSocket();
    const fanOut = createFanOut(fakeRooms([replaying]), 10);
    const held = fanOut.hold(replaying.id);
    expect(fanOut.holds(replaying.id)).toBe(true);
    fanOut.publish(mixed(11, 13));
    await tick();
    expect(replaying.received).toEqual([]);
    expect(held.events.map((e) => e.seq)).toEqual([11, 12, 13]);
    fanOut.release(replaying.id);
    fanOut.goLive(replaying);
    fanOut.publish(mixed(14, 14));
    await tick();
    expect(replaying.seqs()).toEqual([14]);
    expect(held.events.map((e) => e.seq)).toEqual([11, 12, 13]);
  });

  it('a forgotten socket is sent nothing more', async () => {
    const gone = fakeSocket({ filter: filterOf({ layers: ['regions'] }) });
    const fanOut = createFanOut(fakeRooms([gone]), 0);
    fanOut.goLive(gone);
    fanOut.forget(gone.id);
    fanOut.publish(mixed(1, 3));
    await tick();
    expect(gone.received).toEqual([]);
  });

  it('publishedSeq starts at the seq handed on before, and nextFlush wakes on the next flush or after its wait', async () => {
    const fanOut = createFanOut(fakeRooms([]), 40);
    expect(fanOut.publishedSeq).toBe(40);
    let woken = false;
    const waiting = fanOut.nextFlush(60_000).then(() => (woken = true));
    await tick();
    expect(woken).toBe(false);
    fanOut.publish([regionsEvent(41)]);
    await waiting;
    expect(fanOut.publishedSeq).toBe(41);
    const started = Date.now();
    await fanOut.nextFlush(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
