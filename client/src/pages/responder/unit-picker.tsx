/**
 * The ranked recommendation for the chosen incident (`GET …/recommend`: free units that serve its
 * category, soonest estimated arrival first, and how it was estimated), chosen and sent by
 * keyboard: ↑/↓ choose, Enter sends the chosen unit (`POST …/assignments`), Esc closes. A refusal
 * is said in the page's language from what the page knows, and the ranking is read again.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { FINAL_STATUSES, RECOMMEND_METHOD, UNIT_STATUS_NAMES, type Assignment, type Incident, type Recommendation, type RecommendedUnit, type Unit } from '#contract/index.ts';
import { ApiError, requestJson } from '../../api/city-api.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { statusKey } from '../../i18n/i18n.ts';
import { pickerKey } from './dispatch-keys.ts';
import { formatDistance, useResponderText } from './strings.ts';
import { kindName } from './unit-board.tsx';

type Ranking = { kind: 'loading' } | { kind: 'ready'; recommendation: Recommendation } | { kind: 'error'; code: number | string };

const FREE = new Set(['available', 'returning']);
const optionId = (unitId: string) => `pick-${unitId}`;

export function UnitPicker({ incident, unitById, onSent, onClose }: {
  incident: Incident;
  /** The unit as the page knows it now (a refusal names its status). */
  unitById: (id: string) => Unit | undefined;
  onSent: (assignment: Assignment, unit: RecommendedUnit) => void;
  onClose: () => void;
}) {
  const { t, shared, lang } = useResponderText();
  const [ranking, setRanking] = useState<Ranking>({ kind: 'loading' });
  const [generation, setGeneration] = useState(0);
  const [cursor, setCursor] = useState(0);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  // Focus moves into the picker (off the button that opened it, which Enter would press again).
  useEffect(() => dialogRef.current?.focus(), []);

  useEffect(() => {
    const abort = new AbortController();
    requestJson<Recommendation>(`/incidents/${encodeURIComponent(incident.id)}/recommend`, abort.signal)
      .then((recommendation) => setRanking({ kind: 'ready', recommendation }))
      .catch((e: unknown) => abort.signal.aborted || setRanking({ kind: 'error', code: e instanceof ApiError ? e.status : '—' }));
    return () => abort.abort();
  }, [incident.id, generation]);

  const units = ranking.kind === 'ready' ? ranking.recommendation.units : [];
  const chosen = units[Math.min(cursor, units.length - 1)];

  const send = useCallback(async (unit: RecommendedUnit) => {
    setSaving(true);
    setError(null);
    try {
      const assignment = await requestJson<Assignment>(`/incidents/${encodeURIComponent(incident.id)}/assignments`, undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ unitId: unit.unitId }),
      });
      onSent(assignment, unit);
    } catch (e) {
      const code = e instanceof ApiError ? e.status : '—';
      const now = unitById(unit.unitId);
      if (code === 409 && FINAL_STATUSES.has(incident.status)) setError(t('assign.closed', { status: shared(statusKey(incident.status)) }));
      else if (code === 409 && now && !FREE.has(now.status)) setError(t('assign.busy', { unit: unit.callSign, status: UNIT_STATUS_NAMES[now.status][lang] }));
      else if (code === 409) setError(t('assign.conflict', { unit: unit.callSign }));
      else if (code === 403) setError(t('assign.forbidden'));
      else if (code === 404) setError(t('assign.notFound'));
      else setError(t('error.other', { code }));
      // What was refused is no longer the truth: rank again.
      if (code === 409 || code === 404) setGeneration((g) => g + 1);
    } finally {
      setSaving(false);
    }
  }, [incident, unitById, onSent, t, shared, lang]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Tab') return;
      // A button reached with Tab does what it says (Close must not send).
      if ((event.key === 'Enter' || event.key === ' ') && event.target instanceof HTMLButtonElement) return;
      // Captured before the page's own shortcuts: none of them may act while the picker is open.
      event.preventDefault();
      event.stopImmediatePropagation();
      const next = pickerKey(cursor, units.length, event.key);
      setCursor(next.cursor);
      if (next.action === 'close') onClose();
      else if (next.action === 'assign' && !saving && units[next.cursor]) void send(units[next.cursor]!);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [cursor, units, saving, send, onClose]);

  useEffect(() => {
    if (chosen) listRef.current?.querySelector(`#${CSS.escape(optionId(chosen.unitId))}`)?.scrollIntoView({ block: 'nearest' });
  }, [chosen]);

  const text = incidentText(incident, lang);
  const method = ranking.kind === 'ready' ? ranking.recommendation.method : null;
  return (
    <div className="responder-backdrop" onClick={onClose}>
      <div ref={dialogRef} tabIndex={-1} className="responder-dialog responder-picker" role="dialog" aria-modal="true" aria-labelledby="picker-heading" data-testid="unit-picker" data-state={ranking.kind} onClick={(e) => e.stopPropagation()}>
        <h2 id="picker-heading">{t('recommend.heading')}</h2>
        <p className="responder-dialog-title" data-proper-name lang={text.language}>{text.title}</p>
        <p className="responder-hint">{t('recommend.hint')}</p>
        {ranking.kind === 'loading' && <p role="status">{t('recommend.loading')}</p>}
        {ranking.kind === 'error' && <p role="alert">{t('recommend.error', { code: ranking.code })}</p>}
        {ranking.kind === 'ready' && units.length === 0 && <p>{t('recommend.none')}</p>}
        {units.length > 0 && (
          <ol ref={listRef} className="responder-picker-list" role="listbox" aria-labelledby="picker-heading" aria-activedescendant={chosen ? optionId(chosen.unitId) : undefined} data-testid="picker-units">
            {units.map((u, index) => (
              <li
                key={u.unitId}
                id={optionId(u.unitId)}
                role="option"
                aria-selected={u === chosen}
                className={`responder-row${u === chosen ? ' is-selected' : ''}`}
                data-unit-id={u.unitId}
                data-eta={u.etaSeconds}
                onClick={() => setCursor(index)}
                onDoubleClick={() => !saving && void send(u)}
              >
                <span className="responder-row-main">
                  <span className="responder-row-title"><span data-proper-name>{u.callSign}</span> · {kindName(u.kind, lang)}</span>
                  <span className="responder-row-meta">
                    {t('recommend.eta', { min: Math.max(1, Math.round(u.etaSeconds / 60)) })} · {formatDistance(u.distanceMeters, lang)} · {t(u.from === 'position' ? 'recommend.fromPosition' : 'recommend.fromStation')}
                  </span>
                </span>
              </li>
            ))}
          </ol>
        )}
        {ranking.kind === 'ready' && ranking.recommendation.excluded.length > 0 && <p className="responder-note">{t('recommend.excluded', { n: ranking.recommendation.excluded.length })}</p>}
        {method && <p className="responder-note" data-testid="picker-method" data-method={method}>{method === RECOMMEND_METHOD ? t('recommend.method') : method}</p>}
        {error && <p className="responder-message is-error" role="alert" data-testid="picker-error">{error}</p>}
        <div className="responder-dialog-buttons">
          <button type="button" className="responder-button" onClick={onClose}>{t('recommend.close')}</button>
          <button type="button" className="responder-button is-primary" disabled={!chosen || saving} onClick={() => chosen && void send(chosen)} data-testid="picker-send">
            {saving ? t('recommend.saving') : t('recommend.assign')}
          </button>
        </div>
      </div>
    </div>
  );
}
