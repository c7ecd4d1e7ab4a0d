/**
 * Live positions to every receiver that takes the `units` layer. What is published in one tick is
 * offered to each receiver's coalescer (position-coalescer.ts) and sent at the end of the tick
 * when due; what is not due yet waits for one timer, set for the earliest receiver. Positions are
 * not logged: a receiver that was away reads `GET /api/v1/units` instead of a replay.
 */
import type { UnitPosition } from '../contract/units.ts';
import { POSITION_INTERVAL_MS, PositionCoalescer } from './position-coalescer.ts';

/** One target of positions: a socket, a room of sockets, or the other server nodes. */
export interface PositionReceiver {
  /** Stable while the receiver lasts: its coalescer is kept under it. */
  key: string;
  emit(positions: UnitPosition[]): void;
}

export interface PositionStream {
  /** Positions newly stored (each unit's newest), sent to receivers as they fall due. */
  publish(positions: readonly UnitPosition[]): void;
  /** Stops the timer; nothing more is sent. */
  close(): void;
}

export function createPositionStream(options: {
  /** The receivers now; asked on every publish and send, so sockets that left are forgotten. */
  receivers: () => Iterable<PositionReceiver>;
  clock?: () => number;
  intervalMs?: number;
}): PositionStream {
  const clock = options.clock ?? Date.now;
  const intervalMs = options.intervalMs ?? POSITION_INTERVAL_MS;
  const coalescers = new Map<string, PositionCoalescer>();
  let tickScheduled = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let closed = false;

  function send(): void {
    tickScheduled = false;
    if (closed) return;
    const now = clock();
    const present = new Set<string>();
    let next = Number.POSITIVE_INFINITY;
    for (const receiver of options.receivers()) {
      present.add(receiver.key);
      const coalescer = coalescers.get(receiver.key);
      if (!coalescer) continue;
      const due = coalescer.take(now);
      if (due.length > 0) receiver.emit(due);
      const dueAt = coalescer.nextDueMs();
      if (dueAt !== null && dueAt < next) next = dueAt;
    }
    for (const key of coalescers.keys()) if (!present.has(key)) coalescers.delete(key);
    if (next === Number.POSITIVE_INFINITY || next >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = next;
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      send();
    }, Math.max(0, next - now));
    timer.unref();
  }

  return {
    publish(positions) {
      if (closed || positions.length === 0) return;
      for (const receiver of options.receivers()) {
        let coalescer = coalescers.get(receiver.key);
        if (!coalescer) coalescers.set(receiver.key, (coalescer = new PositionCoalescer(intervalMs)));
        for (const position of positions) coalescer.offer(position);
      }
      if (!tickScheduled) {
        tickScheduled = true;
        setImmediate(send);
      }
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      coalescers.clear();
    },
  };
}
