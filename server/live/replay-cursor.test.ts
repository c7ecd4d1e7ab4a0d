/**
 * The replay cursor against an event log in memory: whatever is committed and published while a
 * socket replays, it must end up with every event after its `since` exactly once, in order. The
 * expected list is the naive model: every seq from `since + 1` to the head, filtered by layer.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { fakeRooms, fakeSocket, memoryEventLog, regionsEvent, riskConfiguredEvent, seqRange, type FakeSocket, type MemoryEventLog } from '../../test/support/live-fakes.ts';
import type { LogEvent } from '../contract/events.ts';
import { createFanOut } from './fan-out.ts';
import { REPLAY_BUFFER_MAX_EVENTS, createReplayGate } from './replay.ts';
import { catchUp } from './replay-cursor.ts';
import { parseSubscription } from './subscription.ts';

const logger = pino({ level: 'silent' });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Events alternate between two layers, so a layer filter has something to drop. */
const eventAt = (seq: number): LogEvent => (seq % 3 === 0 ? riskConfiguredEvent(seq) : regionsEvent(seq));
const LAYER_OF: Record<string, string> = { 'regions:replaced': 'regions', 'risk:configured': 'risk' };

/** One server node: its log, its fan-out, and a commit that is stored and then published (as the writers do). */
function node(committed: number) {
  const log = memoryEventLog(seqRange(1, committed).map(eventAt));
  const sockets: FakeSocket[] = [];
  const fanOut = createFanOut(fakeRooms(sockets), committed);
  const store = (count: number): LogEvent[] => {
    const from = (log.events.at(-1)?.seq ?? 0) + 1;
    const events = seqRange(from, from + count - 1).map(eventAt);
    log.append(events);
    return events;
  };
  return {
    log,
    fanOut,
    /** Stores events and publishes them at once. */
    commit: (count: number) => fanOut.publish(store(count)),
    /** Stores events; the caller publishes them later (another node's commit, handed on late). */
    store,
    connect(socket: FakeSocket, waitForPublishMs?: number) {
      sockets.push(socket);
      return catchUp({ socket, log, fanOut, gate: createReplayGate(2), sendBufferBytes: 8 * 1024 * 1024, sendBuffer: undefined, dropSlow: () => {}, serverVersion: 'test', timeZone: 'Asia/Shanghai', logger, ...(waitForPublishMs !== undefined && { waitForPublishMs }) });
    },
  };
}

const head = (log: MemoryEventLog) => log.events.at(-1)?.seq ?? 0;
const payloadOf = (socket: FakeSocket, event: string) => socket.received.find((r) => r.event === event)?.payload;

describe('replay cursor', () => {
  it('resumes from since: hello names the head, the missed events follow in order, then replay:done, then live', async () => {
    const n = node(120);
    const socket = fakeSocket({ since: 37 });
    expect(await n.connect(socket)).toBe(true);
    expect(socket.received[0]).toMatchObject({ event: 'hello', payload: { seq: 120, role: 'admin' } });
    expect(socket.seqs()).toEqual(seqRange(38, 120));
    expect(socket.received.at(-1)).toEqual({ event: 'replay:done', payload: { seq: 120, replayed: 120 - 37 } });
    n.commit(2);
    await tick();
    expect(socket.seqs()).toEqual(seqRange(38, 122));
  });

  it('without since it starts at the head: nothing replayed, live from there', async () => {
    const n = node(20);
    const socket = fakeSocket();
    await n.connect(socket);
    expect(socket.seqs()).toEqual([]);
    expect(payloadOf(socket, 'replay:done')).toEqual({ seq: 20, replayed: 0 });
    n.commit(3);
    await tick();
    expect(socket.seqs()).toEqual([21, 22, 23]);
  });

  it('asks for a snapshot when since is older than the log holds, or from another history', async () => {
    const n = node(50);
    n.log.trimThrough(30);
    const old = fakeSocket({ since: 10 });
    const future = fakeSocket({ since: 51 });
    const justInTime = fakeSocket({ since: 30 });
    await n.connect(old);
    await n.connect(future);
    await n.connect(justInTime);
    expect(payloadOf(old, 'snapshot:required')).toEqual({ since: 10, oldest: 31, head: 50 });
    expect(payloadOf(future, 'snapshot:required')).toEqual({ since: 51, oldest: 31, head: 50 });
    expect(payloadOf(justInTime, 'snapshot:required')).toBeUndefined();
    expect(old.seqs()).toEqual([]);
    expect(justInTime.seqs()).toEqual(seqRange(31, 50));
    for (const s of [old, future]) expect(payloadOf(s, 'replay:done')).toEqual({ seq: 50, replayed: 0 });
  });

  it('a layer subscription filters the replay and what follows it alike', async () => {
    const n = node(60);
    const filter = parseSubscription({ layers: ['risk'] });
    if (!filter.ok) throw new Error(filter.message);
    const socket = fakeSocket({ since: 10, filter: filter.filter, batch: false });
    await n.connect(socket);
    n.commit(9);
    await tick();
    const expected = n.log.events.filter((e) => e.seq > 10 && LAYER_OF[e.type] === 'risk').map((e) => e.seq);
    expect(socket.seqs()).toEqual(expected);
    expect(payloadOf(socket, 'replay:done')).toEqual({ seq: 60, replayed: expected.filter((s) => s <= 60).length });
  });

  it('whatever is committed during the replay reads, a burst past the hold included, every event arrives once and in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 }),
        fc.option(fc.nat({ max: 7 })),
        fc.boolean(),
        async (committed, sinceBack, perRead, burstAt, flushInRead) => {
          const n = node(committed);
          const since = Math.max(0, committed - sinceBack);
          let read = 0;
          n.log.onRead = async () => {
            const i = read++;
            if (i === burstAt) n.commit(REPLAY_BUFFER_MAX_EVENTS + 50);
            if (perRead[i]) n.commit(perRead[i]!);
            // Flushed during the read, the events go to the hold (past its cap, only the log has
            // them); otherwise the cursor's own flush before going live finds them pending.
            if (flushInRead) await tick();
          };
          const socket = fakeSocket({ since });
          expect(await n.connect(socket)).toBe(true);
          const done = payloadOf(socket, 'replay:done') as { seq: number; replayed: number };
          n.log.onRead = undefined;
          n.commit(1);
          await tick();
          expect(socket.seqs()).toEqual(seqRange(since + 1, head(n.log)));
          expect(done.seq).toBe(head(n.log) - 1);
          expect(done.replayed).toBe(done.seq - since);
          expect(n.fanOut.holds(socket.id)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('waits for this node to be handed what its replay read before going live (a commit on another node)', async () => {
    const n = node(100);
    // Committed, but not yet handed to this node (its log follower reads them a moment later).
    const late = n.store(5);
    const socket = fakeSocket({ since: 90 });
    const connecting = n.connect(socket);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(payloadOf(socket, 'replay:done')).toBeUndefined();
    n.fanOut.publish(late);
    await connecting;
    await tick();
    expect(socket.seqs()).toEqual(seqRange(91, 105));
    expect(payloadOf(socket, 'replay:done')).toEqual({ seq: 105, replayed: 15 });
  });

  it('a socket that goes away mid-replay is sent nothing more and the log is read no further', async () => {
    const n = node(3000);
    const socket = fakeSocket({ since: 0 });
    n.log.onRead = () => {
      socket.connected = false;
    };
    expect(await n.connect(socket)).toBe(false);
    expect(n.log.reads).toBe(1);
    expect(socket.seqs()).toEqual([]);
    expect(payloadOf(socket, 'replay:done')).toBeUndefined();
  });
});
