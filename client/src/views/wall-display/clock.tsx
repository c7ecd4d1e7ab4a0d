/** The wall clock: time and date in Beijing time, readable from across the room. */
import { formatClockDate, formatClockTime } from './format.ts';
import { useWallText } from './strings.ts';
import { useNow } from './use-now.ts';

export function WallClock() {
  const { t, lang } = useWallText();
  const now = useNow();
  return (
    <div className="wall-clock" data-testid="wall-clock">
      <time className="wall-clock-time" dateTime={new Date(now).toISOString()}>{formatClockTime(now, lang)}</time>
      <span className="wall-clock-date">
        {formatClockDate(now, lang)} · {t('clock.zone')}
      </span>
    </div>
  );
}
