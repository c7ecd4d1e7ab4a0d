/** Severity legend for the incident dots, and what a faded dot means. */
import { severityKey, useI18n } from '../i18n/i18n.ts';
import { CLOSED_ALPHA } from './layers/incident-layer.ts';
import { SEVERITIES_HIGH_FIRST, SEVERITY_RADIUS_PX, severityCss } from './severity.ts';

export function Legend() {
  const { t } = useI18n();
  return (
    <section className="panel legend" aria-label={t('legend.heading')}>
      <h2>{t('legend.heading')}</h2>
      <ul>
        {SEVERITIES_HIGH_FIRST.map((severity) => {
          const size = SEVERITY_RADIUS_PX[severity] * 2;
          return (
            <li key={severity}>
              <span className="legend-dot" style={{ background: severityCss(severity), width: size, height: size }} />
              {t(severityKey(severity))}
            </li>
          );
        })}
        <li className="legend-closed" title={t('legend.closedHint')}>
          <span className="legend-dot" style={{ background: severityCss('severe'), opacity: CLOSED_ALPHA / 255, width: 14, height: 14 }} />
          {t('legend.closed')}
        </li>
      </ul>
    </section>
  );
}
