/**
 * How a district that just changed level pulses: three beats fading out over three seconds, so an
 * operator glancing at the wall sees where something moved without the map flickering for long.
 */

/** How long a district pulses after a live level change. */
export const PULSE_MS = 3_000;
const BEATS = 3;

/**
 * Strength of the pulse `elapsedMs` after the change, from 1 (full) to 0 (none): a cosine beat
 * starting at full strength, times a linear fade, and exactly 0 outside `[0, durationMs)`.
 */
export function pulseStrength(elapsedMs: number, durationMs: number = PULSE_MS): number {
  if (!(elapsedMs >= 0) || elapsedMs >= durationMs) return 0;
  const fade = 1 - elapsedMs / durationMs;
  const beat = 0.5 + 0.5 * Math.cos((2 * Math.PI * BEATS * elapsedMs) / durationMs);
  return fade * beat;
}

/** Districts still pulsing at `nowMs` (changed within the last `durationMs`), with their start time. */
export function activePulses(
  changedAt: ReadonlyMap<string, number>,
  nowMs: number,
  durationMs: number = PULSE_MS,
): Map<string, number> {
  const active = new Map<string, number>();
  for (const [code, at] of changedAt) {
    const elapsed = nowMs - at;
    if (elapsed >= 0 && elapsed < durationMs) active.set(code, at);
  }
  return active;
}
