/**
 * One-key shortcuts (L language, E equity view, …): a plain key press anywhere on the page, but not
 * while someone types in a field and not with Ctrl/Alt/⌘, which belong to the browser.
 */
import { useEffect, useRef } from 'react';

/** True when the key press is meant for a text field, not for the page. */
export const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** Calls `handler` when one of `keys` (as `KeyboardEvent.key`, e.g. `['e', 'E']`) is pressed. */
export function useShortcut(keys: readonly string[], handler: (event: KeyboardEvent) => void, enabled = true): void {
  // The latest handler through a ref: registered once, never a stale closure.
  const latest = useRef(handler);
  latest.current = handler;
  const keyList = keys.join('\u0000');
  useEffect(() => {
    if (!enabled) return;
    const wanted = new Set(keyList.split('\u0000'));
    const onKey = (event: KeyboardEvent) => {
      if (!wanted.has(event.key)) return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) return;
      latest.current(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyList, enabled]);
}
