/** Legend of the units layer: each status's colour and each kind's letter, in the page's language. */
import { UNIT_KIND_NAMES, UNIT_KINDS, UNIT_STATUS_NAMES, UNIT_STATUSES } from '#contract/index.ts';
import { useI18n } from '../../i18n/i18n.ts';
import { UNIT_STATUS_COLOURS, kindLetter } from '../../map/layers/unit-layer.ts';
import './unit-legend.css';

const css = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function UnitLegend() {
  const { t, lang } = useI18n();
  return (
    <section className="panel legend unit-legend" aria-label={t('units.legend')} data-testid="unit-legend">
      <h2>{t('units.legend')}</h2>
      <ul>
        {UNIT_STATUSES.map((status) => (
          <li key={status}>
            <span className="legend-dot" style={{ background: css(UNIT_STATUS_COLOURS[status]), width: 14, height: 14 }} />
            {UNIT_STATUS_NAMES[status][lang]}
          </li>
        ))}
      </ul>
      <ul>
        {UNIT_KINDS.map((kind) => (
          <li key={kind}>
            <b className="unit-letter" aria-hidden="true">{kindLetter(kind)}</b> {UNIT_KIND_NAMES[kind][lang]}
          </li>
        ))}
      </ul>
    </section>
  );
}
