/**
 * Coalesces unit positions for one receiver (a socket, or a room whose sockets all get the same
 * messages): at most one position per unit per interval, and always the newest. A unit reporting
 * four times a second reaches a wall once a second, with its latest report; a unit that reports
 * once reaches it at once. Pure: the time is a parameter, and the caller keeps the timer.
 */
import type { UnitPosition } from '../contract/units.ts';

/** The least time between two positions of one unit sent to one receiver. */
export const POSITION_INTERVAL_MS = 1000;

interface Sent {
  /** When it was last sent (receiver clock, ms). */
  sentMs: number;
  /** The report time of what was sent (ms): nothing older goes out after it. */
  atMs: number;
}

export class PositionCoalescer {
  /** Per unit, the newest position not yet sent. */
  private readonly pending = new Map<string, { position: UnitPosition; atMs: number }>();
  private readonly sent = new Map<string, Sent>();

  constructor(readonly intervalMs: number = POSITION_INTERVAL_MS) {}

  /** Units with a position waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Keeps `position` if it is newer than what waits, and than what was sent, for its unit. */
  offer(position: UnitPosition): void {
    const atMs = Date.parse(position.at);
    const waiting = this.pending.get(position.unitId);
    if (waiting && waiting.atMs >= atMs) return;
    const last = this.sent.get(position.unitId);
    if (last && last.atMs >= atMs) return;
    this.pending.set(position.unitId, { position, atMs });
  }

  /** The positions due at `nowMs` (their unit's last one went out an interval ago, or never); they count as sent now. */
  take(nowMs: number): UnitPosition[] {
    const due: UnitPosition[] = [];
    for (const [unitId, { position, atMs }] of this.pending) {
      const last = this.sent.get(unitId);
      if (last && nowMs - last.sentMs < this.intervalMs) continue;
      due.push(position);
      this.pending.delete(unitId);
      this.sent.set(unitId, { sentMs: nowMs, atMs });
    }
    return due;
  }

  /** When the next waiting position falls due (in the past, even -Infinity, when one is due now), `null` when none waits. */
  nextDueMs(): number | null {
    let next: number | null = null;
    for (const unitId of this.pending.keys()) {
      const last = this.sent.get(unitId);
      const due = last ? last.sentMs + this.intervalMs : Number.NEGATIVE_INFINITY;
      if (next === null || due < next) next = due;
    }
    return next;
  }
}
