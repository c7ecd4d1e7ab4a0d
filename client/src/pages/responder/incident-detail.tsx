/**
 * The selected incident: what, where, since when, the actions its status allows, the units sent
 * to it and how far each has got, a map of it and its radius, the measures its district's level
 * requires (a checklist), and what lies around it — nearest fire stations and hospitals
 * (straight-line distances, said so), residents and parcels inside the affected radius (hazardous
 * first), other open incidents nearby.
 */
import type { ReactNode } from 'react';
import type { Incident, Status } from '#contract/index.ts';
import { NEXT_STATUSES } from '#contract/index.ts';
import type { IncidentNearby, NearbyFacility } from '#contract/incident-nearby.ts';
import { actionKey, categoryKey, severityKey, statusKey } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { shortDateTime } from '../../time/zoned-format.ts';
import type { Action } from './confirm-dialog.tsx';
import { formatCount, formatDistance, landUseName, useResponderText, type ResponderTranslate } from './strings.ts';
import { useNearby } from './use-nearby.ts';
import { MeasureChecklist } from './measure-checklist.tsx';
import { useChecklist } from './use-checklist.ts';

export const ACTION_KEYS: Readonly<Record<Action, string>> = { acknowledged: 'A', dispatched: 'D', resolved: 'R' };
/** Opens the ranked units to send (U for units). */
export const SEND_KEY = 'U';
export const RADII_M = [500, 1000, 2000, 5000] as const;
const LIST_LIMIT = 8;

