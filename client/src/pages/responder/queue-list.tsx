/** The queue: one large row per open incident (a thumb can hit it on a tablet); the selected one is marked. */
import { useEffect, useRef } from 'react';
import type { Incident } from '#contract/index.ts';
import { categoryKey, severityKey, statusKey } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { severityCss } from '../../map/severity.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { shortDateTime } from '../../time/zoned-format.ts';
import { useResponderText } from './strings.ts';

/** The row's element id, for `aria-activedescendant` (screen readers follow the selection). */
const rowId = (id: string): string => `queue-row-${id}`;

export function QueueList({ queue, selectedId, onSelect }: { queue: readonly Incident[]; selectedId: string | null; onSelect: (id: string) => void }) {
  const { t, shared, lang } = useResponderText();
  const zone = useTimeZone();
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (selectedId === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-incident-id="${CSS.escape(selectedId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  return (
    <section className="responder-queue" aria-labelledby="responder-queue-heading">
      <header className="responder-queue-head">
        <h2 id="responder-queue-heading">{t('queue.heading')}</h2>
        <span className="responder-count" data-testid="queue-count">{t('queue.count', { n: queue.length })}</span>
      </header>
      <p className="responder-hint">{t('queue.hint')}</p>
      {queue.length === 0 ? (
        <p className="responder-empty">{t('queue.empty')}</p>
      ) : (
        <ul
          ref={listRef}
          className="responder-list"
          role="listbox"
          tabIndex={0}
          aria-labelledby="responder-queue-heading"
          aria-activedescendant={selectedId === null ? undefined : rowId(selectedId)}
          data-testid="responder-queue"
        >
          {queue.map((incident) => {
            const selected = incident.id === selectedId;
            const text = incidentText(incident, lang);
            return (
              <li
                key={incident.id}
                id={rowId(incident.id)}
                role="option"
                aria-selected={selected}
                data-incident-id={incident.id}
                data-severity={incident.severity}
                className={`responder-row${selected ? ' is-selected' : ''}`}
                onClick={() => onSelect(incident.id)}
              >
                <span className={`severity-chip severity-${incident.severity}`} style={{ borderColor: severityCss(incident.severity) }}>
                  {shared(severityKey(incident.severity))}
                </span>
                <span className="responder-row-main">
                  <span className="responder-row-title" data-proper-name lang={text.language}>{text.title}</span>
                  <span className="responder-row-meta">
                    {shared(categoryKey(incident.category))} · {shared(statusKey(incident.status))} · {t('queue.waiting', { time: shortDateTime(incident.reportedAt, zone, lang) })}
                  </span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
