/**
 * The audible alert: a short rising three-tone pattern through WebAudio. Browsers keep audio
 * locked until the page gets a user gesture, so the context is made (or resumed) on the first
 * pointer or key press; alerts before that are counted and shown but cannot be heard.
 */

const MUTED_KEY = 'citybrain.responder.muted';

export function rememberedMuted(): boolean {
  try {
    return window.localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false; // storage blocked: start audible, which is the safe side for an alarm
  }
}

export function rememberMuted(muted: boolean): void {
  try {
    window.localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
  } catch {
    // storage blocked: the choice lasts for this page only
  }
}

/** Tones of the pattern: frequency in Hz and start offset in seconds. Rising, like a siren's whoop, and under a second long. */
const PATTERN: readonly { hz: number; atS: number }[] = [
  { hz: 660, atS: 0 },
  { hz: 880, atS: 0.18 },
  { hz: 1100, atS: 0.36 },
];
const TONE_S = 0.14;

export class AlertSound {
  private context: AudioContext | null = null;

  /** Call from a user gesture: makes or resumes the audio context so later alerts can sound. */
  unlock(): void {
    if (typeof AudioContext === 'undefined') return;
    this.context ??= new AudioContext();
    if (this.context.state === 'suspended') void this.context.resume().catch(() => {});
  }

  /** Whether a tone can be heard now (the context exists and runs). */
  get unlocked(): boolean {
    return this.context?.state === 'running';
  }

  /** Plays the pattern; a no-op while audio is still locked. */
  play(): void {
    const ctx = this.context;
    if (!ctx) return;
    const start = ctx.currentTime + 0.02;
    for (const { hz, atS } of PATTERN) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = hz;
      // A quick fade in and out avoids clicks.
      gain.gain.setValueAtTime(0.0001, start + atS);
      gain.gain.exponentialRampToValueAtTime(0.2, start + atS + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + atS + TONE_S);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + atS);
      osc.stop(start + atS + TONE_S + 0.02);
    }
  }

  close(): void {
    void this.context?.close().catch(() => {});
    this.context = null;
  }
}
