/** The newest reports, newest first: severity, title, district and time, at a size read from 5 m. */
import type { Incident, Severity } from '#contract/index.ts';
import { severityKey, useI18n } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { severityCss } from '../../map/severity.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { eventTime } from '../../time/zoned-format.ts';
import { useWallText } from './strings.ts';

/** AA contrast on each severity colour: white only on the dark red of `extreme`. */
const chipText = (severity: Severity): string => (severity === 'extreme' ? '#fff' : '#111');

export interface TickerProps {
  items: readonly Incident[];
  regionNames: ReadonlyMap<string, string>;
  nowMs: number;
}

export function Ticker({ items, regionNames, nowMs }: TickerProps) {
  const { t, lang } = useWallText();
  const shared = useI18n();
  const zone = useTimeZone();
  return (
    <section className={`wall-ticker wall-ticker-${lang}`} aria-label={t('ticker.heading')} data-testid="ticker">
      <h2>{t('ticker.heading')}</h2>
      {items.length === 0 ? (
        <p className="wall-ticker-empty">{t('ticker.empty')}</p>
      ) : (
        <ol>
          {items.map((incident) => {
            const text = incidentText(incident, lang);
            return (
              <li key={incident.id} data-incident-id={incident.id} data-severity={incident.severity} data-status={incident.status}>
                <span className="wall-ticker-severity" style={{ background: severityCss(incident.severity), color: chipText(incident.severity) }}>
                  {shared.t(severityKey(incident.severity))}
                </span>
                <span className="wall-ticker-title" lang={text.language}>{text.title}</span>
                <span className="wall-ticker-meta">
                  {incident.regionCode ? (regionNames.get(incident.regionCode) ?? incident.regionCode) : t('ticker.outside')}
                  {' · '}
                  <time dateTime={incident.reportedAt}>{eventTime(incident.reportedAt, nowMs, zone, lang, { seconds: false })}</time>
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
