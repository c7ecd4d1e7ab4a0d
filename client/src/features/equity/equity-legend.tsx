/** The heatmap's classes with their numbers (per 1,000 residents), grey for no access, and a synthetic-data note. */
import { useI18n } from '../../i18n/i18n.ts';
import { NO_ACCESS_HEX, type AccessScale } from '../../map/layers/equity-layer.ts';
import { formatAccess, kindName } from './equity-view-model.ts';

export interface EquityLegendProps {
  scale: AccessScale;
  kind: string;
  synthetic: boolean;
}

const css = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function EquityLegend({ scale, kind, synthetic }: EquityLegendProps) {
  const { t, lang } = useI18n();
  const label = (k: number): string => {
    const low = scale.breaks[k] ?? 0;
    const high = scale.breaks[k + 1];
    if (scale.breaks.length === 1) return `≥ ${formatAccess(low, lang)}`;
    if (k === 0) return `< ${formatAccess(high ?? low, lang)}`;
    return high === undefined ? `≥ ${formatAccess(low, lang)}` : `${formatAccess(low, lang)} – ${formatAccess(high, lang)}`;
  };
  return (
    <section className="panel legend equity-legend" aria-label={t('equity.legend', { kind: kindName(kind, lang) })} data-testid="equity-legend">
      <h2>{t('equity.legend', { kind: kindName(kind, lang) })}</h2>
      <ul>
        {/* Highest first, as the risk legend lists its levels. */}
        {scale.colours
          .map((colour, k) => (
            <li key={k} data-class={k} data-colour={css(colour)}>
              <span className="legend-swatch" style={{ background: css(colour) }} />
              {label(k)}
            </li>
          ))
          .reverse()}
        <li data-class={-1}>
          <span className="legend-swatch" style={{ background: NO_ACCESS_HEX }} />
          {t('equity.legendNone')}
        </li>
      </ul>
      {synthetic && (
        <p className="legend-note" data-testid="equity-legend-synthetic">
          {t('equity.synthetic')}
        </p>
      )}
    </section>
  );
}
