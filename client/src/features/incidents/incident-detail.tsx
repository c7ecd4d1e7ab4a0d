/**
 * The card of one incident: what happened, who reported it (as the server sends it: masked for
 * viewers), its audited history, and for those who may write incidents (the permissions table) the
 * next workflow steps.
 */
import { useEffect, useState } from 'react';
import { can, NEXT_STATUSES, type Incident, type IncidentChange, type Role } from '#contract/index.ts';
import { ApiError, fetchIncidentHistory, patchIncident } from '../../api/city-api.ts';
import { actionKey, categoryKey, measureText, severityKey, statusKey, useI18n } from '../../i18n/i18n.ts';
import { incidentText } from './incident-text.ts';
import { severityCss } from '../../map/severity.ts';
import { incidentFromFeature } from '../../session/incident-store.ts';
import { isOperatorStep, type OperatorStep } from '../../session/incident-status.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { eventTime } from '../../time/zoned-format.ts';
import { fieldNames, historyLine } from './history-text.ts';
import { StatusBadge } from './status-badge.tsx';
import { messageOf } from '../../api/error-message.ts';


/** Render with `key={incident.id}`: note, refusal and history belong to one incident. */
export interface IncidentDetailProps {
  incident: Incident;
  regionName: string | null;
  role: Role | null;
  onClose: () => void;
  /** The server accepted a step: show its answer at once, before the live event arrives. */
  onChanged: (incident: Incident) => void;
}

type HistoryState = { phase: 'loading' } | { phase: 'loaded'; items: IncidentChange[] } | { phase: 'failed'; message: string };

/**
 * History is read again whenever the incident changes (its `seq` moves with every step); the old
 * list stays meanwhile. The card is keyed by incident id, so another incident starts afresh.
 */
function useHistory(id: string, seq: number): HistoryState {
  const [state, setState] = useState<HistoryState>({ phase: 'loading' });
  useEffect(() => {
    const abort = new AbortController();
    fetchIncidentHistory(id, abort.signal)
      .then((history) => setState({ phase: 'loaded', items: history.items }))
      .catch((error: unknown) => abort.signal.aborted || setState({ phase: 'failed', message: messageOf(error) }));
    return () => abort.abort();
  }, [id, seq]);
  return state;
}

function Actions({ incident, onChanged }: Pick<IncidentDetailProps, 'incident' | 'onChanged'>) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState<OperatorStep | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  // A refusal stays until the next attempt, even after the live update that explains it arrived:
  // "someone else was quicker; allowed now: …" is still what the user needs to read.
  const next = NEXT_STATUSES[incident.status].filter(isOperatorStep);
  if (next.length === 0) return null;

  const step = async (status: OperatorStep) => {
    setSaving(status);
    setRefusal(null);
    try {
      const trimmed = note.trim();
      const feature = await patchIncident(incident.id, { status, ...(trimmed && { note: trimmed }) });
      onChanged(incidentFromFeature(feature));
      setNote('');
    } catch (error) {
      // A 409 names the steps that are allowed now (someone else was quicker): show it as it is.
      setRefusal(error instanceof ApiError ? error.message : messageOf(error));
    } finally {
      setSaving(null);
    }
  };

  return (
    <div className="detail-actions">
      <h3>{t('detail.actions')}</h3>
      <input
        type="text"
        className="detail-note"
        placeholder={t('detail.note')}
        aria-label={t('detail.note')}
        value={note}
        maxLength={2000}
        onChange={(event) => setNote(event.target.value)}
      />
      <div className="detail-buttons">
        {next.map((status) => (
          <button
            key={status}
            type="button"
            className={`action action-${status}`}
            data-testid={`action-${status}`}
            disabled={saving !== null}
            onClick={() => void step(status)}
          >
            {saving === status ? t('detail.saving') : t(actionKey(status))}
          </button>
        ))}
      </div>
      {refusal && (
        <p className="detail-refusal" role="alert" data-testid="action-error">
          {t('detail.refused', { message: refusal })}
        </p>
      )}
    </div>
  );
}

