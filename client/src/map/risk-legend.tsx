/** The five risk levels with their colours and names, highest first, as the wall draws the districts. */
import { levelName, useI18n } from '../i18n/i18n.ts';
import { LEVEL_COLOURS } from '#contract/index.ts';
import { LEVELS_HIGH_FIRST } from './risk-colours.ts';

export interface RiskLegendProps {
  /** Populations are synthetic (the demo): the colours rest on made-up numbers, and the legend says so. */
  syntheticPopulation: boolean;
}

export function RiskLegend({ syntheticPopulation }: RiskLegendProps) {
  const { t, lang } = useI18n();
  return (
    <section className="panel legend risk-legend" aria-label={t('risk.legend')} data-testid="risk-legend">
      <h2>{t('risk.legend')}</h2>
      <ul>
        {LEVELS_HIGH_FIRST.map((level) => (
          <li key={level} data-level={level}>
            <span className="legend-swatch" style={{ background: LEVEL_COLOURS[level] }} />
            {levelName(level, lang)}
          </li>
        ))}
      </ul>
      {syntheticPopulation && (
        <p className="legend-note" data-testid="risk-legend-synthetic">
          {t('risk.legendSynthetic')}
        </p>
      )}
    </section>
  );
}
