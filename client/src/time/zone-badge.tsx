/**
 * The zone every time on the page is in, for a top bar: `北京时间 UTC+8`, `Central European Summer
 * Time UTC+2`, with the IANA id on hover. Read again each minute, so the name and offset change
 * with daylight saving time.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n.ts';
import { serverTimeZoneKnown, subscribeTimeZone, useTimeZone } from './time-zone.ts';
import { zoneLabel } from './zoned-format.ts';
import './zone-badge.css';

const MINUTE_MS = 60_000;

export function ZoneBadge({ className = 'zone-badge' }: { className?: string }) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  const known = useSyncExternalStore(subscribeTimeZone, serverTimeZoneKnown);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <span className={className} data-testid="time-zone" data-time-zone={zone} data-zone-source={known ? 'server' : 'browser'} title={t(known ? 'zone.hint' : 'zone.browser', { zone })}>
      {zoneLabel(now, zone, lang)}
    </span>
  );
}
