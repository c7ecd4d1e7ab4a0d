/**
 * The hand-over from replay to live when a burst lands in the worst moment: just after the
 * replay's last read of the log and before the socket went live, more events than a replaying
 * socket may buffer. They are dropped from its buffer, so the replay must read on from the log.
 * The log here is a stand-in (an array) so the burst can be placed in that exact moment; the hub,
 * socket.io and the client are real.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, LogEvent, ServerToClientEvents } from '../contract/events.ts';
import type { EventLogReader } from '../store/event-log.ts';
import { createLiveHub, type LiveHub } from './hub.ts';
import { REPLAY_BUFFER_MAX_EVENTS } from './replay.ts';

const regions = (seq: number): LogEvent => ({ type: 'regions:replaced', seq, payload: { seq, count: 1 } });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('replay hand-over', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a burst larger than the replay buffer, published right after the last read, still arrives once and in order', async () => {
    const committed: LogEvent[] = range(1, 300).map(regions);
    const burst = range(301, 300 + REPLAY_BUFFER_MAX_EVENTS + 500).map(regions);
    let hub: LiveHub | undefined;
    let burstSent = false;
    const log: EventLogReader = {
      head: async () => committed.length,
      oldest: async () => 1,
      async after(after, limit) {
        const page = committed.filter((e) => e.seq > after).slice(0, limit);
        // The last read came back short: the burst commits now, and is published before the
        // socket goes live (it is buffered, overflows, and only the log has it).
        if (page.length < limit && !burstSent) {
          burstSent = true;
          committed.push(...burst);
          hub!.publish(burst);
          await new Promise((r) => setImmediate(r));
        }
        return page;
      },
    };
    const httpServer = createServer();
    hub = createLiveHub({ httpServer, resolveToken: async (t) => (t === 'admin-token' ? { role: 'admin', name: 'test' } : null), log, logger: pino({ level: 'silent' }), version: 'test', timeZone: 'Asia/Shanghai', startSeq: 300 });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => hub!.close());
    const { port } = httpServer.address() as AddressInfo;

    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, { auth: { token: 'admin-token', batch: true, since: 0 }, transports: ['websocket'], forceNew: true, reconnection: false });
    cleanups.push(() => client.disconnect());
    const seqs: number[] = [];
    client.on('events:batch', (batch) => seqs.push(...batch.map((e) => e.seq)));
    const done = await new Promise<{ seq: number; replayed: number }>((resolve) => client.once('replay:done', resolve));
    expect(burstSent).toBe(true);
    expect(done.seq).toBe(committed.length);
    expect(seqs).toEqual(range(1, committed.length));

    // Live afterwards, with nothing repeated.
    const next = regions(committed.length + 1);
    committed.push(next);
    hub.publish([next]);
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('no live event')), 5_000);
      client.once('events:batch', () => (clearTimeout(deadline), resolve()));
    });
    expect(seqs).toEqual(range(1, committed.length));
  });
});
