/** The wall clock: time and date in the centre's time zone, which it names, readable from across the room. */
import { ZoneBadge } from '../../time/zone-badge.tsx';
import { useTimeZone } from '../../time/time-zone.ts';
import { clockTime, longDate } from '../../time/zoned-format.ts';
import { useWallText } from './strings.ts';
import { useNow } from './use-now.ts';

export function WallClock() {
  const { lang } = useWallText();
  const zone = useTimeZone();
  const now = useNow();
  return (
    <div className="wall-clock" data-testid="wall-clock">
      <time className="wall-clock-time" data-testid="wall-clock-time" dateTime={new Date(now).toISOString()}>{clockTime(now, zone, lang)}</time>
      <span className="wall-clock-date">
        {longDate(now, zone, lang)} · <ZoneBadge className="wall-clock-zone" />
      </span>
    </div>
  );
}
