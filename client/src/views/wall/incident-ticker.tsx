/** The latest incidents, newest first: title, category, time and district. */
import type { Incident } from '../../../../server/contract/index.ts';
import { categoryKey, severityKey, useI18n, type Lang } from '../../i18n.ts';
import { severityCss } from '../../map/severity.ts';

export interface IncidentTickerProps {
  /** Newest first; the ticker shows the first `limit`. */
  incidents: readonly Incident[];
  regionNames: ReadonlyMap<string, string>;
  loading: boolean;
  onHover: (id: string | null) => void;
  /** @default 10 */
  limit?: number;
}

function formatTime(iso: string, lang: Lang): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = new Date().toDateString() === date.toDateString();
  return new Intl.DateTimeFormat(lang, {
    ...(today ? {} : { month: '2-digit', day: '2-digit' }),
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date);
}

export function IncidentTicker({ incidents, regionNames, loading, onHover, limit = 10 }: IncidentTickerProps) {
  const { t, lang } = useI18n();
  const latest = incidents.slice(0, limit);
  return (
    <section className="panel ticker" data-testid="incident-ticker" aria-label={t('ticker.heading')} aria-live="polite">
      <h2>{t('ticker.heading')}</h2>
      {loading && <p className="muted">{t('loading')}</p>}
      {!loading && latest.length === 0 && <p className="muted">{t('ticker.empty')}</p>}
      <ol>
        {latest.map((incident) => (
          <li
            key={incident.id}
            data-incident-id={incident.id}
            data-severity={incident.severity}
            onMouseEnter={() => onHover(incident.id)}
            onMouseLeave={() => onHover(null)}
          >
            <span
              className="ticker-dot"
              style={{ background: severityCss(incident.severity) }}
              title={t(severityKey(incident.severity))}
            />
            <div className="ticker-body">
              <div className="ticker-title">{incident.title || t(categoryKey(incident.category))}</div>
              <div className="ticker-meta">
                <span>{t(categoryKey(incident.category))}</span>
                <span>
                  {incident.regionCode === null
                    ? t('ticker.outsideRegions')
                    : (regionNames.get(incident.regionCode) ?? incident.regionCode)}
                </span>
                <time dateTime={incident.occurredAt}>{formatTime(incident.occurredAt, lang)}</time>
              </div>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
