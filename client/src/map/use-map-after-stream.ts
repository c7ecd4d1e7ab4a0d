/**
 * The live stream before the map. Creating the map compiles its shaders on the page's one thread:
 * milliseconds on a GPU, seconds on a screen that draws in software (a kiosk without a graphics
 * driver, a virtual machine). Started first, it holds back the socket's handshake and the badge
 * says "Connecting" all that time. So a signed-in page starts its map once the stream is live (or
 * offline: nothing to wait for), or after `maxWaitMs` in any case; a signed-out page at once.
 */
import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../live/live-client.ts';
import type { SessionPhase } from '../session/city-session.ts';


/** Whether the map may be created now (pure: the hook below adds the clock). */
export function mapMayStart(session: SessionPhase, status: ConnectionStatus, waitedOut: boolean): boolean {
  if (session === 'checking') return waitedOut;
  if (session === 'signed-out') return true;
  return status !== 'connecting' || waitedOut;
}

export function useMapAfterStream(session: SessionPhase, status: ConnectionStatus, maxWaitMs = 1_500): boolean {
  const [waitedOut, setWaitedOut] = useState(false);
  const [started, setStarted] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaitedOut(true), maxWaitMs);
    return () => clearTimeout(timer);
  }, [maxWaitMs]);
  const may = mapMayStart(session, status, waitedOut);
  // A moment later, not in the same render: React runs the map's effects at the end of the commit
  // that shows "live", and the badge would not be painted until the map had been built. Once
  // started, the map stays: a later reconnect must not take it down again.
  useEffect(() => {
    if (!may || started) return;
    const timer = setTimeout(() => setStarted(true), 50);
    return () => clearTimeout(timer);
  }, [may, started]);
  return started;
}
