/**
 * The centre's time zone, held in one place for the whole page: every clock, date and "today"
 * reads it (with the helpers of zoned-format.ts), so a wall in Berlin shows Berlin's time whatever
 * zone its computer is set to.
 *
 * The server names it twice, from its `TIME_ZONE`. `GET /api/v1/health` is the first channel: it is
 * public and needs no socket, so the sign-in page and every page learn the zone before they show a
 * time (the page waits for it briefly, root.tsx). The socket's `hello` repeats it on every
 * (re)connection, so a screen left running for weeks follows a server restarted with another zone
 * without a reload. Until either answers, and if neither ever does, the browser's own zone is used:
 * the header names whichever zone is in use, so no time is shown in a zone nobody is told about.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { fetchHealth } from '../api/city-api.ts';

/** Whether `value` is an IANA zone this browser knows (a garbled answer must not break every clock). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The zone of the computer the page runs on: the fallback until the server has named its own. */
export function browserTimeZone(): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return isTimeZone(zone) ? zone : 'UTC';
}

let zone: string | null = null;
let fromServer = false;
const listeners = new Set<() => void>();

/** The zone every time on the page is shown in. */
export function currentTimeZone(): string {
  zone ??= browserTimeZone();
  return zone;
}

/** Whether the server has named its zone yet (otherwise the browser's is shown). */
export const serverTimeZoneKnown = (): boolean => fromServer;

/** Takes the zone the server names; anything that is not a known IANA zone is ignored. */
export function setServerTimeZone(value: unknown): void {
  if (!isTimeZone(value)) return;
  const changed = value !== currentTimeZone() || !fromServer;
  zone = value;
  fromServer = true;
  if (changed) for (const listener of listeners) listener();
}

export function subscribeTimeZone(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The zone, re-rendering when the server names another. */
export function useTimeZone(): string {
  return useSyncExternalStore(subscribeTimeZone, currentTimeZone);
}

/** A failed health read is tried again this often until the server has named its zone. */
const RETRY_MS = 15_000;
let learning: Promise<void> | null = null;

/**
 * Reads the zone from health once for the page (later callers share the first read); a failed read
 * is retried in the background until one succeeds or a `hello` names the zone.
 */
export function learnServerTimeZone(read: () => Promise<{ timeZone?: unknown }> = () => fetchHealth()): Promise<void> {
  learning ??= (async () => {
    for (;;) {
      try {
        setServerTimeZone((await read()).timeZone);
        return;
      } catch {
        if (fromServer) return;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        if (fromServer) return;
      }
    }
  })();
  return learning;
}

/**
 * `true` once the server has named its zone, or after `waitMs` without an answer (then the
 * browser's zone stands in until it does): a page shows no time before this.
 */
export function useTimeZoneReady(waitMs: number): boolean {
  const known = useSyncExternalStore(subscribeTimeZone, serverTimeZoneKnown);
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    void learnServerTimeZone();
    const timer = setTimeout(() => setWaited(true), waitMs);
    return () => clearTimeout(timer);
  }, [waitMs]);
  return known || waited;
}
