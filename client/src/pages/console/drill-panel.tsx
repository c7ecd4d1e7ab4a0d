/**
 * The drill list: exercises, tests and drafts, each marked 演练 / Exercise, apart from the live
 * incidents. Nothing here reaches the map, the counts or the wall; the list only answers "what
 * did the exercise send?" for the duty officer who runs it.
 */
import type { Incident } from '#contract/index.ts';
import { DRILL_LIST_LIMIT } from '../../api/city-api.ts';
import { categoryKey, severityKey, useI18n } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { severityCss } from '../../map/severity.ts';
import type { DrillSnapshot } from '../../session/drill-store.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { eventTime } from '../../time/zoned-format.ts';
import { StatusBadge } from '../../features/incidents/status-badge.tsx';
import './drill-panel.css';

export interface DrillPanelProps {
  drills: DrillSnapshot;
  error: string | null;
  regionNames: ReadonlyMap<string, string>;
  onClose: () => void;
}

function DrillItem({ incident, regionNames }: { incident: Incident; regionNames: ReadonlyMap<string, string> }) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  const text = incidentText(incident, lang);
  return (
    <li className="drill-item" data-incident-id={incident.id} data-status={incident.status}>
      <span className="drill-tag">{t('drills.tag')}</span>
      <div className="drill-body">
        <div className="drill-title" lang={text.title ? text.language : undefined}>
          <span className="chip-dot" style={{ background: severityCss(incident.severity) }} title={t(severityKey(incident.severity))} />
          {text.title || t(categoryKey(incident.category))}
        </div>
        <div className="incident-meta">
          <span>{t(categoryKey(incident.category))}</span>
          <span>{incident.regionCode === null ? t('list.outsideRegions') : (regionNames.get(incident.regionCode) ?? incident.regionCode)}</span>
          <time dateTime={incident.reportedAt}>{eventTime(incident.reportedAt, Date.now(), zone, lang, { seconds: true })}</time>
        </div>
      </div>
      <StatusBadge status={incident.status} />
    </li>
  );
}

export function DrillPanel({ drills, error, regionNames, onClose }: DrillPanelProps) {
  const { t } = useI18n();
  return (
    <section className="panel drill-panel" data-testid="drill-panel" aria-labelledby="drill-panel-heading">
      <header className="drill-head">
        <span className="drill-tag">{t('drills.tag')}</span>
        <h2 id="drill-panel-heading">{t('drills.heading')}</h2>
        <button type="button" className="detail-close" onClick={onClose} title={t('drills.close')} aria-label={t('drills.close')}>
          ×
        </button>
      </header>
      <p className="drill-note">{t('drills.note')}</p>
      {error && <p className="detail-refusal" role="alert">{t('drills.error', { message: error })}</p>}
      {!error && !drills.loaded && <p className="muted" role="status">{t('loading')}</p>}
      {drills.loaded && drills.drills.length === 0 && <p className="muted" data-testid="drill-list-empty">{t('drills.empty')}</p>}
      {drills.drills.length > 0 && (
        <ol className="drill-list" data-testid="drill-list">
          {drills.drills.map((incident) => (
            <DrillItem key={incident.id} incident={incident} regionNames={regionNames} />
          ))}
        </ol>
      )}
      {drills.truncated && <p className="muted drill-truncated">{t('drills.truncated', { n: DRILL_LIST_LIMIT.toLocaleString() })}</p>}
    </section>
  );
}

/** The top bar's switch: the drill count on a badge, never added to the incident count beside it. */
export function DrillToggle({ drills, open, onToggle }: { drills: DrillSnapshot; open: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const count = `${drills.drills.length.toLocaleString()}${drills.truncated ? '+' : ''}`;
  return (
    <button
      type="button"
      className="lang-toggle drill-toggle"
      aria-pressed={open}
      onClick={onToggle}
      title={t('drills.buttonHint', { n: count })}
      data-testid="drill-toggle"
      data-count={drills.drills.length}
    >
      {t('drills.button')}
      <span className="drill-badge" data-testid="drill-count">{count}</span>
    </button>
  );
}
