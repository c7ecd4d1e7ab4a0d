/**
 * The animation clock of district pulses: one requestAnimationFrame loop that runs only while some
 * district is pulsing and stops (and is cancelled on unmount) as soon as none is, so an idle wall
 * redraws nothing and no timer outlives the map.
 */
import { useEffect, useMemo, useState } from 'react';
import { activePulses, pulseStrength } from './district-pulse.ts';

export interface PulseFrame {
  /** Time of the frame being drawn: changes every animation frame while pulsing. */
  frame: number;
  /** Strength (0–1) of each district pulsing in this frame. */
  strengths: ReadonlyMap<string, number>;
}

/** `changedAt`: when each district changed level (ms, the clock of `now`). */
export function usePulseStrengths(changedAt: ReadonlyMap<string, number>, now: () => number = Date.now): PulseFrame {
  const [frame, setFrame] = useState(now);
  useEffect(() => {
    if (activePulses(changedAt, now()).size === 0) return;
    let handle = requestAnimationFrame(function tick() {
      const t = now();
      setFrame(t);
      // The last frame is drawn with no pulse left, then the loop ends by itself.
      if (activePulses(changedAt, t).size > 0) handle = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(handle);
  }, [changedAt, now]);
  const strengths = useMemo(() => {
    const out = new Map<string, number>();
    for (const [code, at] of activePulses(changedAt, frame)) out.set(code, pulseStrength(frame - at));
    return out;
  }, [changedAt, frame]);
  return { frame, strengths };
}
