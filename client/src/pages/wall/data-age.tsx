/**
 * How old the data on the wall is. Quietly "updated N s ago" while events or heartbeats arrive;
 * after 15 s without either, a banner nobody can miss, which goes away by itself once the stream
 * is back (the live client reconnects and replays what was missed). When the server says its
 * database is out, the banner shows at once and says that instead.
 */
import { useState } from 'react';
import { useTimeZone } from '../../time/time-zone.ts';
import { clockTime } from '../../time/zoned-format.ts';
import { useWallText } from './strings.ts';
import { useNow } from './use-now.ts';

/** The server beats every 5 s: three missed beats is no longer a hiccup. */
export const STALE_AFTER_MS = 15_000;

export function DataAge({ lastSignalAt, storeDown = false }: { lastSignalAt: number | null; storeDown?: boolean }) {
  const { t, lang } = useWallText();
  const now = useNow();
  const zone = useTimeZone();
  // Before the first sign of life the clock starts at page load: a wall that never connects goes stale too.
  const [mountedAt] = useState(() => Date.now());
  const since = lastSignalAt ?? mountedAt;
  const ageS = Math.max(0, Math.floor((now - since) / 1000));
  // The server saying its database is out is reason enough: no need to wait for 15 s of silence.
  const stale = storeDown || now - since > STALE_AFTER_MS;
  return (
    <>
      <div className={`wall-age${stale ? ' wall-age-stale' : ''}`} data-testid="data-age" data-age-s={ageS} data-stale={stale} aria-live="off">
        <span className="wall-age-dot" aria-hidden="true" />
        {lastSignalAt === null && !stale ? t('age.waiting') : t('age.fresh', { n: ageS })}
      </div>
      {stale && (
        <div className="wall-stale-banner" data-testid="stale-banner" data-reason={storeDown ? 'store' : 'connection'} role="alert">
          <strong>{t(storeDown ? 'stale.storeHeading' : 'stale.heading', { n: ageS })}</strong>
          <span>{t(storeDown ? 'stale.storeBody' : 'stale.body', { time: clockTime(since, zone, lang) })}</span>
        </div>
      )}
    </>
  );
}
