/**
 * Sounds the alert when a severe or extreme incident arrives (one the page had not seen, after
 * the first load: the backlog at opening is the queue's job, not the siren's). `M` mutes, and the
 * choice is remembered; the first pointer or key press unlocks audio.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Incident } from '#contract/index.ts';
import { useShortcut } from '../../shell/use-shortcut.ts';
import { AlertSound, rememberedMuted, rememberMuted } from './alert-sound.ts';
import { isOpen } from '../../session/incident-status.ts';
import { isAlarming } from './queue.ts';

export interface Alerts {
  muted: boolean;
  toggleMuted: () => void;
  /** Whether a gesture has unlocked audio yet. */
  unlocked: boolean;
  /**
   * Alerts raised while not muted (played, or silent only because no gesture has unlocked audio yet):
   * shown as `data-alerts` for monitors and tests.
   */
  sounded: number;
  /** The newest alarming arrival, until dismissed. */
  latest: Incident | null;
  dismiss: () => void;
}

export function useAlerts(incidents: readonly Incident[], loaded: boolean): Alerts {
  const [sound] = useState(() => new AlertSound());
  const [muted, setMuted] = useState(rememberedMuted);
  const [unlocked, setUnlocked] = useState(false);
  const [sounded, setSounded] = useState(0);
  const [latest, setLatest] = useState<Incident | null>(null);
  const seen = useRef<Set<string> | null>(null);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    const unlock = () => {
      sound.unlock();
      // resume() settles a moment later; read the state then.
      window.setTimeout(() => setUnlocked(sound.unlocked), 50);
    };
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
      sound.close();
    };
  }, [sound]);

  useEffect(() => {
    if (!loaded) return;
    if (seen.current === null) {
      seen.current = new Set(incidents.map((i) => i.id));
      return;
    }
    const known = seen.current;
    const arrived = incidents.filter((i) => !known.has(i.id));
    for (const i of arrived) known.add(i.id);
    const alarming = arrived.filter((i) => isAlarming(i) && isOpen(i));
    if (alarming.length === 0) return;
    setLatest(alarming[0]!);
    if (mutedRef.current) return;
    // One pattern for a burst: ten alarms at once are one reason to look up, not ten.
    sound.play();
    setSounded((n) => n + 1);
  }, [incidents, loaded, sound]);

  const toggleMuted = useCallback(() => {
    setMuted((m) => {
      rememberMuted(!m);
      return !m;
    });
  }, []);
  useShortcut(['m', 'M'], toggleMuted);
  const dismiss = useCallback(() => setLatest(null), []);
  return { muted, toggleMuted, unlocked, sounded, latest, dismiss };
}
