/**
 * Green live, amber connecting, red offline with how old the data on screen is; and, while the
 * server says its database is out, a red note that changes are not saved (the socket is still live).
 */
import { useEffect, useState } from 'react';
import type { ConnectionState } from '../live/live-client.ts';
import { useI18n } from '../i18n/i18n.ts';

/** Below this age a reconnect is routine and not worth a number on the wall. */
const STALE_AFTER_MS = 5_000;

export function ConnectionIndicator({ state, storeDown = false }: { state: ConnectionState; storeDown?: boolean }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  const live = state.status === 'live';
  useEffect(() => {
    if (live) return;
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [live]);

  const ageMs = !live && state.freshAt !== null ? Math.max(0, now - state.freshAt) : 0;
  const showAge = state.status === 'offline' || ageMs >= STALE_AFTER_MS;
  return (
    <div className={`connection connection-${state.status}`} role="status" data-testid="connection" data-status={state.status} data-store={storeDown ? 'down' : 'ok'}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{t(`conn.${state.status}`)}</span>
      {showAge && state.freshAt !== null && (
        <span className="connection-age">{t('conn.staleSeconds', { n: Math.round(ageMs / 1000) })}</span>
      )}
      {state.protocolMismatch && <span className="connection-age">{t('conn.protocolMismatch')}</span>}
      {state.droppedReason === 'slow_consumer' && !live && <span className="connection-age" data-testid="connection-dropped">{t('conn.slowConsumer')}</span>}
      {storeDown && <span className="connection-age" data-testid="connection-store-down">{t('conn.storeDown')}</span>}
    </div>
  );
}
