/** The incident list: filter chips, then the newest incidents with severity, status, district and time. */
import { useEffect, useRef } from 'react';
import type { Incident, Severity } from '#contract/index.ts';
import { categoryKey, severityKey, useI18n } from '../../i18n/i18n.ts';
import { incidentText } from './incident-text.ts';
import { SEVERITIES_HIGH_FIRST, severityCss } from '../../map/severity.ts';
import { isOpen } from '../../session/incident-status.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { eventTime } from '../../time/zoned-format.ts';
import { toggleSeverity, type IncidentFilter, type StatusScope } from './incident-filter.ts';
import { StatusBadge } from './status-badge.tsx';

export interface IncidentListProps {
  /** What passes the filter, newest first, already cut to what is shown. */
  shown: readonly Incident[];
  /** How many pass the filter in all. */
  total: number;
  regionNames: ReadonlyMap<string, string>;
  loading: boolean;
  filter: IncidentFilter;
  onFilterChange: (filter: IncidentFilter) => void;
  selectedId: string | null;
  onHover: (id: string | null) => void;
  /** A click: select the incident and open its card. */
  onOpen: (id: string) => void;
}

const SCOPES: readonly StatusScope[] = ['open', 'all'];

function Filters({ filter, onFilterChange }: Pick<IncidentListProps, 'filter' | 'onFilterChange'>) {
  const { t } = useI18n();
  return (
    <div className="filters">
      <div className="segmented" role="group">
        {SCOPES.map((scope) => (
          <button
            key={scope}
            type="button"
            className="chip"
            data-testid={`filter-${scope}`}
            aria-pressed={filter.scope === scope}
            onClick={() => onFilterChange({ ...filter, scope })}
          >
            {t(`filter.${scope}`)}
          </button>
        ))}
      </div>
      <div className="severity-chips" role="group" aria-label={t('filter.severityHint')}>
        {SEVERITIES_HIGH_FIRST.map((severity: Severity) => (
          <button
            key={severity}
            type="button"
            className="chip"
            data-testid={`filter-severity-${severity}`}
            aria-pressed={filter.severities.has(severity)}
            onClick={() => onFilterChange(toggleSeverity(filter, severity))}
          >
            <span className="chip-dot" style={{ background: severityCss(severity) }} aria-hidden="true" />
            {t(severityKey(severity))}
          </button>
        ))}
      </div>
    </div>
  );
}

export function IncidentList(props: IncidentListProps) {
  const { shown, total, regionNames, loading, filter, selectedId, onHover, onOpen } = props;
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  // "Today" in the centre's zone, read once per render for every row.
  const now = Date.now();
  const listRef = useRef<HTMLOListElement>(null);

  // Keyboard selection can move below the fold: keep the selected item in view.
  useEffect(() => {
    if (!selectedId) return;
    const item = listRef.current?.querySelector(`[data-incident-id="${CSS.escape(selectedId)}"]`);
    item?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);

  const filtered = filter.scope !== 'all' || filter.severities.size > 0;
  return (
    <section className="panel incident-list" data-testid="incident-list" aria-label={t('list.heading')}>
      <header className="incident-list-head">
        <h2>{t('list.heading')}</h2>
        {!loading && <span className="incident-list-count">{t('list.shown', { shown: shown.length, total: total.toLocaleString() })}</span>}
      </header>
      <Filters filter={filter} onFilterChange={props.onFilterChange} />
      {loading && <p className="muted list-state" role="status">{t('loading')}</p>}
      {!loading && shown.length === 0 && (
        <p className="muted list-state" data-testid="incident-list-empty">{t(filtered ? 'list.emptyFiltered' : 'list.empty')}</p>
      )}
      <ol ref={listRef} role="listbox" aria-label={t('list.heading')}>
        {shown.map((incident) => {
          const text = incidentText(incident, lang);
          return (
            <li
              key={incident.id}
              role="option"
              aria-selected={incident.id === selectedId}
              className={isOpen(incident) ? 'incident-item' : 'incident-item closed'}
              data-incident-id={incident.id}
              data-severity={incident.severity}
              data-status={incident.status}
              onMouseEnter={() => onHover(incident.id)}
              onMouseLeave={() => onHover(null)}
              onClick={() => onOpen(incident.id)}
            >
              <span className="severity-bar" style={{ background: severityCss(incident.severity) }} title={t(severityKey(incident.severity))} />
              <div className="incident-body">
                <div className="incident-title" lang={text.title ? text.language : undefined}>{text.title || t(categoryKey(incident.category))}</div>
                <div className="incident-meta">
                  <span>{t(categoryKey(incident.category))}</span>
                  <span>
                    {incident.regionCode === null
                      ? t('list.outsideRegions')
                      : (regionNames.get(incident.regionCode) ?? incident.regionCode)}
                  </span>
                  <time dateTime={incident.occurredAt}>{eventTime(incident.occurredAt, now, zone, lang, { seconds: true })}</time>
                </div>
              </div>
              <StatusBadge status={incident.status} />
            </li>
          );
        })}
      </ol>
      <footer className="keys-hint">{t('list.keysHint')}</footer>
    </section>
  );
}
