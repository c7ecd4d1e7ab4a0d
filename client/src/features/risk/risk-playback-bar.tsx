/**
 * The 7-day playback slider under the map: drag it (or use the keyboard) and the map shows the
 * recorded five-colour state at that instant; "back to live" returns to the live map. The window
 * is the server's (its history's `from`/`to`), never the browser clock's: a wall PC's clock may be
 * off by minutes.
 */
import type { KeyboardEvent } from 'react';
import { useI18n } from '../../i18n/i18n.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { dateTime } from '../../time/zoned-format.ts';
import type { RiskPlayback } from './use-risk-playback.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** Keys and how far they move the instant; Home and End go to the ends of the window. */
const KEY_STEPS_MS: Readonly<Record<string, number>> = {
  ArrowLeft: -MINUTE_MS,
  ArrowDown: -MINUTE_MS,
  ArrowRight: MINUTE_MS,
  ArrowUp: MINUTE_MS,
  PageDown: -HOUR_MS,
  PageUp: HOUR_MS,
};

export function RiskPlaybackBar({ playback }: { playback: RiskPlayback }) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  const { history, view, error, showAt, goLive } = playback;
  const live = view.mode === 'live';
  const fromMs = history ? Date.parse(history.from) : 0;
  const toMs = history ? Date.parse(history.to) : 0;
  const valueMs = view.mode === 'playback' ? view.atMs : toMs;
  const shown = live ? t('playback.live') : dateTime(valueMs, zone, lang);

  // Keys are handled here, not by the browser: the input's step is "any" so that an exact
  // millisecond can be set, and the browser's own step for "any" is not a minute.
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (!history) return;
    const step = KEY_STEPS_MS[event.key];
    let next: number | null = null;
    if (step !== undefined) next = valueMs + step;
    else if (event.key === 'Home') next = fromMs;
    else if (event.key === 'End') next = toMs;
    if (next === null) return;
    event.preventDefault();
    showAt(next);
  };

  return (
    <section className="panel playback" aria-label={t('playback.label')} data-testid="risk-playback" data-mode={view.mode}>
      <div className="playback-head">
        <h2>{t('playback.label')}</h2>
        <output className={`playback-time${live ? ' is-live' : ''}`} data-testid="risk-time" aria-live="polite">
          {shown}
        </output>
        <span className="spacer" />
        <button type="button" className="playback-live" data-testid="risk-live" onClick={goLive} disabled={live} aria-pressed={live}>
          {t('playback.backToLive')}
        </button>
      </div>
      {error ? (
        <p className="detail-refusal" role="alert">{t('playback.error', { message: error })}</p>
      ) : (
        <>
          <input
            type="range"
            className="playback-slider"
            data-testid="risk-slider"
            aria-label={t('playback.slider')}
            aria-valuetext={shown}
            aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End"
            disabled={!history}
            min={fromMs}
            max={toMs}
            step="any"
            value={valueMs}
            onChange={(event) => showAt(Number(event.target.value))}
            onKeyDown={onKeyDown}
          />
          <div className="playback-scale">
            {history ? (
              <>
                <span>{dateTime(fromMs, zone, lang)}</span>
                <span className="playback-hint">{t('playback.keysHint')}</span>
                <span>{dateTime(toMs, zone, lang)}</span>
              </>
            ) : (
              <span>{t('playback.loading')}</span>
            )}
          </div>
        </>
      )}
    </section>
  );
}