function History({ state }: { state: HistoryState }) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  return (
    <div className="detail-history" data-testid="incident-history" data-phase={state.phase}>
      <h3>{t('detail.history')}</h3>
      {state.phase === 'loading' && <p className="muted">{t('loading')}</p>}
      {state.phase === 'failed' && <p className="detail-refusal">{t('detail.historyError', { message: state.message })}</p>}
      {state.phase === 'loaded' && state.items.length === 0 && <p className="muted">{t('detail.historyEmpty')}</p>}
      {state.phase === 'loaded' && state.items.length > 0 && (
        <ol>
          {state.items.map((change) => {
            const line = historyLine(change);
            const step = line.kind === 'step' ? line : line.kind === 'updated' ? line.step : null;
            return (
              <li key={change.seq} data-kind={line.kind}>
                <time dateTime={change.at}>{eventTime(change.at, Date.now(), zone, lang, { seconds: true })}</time>
                {line.kind === 'created' && <span className="history-step">{t('detail.created')}</span>}
                {line.kind === 'measure' && (
                  <span className="history-update" data-measure={line.measure.id} data-done={line.measure.done}>
                    {t(line.measure.done ? 'detail.measureDone' : 'detail.measureUndone', { measure: measureText(line.measure, lang) })}
                  </span>
                )}
                {line.kind === 'updated' && (
                  <span className="history-update" data-fields={line.fields.join(',')}>
                    {t('detail.updated', { fields: fieldNames(line.fields, t, lang) })}
                  </span>
                )}
                {step && (
                  <span className="history-step">
                    {`${t(statusKey(step.from))} → `}
                    <strong>{t(statusKey(step.to))}</strong>
                  </span>
                )}
                {/* For a source's update, the source's name: who changed it is part of the record. */}
                <span className="history-actor">{change.actor.name}</span>
                {change.note && <span className="history-note">{change.note}</span>}
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}

export function IncidentDetail({ incident, regionName, role, onClose, onChanged }: IncidentDetailProps) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  const history = useHistory(incident.id, incident.seq);
  const reporter = [incident.reporter?.name, incident.reporter?.phone].filter(Boolean).join(' · ');
  const text = incidentText(incident, lang);
  return (
    <section className="panel incident-detail" data-testid="incident-detail" data-incident-id={incident.id} aria-label={text.title}>
      <header className="detail-head">
        <span className="detail-dot" style={{ background: severityCss(incident.severity) }} aria-hidden="true" />
        <h2 className="detail-title" lang={text.title ? text.language : undefined}>{text.title || t(categoryKey(incident.category))}</h2>
        <button type="button" className="detail-close" onClick={onClose} title={t('detail.close')} aria-label={t('detail.close')}>
          ×
        </button>
      </header>
      <div className="detail-scroll">
        <dl className="detail-fields">
          <dt>{t('detail.status')}</dt>
          <dd><StatusBadge status={incident.status} /></dd>
          <dt>{t('detail.severity')}</dt>
          <dd className="detail-severity" style={{ color: severityCss(incident.severity) }}>{t(severityKey(incident.severity))}</dd>
          <dt>{t('detail.category')}</dt>
          <dd>{t(categoryKey(incident.category))}</dd>
          <dt>{t('detail.district')}</dt>
          <dd>{regionName ?? t('list.outsideRegions')}</dd>
          <dt>{t('detail.occurredAt')}</dt>
          <dd className="wide"><time dateTime={incident.occurredAt}>{eventTime(incident.occurredAt, Date.now(), zone, lang, { seconds: true })}</time></dd>
          <dt>{t('detail.reporter')}</dt>
          <dd className="wide" data-testid="detail-reporter">{reporter || t('detail.none')}</dd>
        </dl>
        {text.areaDesc && <p className="detail-area" lang={text.language}>{text.areaDesc}</p>}
        {text.description && <p className="detail-description" lang={text.language}>{text.description}</p>}
        {role !== null && can(role, 'incidents:write') && <Actions incident={incident} onChanged={onChanged} />}
        <History state={history} />
      </div>
    </section>
  );
}
