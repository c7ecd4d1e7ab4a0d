/**
 * Fan-out: events handed to this node reach every socket that may see them. Events published in
 * the same tick go out together; a socket that wants everything sits in a room (each event is
 * encoded once per room), one with a narrower subscription is served on its own, and a socket
 * still replaying has what is published held for it until its replay has caught up.
 */
import type { LogEvent } from '../contract/events.ts';
import type { UnitPosition } from '../contract/units.ts';
import type { Role } from '../contract/auth.ts';
import { forRole, roomOf, send } from './delivery.ts';
import type { LiveSocket } from './live-socket.ts';
import { createPositionStream, type PositionReceiver } from './position-stream.ts';
import { bufferPublished, type ReplayBuffer } from './replay.ts';
import { isEverything, matches, wantsUnits } from './subscription.ts';

/** What fan-out needs of a socket: who it is, what it asked for, the rooms it sits in. */
export type FanOutSocket = Pick<LiveSocket, 'id' | 'data' | 'emit' | 'rooms' | 'join' | 'leave'>;

/** This node's rooms (socket.io's `io.local` and its adapter's room table). */
export interface Rooms {
  /** Whether any socket sits in the room: socket.io encodes a broadcast before it looks. */
  occupied(room: string): boolean;
  /** Sends to this node's sockets in the room only. */
  to(room: string): { emit: LiveSocket['emit'] };
}

export interface FanOut {
  /** Queues committed events (in seq order); they are sent on the next turn of the event loop. */
  publish(events: readonly LogEvent[]): void;
  /** Sends what is queued now (a replay calls it just before it hands a socket over to live). */
  flush(): void;
  /** Highest seq handed to `publish`: every event up to it reaches sockets through rooms or holds. */
  readonly publishedSeq: number;
  /** Holds what is published for a socket while it replays, from now on. */
  hold(socketId: string): ReplayBuffer;
  /** Whether a socket is still replaying. */
  holds(socketId: string): boolean;
  /** Stops holding for a socket (its replay ended, or it was dropped). */
  release(socketId: string): void;
  /** Puts a socket where live events reach it (its room, or the one-by-one list); call again when its subscription changes. */
  goLive(socket: FanOutSocket): void;
  /** Forgets a socket that disconnected. */
  forget(socketId: string): void;
  /** Resolves on the next flush, or after `ms`, whichever is first. */
  nextFlush(ms: number): Promise<void>;
  /**
   * Units' newest positions (not logged) to every live socket taking the `units` layer, at most
   * one per unit per second per receiver (a room counts as one: its sockets get the same messages).
   */
  publishPositions(positions: readonly UnitPosition[]): void;
  /** Stops the position timer. */
  close(): void;
}

/** The rooms of sockets that want everything (positions carry no personal data: every role gets the same). */
const EVERYTHING_ROOMS: readonly string[] = [...new Set((['admin', 'viewer'] as Role[]).flatMap((role) => [roomOf(role, true), roomOf(role, false)]))];

export function createFanOut(rooms: Rooms, startSeq: number): FanOut {
  /** Sockets still replaying: what is published meanwhile waits here until their replay caught up. */
  const held = new Map<string, ReplayBuffer>();
  /** Live sockets with a narrower subscription than "everything". */
  const filtered = new Map<string, FanOutSocket>();
  const flushed = new Set<() => void>();
  let pending: LogEvent[] = [];
  let flushScheduled = false;
  let publishedSeq = startSeq;
  const positions = createPositionStream({
    *receivers(): Iterable<PositionReceiver> {
      for (const room of EVERYTHING_ROOMS) if (rooms.occupied(room)) yield { key: room, emit: (p) => rooms.to(room).emit('units:positions', { positions: p }) };
      for (const socket of filtered.values()) if (wantsUnits(socket.data.filter)) yield { key: socket.id, emit: (p) => socket.emit('units:positions', { positions: p }) };
    },
  });

  function flush(): void {
    flushScheduled = false;
    if (pending.length === 0) return;
    const events = pending;
    pending = [];
    for (const buffer of held.values()) bufferPublished(buffer, events);
    let masked: LogEvent[] | undefined;
    const maskedEvents = () => (masked ??= events.map((e) => forRole(e, 'viewer')));
    for (const batch of [true, false]) {
      const personalRoom = roomOf('admin', batch);
      const maskedRoom = roomOf('viewer', batch);
      if (rooms.occupied(personalRoom)) send(rooms.to(personalRoom), events, batch);
      if (rooms.occupied(maskedRoom)) send(rooms.to(maskedRoom), maskedEvents(), batch);
    }
    for (const socket of filtered.values()) {
      const { filter, batch, principal } = socket.data;
      send(socket, events.filter((e) => matches(filter, e)).map((e) => forRole(e, principal.role)), batch);
    }
    for (const wake of flushed) wake();
    flushed.clear();
  }

  return {
    publish(events) {
      if (events.length === 0) return;
      // A loop, not push(...events): spreading 100k+ elements into arguments overflows the stack.
      for (const e of events) pending.push(e);
      publishedSeq = Math.max(publishedSeq, events.at(-1)!.seq);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    get publishedSeq() {
      return publishedSeq;
    },
    hold(socketId) {
      const buffer: ReplayBuffer = { events: [], droppedThrough: 0 };
      held.set(socketId, buffer);
      return buffer;
    },
    holds: (socketId) => held.has(socketId),
    release(socketId) {
      held.delete(socketId);
    },
    goLive(socket) {
      for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
      filtered.delete(socket.id);
      if (isEverything(socket.data.filter)) void socket.join(roomOf(socket.data.principal.role, socket.data.batch));
      else filtered.set(socket.id, socket);
    },
    forget(socketId) {
      held.delete(socketId);
      filtered.delete(socketId);
    },
    publishPositions: positions.publish,
    close: positions.close,
    nextFlush(ms) {
      return new Promise<void>((resolve) => {
        flushed.add(resolve);
        setTimeout(resolve, ms);
      });
    },
  };
}