export function IncidentDetail({
  incident,
  regionName,
  radiusM,
  onRadius,
  onAction,
  message,
  riskVersion,
  onSend,
  progress,
  renderMap,
}: {
  incident: Incident | null;
  regionName: string | null;
  radiusM: number;
  onRadius: (m: number) => void;
  onAction: (action: Action) => void;
  message: { kind: 'error' | 'done'; text: string } | null;
  /** Bumped whenever the page's ratings change: the checklist follows its district's level. */
  riskVersion: number;
  /** Opens the unit picker. */
  onSend: () => void;
  /** The units sent to it and their steps. */
  progress: ReactNode;
  /** The map, given the surroundings once read for this incident and radius. */
  renderMap: (nearby: IncidentNearby | null) => ReactNode;
}) {
  const { t, shared, lang } = useResponderText();
  const zone = useTimeZone();
  const nearby = useNearby(incident?.id ?? null, radiusM);
  const checklist = useChecklist(incident?.id ?? null, incident?.seq ?? null, riskVersion);
  if (!incident) return <section className="responder-detail is-empty"><p>{t('detail.none')}</p></section>;
  const allowed: readonly Status[] = NEXT_STATUSES[incident.status];
  const text = incidentText(incident, lang);
  return (
    <section className="responder-detail" data-testid="responder-detail" data-incident-id={incident.id} aria-labelledby="responder-detail-title">
      <h2 id="responder-detail-title" data-proper-name lang={text.language}>{text.title}</h2>
      <dl className="responder-facts">
        <div><dt>{t('detail.severity')}</dt><dd className={`severity-text severity-${incident.severity}`}>{shared(severityKey(incident.severity))}</dd></div>
        <div><dt>{t('detail.category')}</dt><dd>{shared(categoryKey(incident.category))}</dd></div>
        <div><dt>{t('detail.status')}</dt><dd data-testid="detail-status" data-status={incident.status}>{shared(statusKey(incident.status))}</dd></div>
        <div><dt>{t('detail.reported')}</dt><dd>{shortDateTime(incident.reportedAt, zone, lang)}</dd></div>
        <div><dt>{t('detail.region')}</dt><dd data-proper-name>{regionName ?? t('detail.outside')}</dd></div>
      </dl>
      <div className="responder-actions" role="group" aria-label={t('detail.actions')}>
        {(Object.keys(ACTION_KEYS) as Action[]).map((action) => (
          <button key={action} type="button" className="responder-button" disabled={!allowed.includes(action)} onClick={() => onAction(action)} data-testid={`action-${action}`}>
            {shared(actionKey(action))}
            <kbd>{t('action.key', { key: ACTION_KEYS[action] })}</kbd>
          </button>
        ))}
        <button type="button" className="responder-button is-primary" onClick={onSend} data-testid="action-send">
          {t('units.send')}
          <kbd>{t('action.key', { key: SEND_KEY })}</kbd>
        </button>
      </div>
      {message && (
        <p className={`responder-message is-${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid={`action-${message.kind}`}>
          {message.text}
        </p>
      )}
      {progress}
      {renderMap(nearby.kind === 'ready' ? nearby.nearby : null)}
      <MeasureChecklist incident={incident} checklist={checklist} />
      <div className="responder-nearby-head">
        <h3>{t('nearby.heading')}</h3>
        <label>
          {t('nearby.radius')}{' '}
          <select value={radiusM} onChange={(e) => onRadius(Number(e.target.value))} data-testid="radius">
            {RADII_M.map((m) => <option key={m} value={m}>{formatDistance(m, lang)}</option>)}
          </select>
        </label>
      </div>
      {nearby.kind === 'loading' && <p role="status">{t('nearby.loading')}</p>}
      {nearby.kind === 'error' && <p role="alert">{t('nearby.error')}</p>}
      {nearby.kind === 'ready' && (
        <div className="responder-nearby" data-testid="nearby">
          <FacilityList heading={t('nearby.fire')} items={nearby.nearby.fireStations} testId="nearby-fire" t={t} />
          <FacilityList heading={t('nearby.hospital')} items={nearby.nearby.hospitals} testId="nearby-hospital" t={t} />
          <div className="responder-block">
            <h4>{t('nearby.residents')}</h4>
            <p className="responder-big" data-testid="nearby-residents" data-residents={nearby.nearby.residents}>
              {t('nearby.residentsValue', { n: formatCount(nearby.nearby.residents, lang) })}
              {nearby.nearby.populationSource === 'synthetic' && <span className="responder-note">{t('nearby.synthetic')}</span>}
            </p>
          </div>
          <div className="responder-block">
            <h4>{t('nearby.parcels')}</h4>
            {nearby.nearby.parcels.length === 0 ? <p>{t('nearby.none')}</p> : (
              <ul className="responder-plain" data-testid="nearby-parcels">
                {nearby.nearby.parcels.slice(0, LIST_LIMIT).map((p) => (
                  <li key={p.code} data-hazardous={p.hazardous}>
                    {p.hazardous && <span className="hazard-tag">{t('nearby.hazardous')}</span>}
                    <span data-proper-name>{p.name || t('nearby.unnamed')}</span> · {landUseName(p.landUse, lang)} · {formatDistance(p.distanceM, lang)}
                  </li>
                ))}
                {nearby.nearby.parcels.length > LIST_LIMIT && <li className="responder-note">{t('nearby.more', { n: nearby.nearby.parcels.length - LIST_LIMIT })}</li>}
              </ul>
            )}
          </div>
          <div className="responder-block">
            <h4>{t('nearby.incidents')}</h4>
            {nearby.nearby.incidents.length === 0 ? <p>{t('nearby.none')}</p> : (
              <ul className="responder-plain">
                {nearby.nearby.incidents.slice(0, LIST_LIMIT).map((i) => (
                  <li key={i.id}><span data-proper-name>{i.title}</span> · {formatDistance(i.distanceM, lang)}</li>
                ))}
                {nearby.nearby.incidents.length > LIST_LIMIT && <li className="responder-note">{t('nearby.more', { n: nearby.nearby.incidents.length - LIST_LIMIT })}</li>}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

function FacilityList({ heading, items, testId, t }: { heading: string; items: readonly NearbyFacility[]; testId: string; t: ResponderTranslate }) {
  const { lang } = useResponderText();
  return (
    <div className="responder-block">
      <h4>{heading}</h4>
      {items.length === 0 ? <p>{t('nearby.none')}</p> : (
        <ol className="responder-plain" data-testid={testId}>
          {items.map((f) => (
            <li key={f.id} data-facility-id={f.id}>
              <span data-proper-name>{f.name}</span>{' '}
              <strong>{formatDistance(f.distanceM, lang)}</strong> <span className="responder-note">({t('nearby.straight')})</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
