/**
 * What-if: "place a hypothetical facility", a click on the map, and the answer as if it were built
 * (the map and figures switch to it; here the districts it changes). "Clear" returns to the stored
 * state. The click is taken from the page's map (map-context.ts), as the planner's drawer is shown on it.
 */
import { useEffect, useRef, useState } from 'react';
import type { MapMouseEvent } from 'maplibre-gl';
import { useI18n } from '../../i18n/i18n.ts';
import { useMap } from '../../map/map-context.ts';
import { changedDistricts, formatAccess, formatSigned } from './equity-view-model.ts';
import type { EquityState } from './use-equity.ts';

/** While `active`, the next click on the map is handed to `onPlace`; Esc cancels. */
function usePlacement(active: boolean, onPlace: (at: { lon: number; lat: number }) => void, onCancel: () => void): void {
  // The latest handlers, read at click time: a re-render while placing must not re-attach them.
  const handlers = useRef({ onPlace, onCancel });
  handlers.current = { onPlace, onCancel };
  const map = useMap();
  useEffect(() => {
    if (!active || !map) return;
    const canvas = map.getCanvasContainer();
    canvas.style.cursor = 'crosshair';
    const click = (event: MapMouseEvent) => handlers.current.onPlace({ lon: event.lngLat.lng, lat: event.lngLat.lat });
    const key = (event: KeyboardEvent) => event.key === 'Escape' && handlers.current.onCancel();
    map.once('click', click);
    window.addEventListener('keydown', key);
    return () => {
      canvas.style.cursor = '';
      map.off('click', click);
      window.removeEventListener('keydown', key);
    };
  }, [active, map]);
}

export function WhatIfSection({ state }: { state: EquityState }) {
  const { t, lang } = useI18n();
  const [placing, setPlacing] = useState(false);
  const { place, additions, whatIf, clear, capacity, setCapacity } = state;
  usePlacement(
    placing,
    (at) => {
      setPlacing(false);
      place(at);
    },
    () => setPlacing(false),
  );
  const answer = whatIf.phase === 'loaded' ? whatIf.value : null;
  const changed = answer ? changedDistricts(answer) : [];
  return (
    <section className="equity-section equity-what-if" data-testid="equity-what-if">
      <h3>{t('equity.whatIf')}</h3>
      <div className="equity-what-if-row">
        <button type="button" className={placing ? 'is-active' : ''} aria-pressed={placing} onClick={() => setPlacing((p) => !p)} data-testid="equity-place">
          {t('equity.place')}
        </button>
        <label>
          {t('equity.capacity')}
          <input
            type="number"
            min={1}
            step="any"
            value={capacity}
            onChange={(e) => Number(e.target.value) > 0 && setCapacity(Number(e.target.value))}
            data-testid="equity-capacity"
          />
        </label>
        {additions.length > 0 && (
          <button type="button" onClick={clear} data-testid="equity-clear">
            {t('equity.clear')}
          </button>
        )}
      </div>
      {placing && <p className="equity-hint" role="status">{t('equity.placing')}</p>}
      {additions.length > 0 && (
        <p className="muted" data-testid="equity-what-if-status" data-phase={whatIf.phase}>
          {t('equity.added', { n: additions.length })} · {t('equity.whatIfNote')}
          {whatIf.phase === 'loading' && ` · ${t('equity.computing')}`}
        </p>
      )}
      {whatIf.phase === 'failed' && <p className="equity-error" role="alert">{t('equity.whatIfError', { message: whatIf.message })}</p>}
      {answer && (
        <>
          <h3>{t('equity.changedDistricts')}</h3>
          {changed.length === 0 ? (
            <p className="muted">{t('equity.noChange')}</p>
          ) : (
            <ul className="equity-changes" data-testid="equity-changes">
              {changed.map((d) => (
                <li key={d.code} data-code={d.code}>
                  <span className="equity-change-name">{d.name}</span>
                  <span>
                    {formatAccess(d.before, lang)} → {formatAccess(d.after, lang)}{' '}
                    <span className={`equity-delta ${d.delta > 0 ? 'is-better' : 'is-worse'}`}>({formatSigned(d.delta, (v) => formatAccess(v, lang))})</span>
                    {d.silentBefore && !d.silentAfter && <span className="equity-flag is-lifted">{t('equity.silent')} ✓</span>}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
