/**
 * The equity view's side panel (docs/domain.md §7): what is measured (kind, method, catchment), the state of
 * the answer (loading, empty, failed, synthetic), the indices and Lorenz curve, what-if, the
 * underserved and silent districts and the hotspots.
 */
import { useEffect, useState } from 'react';
import { EQUITY_METHODS, FACILITY_KINDS, MAX_RADIUS_M, MIN_RADIUS_M, type EquityMethod } from '#contract/equity.ts';
import { useI18n } from '../../i18n/i18n.ts';
import { EquityFigures } from './equity-figures.tsx';
import { DistrictTable, HotspotList } from './equity-districts.tsx';
import { formatCount, kindName } from './equity-view-model.ts';
import { WhatIfSection } from './equity-what-if.tsx';
import { LorenzChart } from './lorenz-chart.tsx';
import type { EquityState } from './use-equity.ts';
import './equity.css';

export interface EquityPanelProps {
  state: EquityState;
  districtsFilled: boolean;
  onDistrictsFilled: (filled: boolean) => void;
  focusedHotspot: string | null;
  onFocusHotspot: (id: string, bbox: [number, number, number, number]) => void;
}

/** The catchment as typed; applied on Enter or when the field is left, if it is a distance the API takes. */
function RadiusInput({ value, onApply }: { value: number; onApply: (radiusM: number) => void }) {
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const apply = () => {
    const radius = Number(draft);
    if (Number.isFinite(radius) && radius >= MIN_RADIUS_M && radius <= MAX_RADIUS_M) onApply(radius);
    else setDraft(String(value));
  };
  return (
    <input
      type="number"
      min={MIN_RADIUS_M}
      max={MAX_RADIUS_M}
      step={100}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => e.key === 'Enter' && apply()}
      data-testid="equity-radius"
    />
  );
}

export function EquityPanel({ state, districtsFilled, onDistrictsFilled, focusedHotspot, onFocusHotspot }: EquityPanelProps) {
  const { t, lang } = useI18n();
  const { request, base, shown, whatIf } = state;
  const stored = base.phase === 'loaded' ? base.value : base.phase === 'loading' ? base.previous : null;
  const answer = whatIf.phase === 'loaded' && state.additions.length > 0 ? whatIf.value : null;
  const kind = kindName(request.kind, lang);
  return (
    <section className="panel equity-panel" data-testid="equity-panel" aria-label={t('equity.heading')} data-phase={base.phase}>
      <h2>{t('equity.heading')}</h2>
      <div className="equity-controls">
        <label>
          {t('equity.kind')}
          <select value={request.kind} onChange={(e) => state.setKind(e.target.value)} data-testid="equity-kind">
            {FACILITY_KINDS.map((k) => (
              <option key={k} value={k}>{kindName(k, lang)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('equity.method')}
          <select value={request.method} onChange={(e) => state.setMethod(e.target.value as EquityMethod)} data-testid="equity-method">
            {EQUITY_METHODS.map((m) => (
              <option key={m} value={m}>{t(`equity.method.${m}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t('equity.radius')}
          <RadiusInput value={request.radiusM} onApply={state.setRadiusM} />
        </label>
      </div>
      {base.phase === 'loading' && <p className="muted" role="status">{t('equity.loading')}</p>}
      {base.phase === 'failed' && (
        <div className="equity-error" role="alert">
          <p>{t('equity.error', { message: base.message })}</p>
          <button type="button" onClick={state.reload}>{t('error.retry')}</button>
        </div>
      )}
      {stored && shown && (
        <>
          <p className="equity-summary">
            <span data-testid="equity-summary">{t('equity.summary', { n: formatCount(stored.facilities, lang), kind, population: formatCount(stored.population, lang) })}</span>
            {stored.synthetic && <span className="demo-badge" data-testid="equity-synthetic">{t('equity.synthetic')}</span>}
          </p>
          {stored.population === 0 ? (
            <p className="equity-empty" data-testid="equity-empty" data-reason="population">{t('equity.noPopulation')}</p>
          ) : (
            <>
              {stored.facilities === 0 && (
                <p className="equity-empty" data-testid="equity-empty" data-reason="facilities">{t('equity.noFacilities', { kind })}</p>
              )}
              <EquityFigures shown={shown} whatIf={answer} />
              <LorenzChart curve={shown.lorenz} before={answer ? stored.lorenz : null} />
              <label className="equity-toggle">
                <input type="checkbox" checked={districtsFilled} onChange={(e) => onDistrictsFilled(e.target.checked)} data-testid="equity-district-fill" />
                {t('equity.districtFill')}
              </label>
              <WhatIfSection state={state} />
              <DistrictTable result={shown} />
              <HotspotList result={shown} focused={focusedHotspot} onFocus={onFocusHotspot} />
            </>
          )}
        </>
      )}
    </section>
  );
}
