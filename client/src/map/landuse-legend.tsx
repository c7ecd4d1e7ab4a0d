/** Land-use colours of the parcels, shown while the map is zoomed in far enough to draw them. */
import { LAND_USE_NAMES } from '#contract/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { HAZARDOUS_OUTLINE, LAND_USE_COLOURS, LAND_USES_LEGEND_ORDER } from './land-use-colours.ts';

export interface LandUseLegendProps {
  /** The parcels are the demo's made-up ones: the legend says so. */
  synthetic: boolean;
}

export function LandUseLegend({ synthetic }: LandUseLegendProps) {
  const { t, lang } = useI18n();
  return (
    <section className="panel legend landuse-legend" aria-label={t('parcels.legend')} data-testid="landuse-legend">
      <h2>{t('parcels.legend')}</h2>
      {/* Two columns: twelve classes in one would stand taller than the map's bottom dock. */}
      <ul style={{ gridTemplateColumns: 'auto auto', columnGap: '1rem' }}>
        {LAND_USES_LEGEND_ORDER.map((use) => (
          <li key={use} data-land-use={use}>
            <span className="legend-swatch" style={{ background: LAND_USE_COLOURS[use] }} />
            {LAND_USE_NAMES[use][lang]}
          </li>
        ))}
        <li data-land-use="hazardous">
          <span className="legend-swatch" style={{ background: LAND_USE_COLOURS['06'], border: `2px solid ${HAZARDOUS_OUTLINE}` }} />
          {t('parcels.hazardous')}
        </li>
      </ul>
      {synthetic && (
        <p className="legend-note" data-testid="landuse-legend-synthetic">
          {t('parcels.legendSynthetic')}
        </p>
      )}
    </section>
  );
}
