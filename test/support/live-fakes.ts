/**
 * Stand-ins for the live stream's unit tests: an event log in memory (the same reader interface the
 * hub reads from the store), sockets that record what they are sent, and this node's rooms over
 * those sockets. Nothing here knows how the hub works; a test drives them and reads what arrived.
 */
import type { Role } from '../../server/contract/auth.ts';
import type { LogEvent } from '../../server/contract/events.ts';
import type { Rooms } from '../../server/live/fan-out.ts';
import type { LiveSocket, SocketData } from '../../server/live/live-socket.ts';
import type { CursorSocket } from '../../server/live/replay-cursor.ts';
import { EVERYTHING } from '../../server/live/subscription.ts';
import type { EventLogReader } from '../../server/store/event-log.ts';

/** A `regions:replaced` event: its payload carries its seq, so even one-per-event messages show it. */
export const regionsEvent = (seq: number): LogEvent => ({ type: 'regions:replaced', seq, payload: { seq, count: 1 } });
/** A `risk:configured` event (the risk layer), payload carrying its seq as well. */
export const riskConfiguredEvent = (seq: number): LogEvent => ({ type: 'risk:configured', seq, payload: { seq, version: seq, at: '2026-11-23T00:00:00Z', by: { name: 'a', role: 'admin' } } });
export const seqRange = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

export interface MemoryEventLog extends EventLogReader {
  /** Every event still held, in seq order. */
  readonly events: readonly LogEvent[];
  /** Commits events (their seqs must follow the head). */
  append(events: readonly LogEvent[]): void;
  /** Forgets every event up to `seq`, as retention does. */
  trimThrough(seq: number): void;
  /** Called with each page `after` is about to return, before it returns: a test commits at that moment. */
  onRead: ((page: readonly LogEvent[], after: number, limit: number) => Promise<void> | void) | undefined;
  /** Pages read so far. */
  readonly reads: number;
}

export function memoryEventLog(initial: readonly LogEvent[] = []): MemoryEventLog {
  const events: LogEvent[] = [...initial];
  let head = initial.at(-1)?.seq ?? 0;
  let reads = 0;
  const log: MemoryEventLog = {
    events,
    onRead: undefined,
    get reads() {
      return reads;
    },
    append(added) {
      for (const e of added) {
        if (e.seq <= head) throw new Error(`seq ${e.seq} does not follow the head ${head}`);
        events.push(e);
        head = e.seq;
      }
    },
    trimThrough(seq) {
      while (events.length > 0 && events[0]!.seq <= seq) events.shift();
    },
    head: async () => head,
    oldest: async () => events[0]?.seq ?? head + 1,
    async after(after, limit) {
      reads++;
      const page = events.filter((e) => e.seq > after).slice(0, limit);
      await log.onRead?.(page, after, limit);
      return page;
    },
  };
  return log;
}

/** One message a fake socket was sent. */
export interface Received {
  event: string;
  payload: unknown;
}

export interface FakeSocket extends CursorSocket {
  connected: boolean;
  readonly received: Received[];
  /** Seqs of the events it was sent, in arrival order (batch messages and one-per-event alike). */
  seqs(): number[];
}

let nextId = 1;

export function fakeSocket(options: { role?: Role; batch?: boolean; since?: number; filter?: SocketData['filter'] } = {}): FakeSocket {
  const id = `fake-${nextId++}`;
  const received: Received[] = [];
  const rooms = new Set<string>([id]);
  const emit = (event: string, payload: unknown): boolean => {
    received.push({ event, payload });
    return true;
  };
  return {
    id,
    connected: true,
    data: { principal: { role: options.role ?? 'admin', name: id }, since: options.since, batch: options.batch ?? true, filter: options.filter ?? EVERYTHING },
    rooms,
    // The real emit is typed per event; a recorder takes any.
    emit: emit as LiveSocket['emit'],
    join: (room: string | string[]) => void (Array.isArray(room) ? room : [room]).forEach((r) => rooms.add(r)),
    leave: (room: string) => void rooms.delete(room),
    received,
    seqs() {
      return received.flatMap(({ event, payload }) => {
        if (event === 'events:batch') return (payload as LogEvent[]).map((e) => e.seq);
        if (event === 'regions:replaced' || event === 'risk:configured') return [(payload as { seq: number }).seq];
        return [];
      });
    },
  };
}

/** This node's rooms over the given sockets (what socket.io's adapter and `io.local.to` give the hub). */
export function fakeRooms(sockets: readonly FakeSocket[]): Rooms {
  const inRoom = (room: string) => sockets.filter((s) => s.connected && s.rooms.has(room));
  return {
    occupied: (room) => inRoom(room).length > 0,
    to: (room) => ({
      emit: ((event: string, payload: unknown) => {
        for (const s of inRoom(room)) s.emit(event as 'hello', payload as never);
        return true;
      }) as LiveSocket['emit'],
    }),
  };
}
