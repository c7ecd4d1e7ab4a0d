/**
 * `/responder`: the emergency team's console, built for a 1024×768 tablet under stress. The open
 * incidents as a queue (most severe, then longest waiting, first) above the unit status board;
 * ↑/↓ choose, A/D/R acknowledge, dispatch, resolve after a confirmation; U ranks the free units
 * for the chosen incident and sends one (↑/↓, Enter, Esc); the chosen incident's units and their
 * steps, each recorded by key (N next step, X decline, C clear with a disposition; P focuses the
 * list to choose another unit); its map (radius, units, nearest facilities) and surroundings; a
 * sound when a severe or extreme incident arrives (M mutes), and `L` switches the language. On a
 * crew's tablet (a token bound to a unit) the bar names the unit, and its own incident and
 * assignment are chosen first.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { FINAL_STATUSES, NEXT_STATUSES, type Assignment, type Incident, type RecommendedUnit, type Unit } from '#contract/index.ts';
import { ApiError, patchIncident } from '../../api/city-api.ts';
import { I18nContext, actionKey, severityKey, statusKey, useI18n } from '../../i18n/i18n.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { incidentFromFeature } from '../../session/incident-store.ts';
import { useLanguage } from '../../shell/use-language.ts';
import { useShortcut } from '../../shell/use-shortcut.ts';
import { ZoneBadge } from '../../time/zone-badge.tsx';
import { SignInCard } from '../../shell/sign-in-card.tsx';
import { IncidentStore } from '../../session/incident-store.ts';
import { useCitySession } from '../../session/use-city-session.ts';
import { AssignmentStore, activeIncidentByUnit, assignmentsOf } from '../../session/assignment-store.ts';
import { UnitStore } from '../../session/unit-store.ts';
import { useUnitLayers } from '../../features/units/use-unit-layers.ts';
import { AssignmentProgress } from './assignment-progress.tsx';
import { ConfirmDialog, type Action } from './confirm-dialog.tsx';
import { PROGRESS_KEY, STEP_KEYS, chosenAssignment, crewIncidentId, stepForKey, type CrewStep } from './crew-steps.ts';
import { DispositionDialog } from './disposition-dialog.tsx';
import { useCrewSteps } from './use-crew-steps.ts';
import { ACTION_KEYS, IncidentDetail, SEND_KEY } from './incident-detail.tsx';
import { ResponderMap } from './responder-map.tsx';
import { UnitBoard } from './unit-board.tsx';
import { UnitPicker } from './unit-picker.tsx';
import { useAssignments } from './use-dispatch.ts';
import { QueueList } from './queue-list.tsx';
import { responderQueue } from './queue.ts';
import { useResponderText } from './strings.ts';
import { useAlerts } from './use-alerts.ts';
import './responder-page.css';

export function ResponderPage() {
  const i18n = useLanguage();
  return (
    <I18nContext.Provider value={i18n}>
      <ResponderScreen />
    </I18nContext.Provider>
  );
}

const KEY_ACTIONS: Readonly<Record<string, Action>> = Object.fromEntries(
  (Object.entries(ACTION_KEYS) as [Action, string][]).flatMap(([action, key]) => [[key, action], [key.toLowerCase(), action]]),
);

function ResponderScreen() {
  const { t, shared, lang } = useResponderText();
  const { toggle } = useI18n();
  // The queue shows open incidents only: no closed ones, no playback, no parcels. The ratings are
  // read (and kept live) so each incident's checklist follows its district's level; the units and
  // the assignments for the board, the map and each incident's progress.
  const [unitStore] = useState(() => new UnitStore());
  const [assignmentStore] = useState(() => new AssignmentStore());
  const data = useCitySession(() => ({ incidents: new IncidentStore(), incidentQuery: 'open' as const, risk: true, units: unitStore, assignments: assignmentStore }));
  const { city } = data;
  const signedIn = data.phase === 'signed-in';
  const queue = useMemo(() => responderQueue(data.incidents.incidents), [data.incidents.incidents]);
  const alerts = useAlerts(data.incidents.incidents, data.incidents.loaded);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [radiusM, setRadiusM] = useState(1000);
  const [pending, setPending] = useState<{ incident: Incident; action: Action } | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'done'; text: string } | null>(null);
  const [picking, setPicking] = useState<Incident | null>(null);
  const [choiceId, setChoiceId] = useState<string | null>(null);
  const [clearing, setClearing] = useState<Assignment | null>(null);
  const progressRef = useRef<HTMLUListElement>(null);
  const ownUnitId = data.unitId;
  const held = useSyncExternalStore(assignmentStore.subscribe, assignmentStore.getSnapshot);

  // The top of the queue (on a crew's tablet: its own unit's incident) is chosen until someone
  // chooses; a chosen incident that left the queue gives way to it.
  const crewIncident = useMemo(() => crewIncidentId(held.byId.values(), ownUnitId), [held, ownUnitId]);
  const selected = queue.find((i) => i.id === selectedId) ?? queue.find((i) => i.id === crewIncident) ?? queue[0] ?? null;
  useEffect(() => setMessage(null), [selected?.id]);

  const units = useUnitLayers(unitStore, signedIn, data.riskGeneration);
  // The register part only: positions (up to one per unit a second) leave the board alone. The
  // store changes entries of its array in place; `registerVersion` says when one changed.
  const { units: unitDots, registerVersion } = units.snapshot;
  const unitList = useMemo(() => unitDots.map((d) => d.unit), [unitDots, registerVersion]);
  const unitIndex = useMemo(() => new Map<string, Unit>(unitList.map((u) => [u.id, u])), [unitList]);
  const unitById = useCallback((id: string) => unitIndex.get(id), [unitIndex]);
  const dispatch = useAssignments(assignmentStore, selected?.id ?? null, signedIn, data.riskGeneration);
  const incidentOf = useMemo(() => activeIncidentByUnit(dispatch), [dispatch]);
  const progress = useMemo(() => (selected ? assignmentsOf(dispatch, selected.id) : []), [dispatch, selected]);
  const sent = useCallback((assignment: Assignment, unit: RecommendedUnit) => {
    assignmentStore.load([assignment]);
    setMessage({ kind: 'done', text: t('assign.done', { unit: unit.callSign }) });
    setPicking(null);
  }, [assignmentStore, t]);
  const closePicker = useCallback(() => setPicking(null), []);
  const idle = pending === null && picking === null && clearing === null;

  // The chosen incident's units: the step keys act on the chosen one; clearing asks for a disposition first.
  const chosen = chosenAssignment(progress, choiceId, ownUnitId);
  const incidentClosed = selected !== null && FINAL_STATUSES.has(selected.status);
  const { saving: recording, record } = useCrewSteps({ store: assignmentStore, ownUnitId, unitById, onMessage: setMessage });
  const step = useCallback((assignment: Assignment, next: CrewStep) => {
    if (next === 'cleared') setClearing(assignment);
    else void record(assignment, next, incidentClosed);
  }, [record, incidentClosed]);
  useShortcut(STEP_KEYS, (e) => {
    const next = chosen && stepForKey(e.key, chosen.status, incidentClosed);
    if (!chosen || !next || recording) return;
    // C opens a text field, focused at once: the key's own character must not land in it.
    e.preventDefault();
    step(chosen, next);
  }, idle);
  useShortcut([PROGRESS_KEY, PROGRESS_KEY.toLowerCase()], (e) => {
    e.preventDefault();
    const list = progressRef.current;
    (list?.querySelector<HTMLElement>('[data-chosen="true"]') ?? list)?.focus();
  }, idle);
  const clear = useCallback(async (disposition: string) => {
    if (clearing) await record(clearing, 'cleared', incidentClosed, disposition);
    setClearing(null);
  }, [clearing, record, incidentClosed]);
  const cancelClearing = useCallback(() => setClearing(null), []);

  const move = (step: number) => {
    if (queue.length === 0) return;
    const at = selected ? queue.findIndex((i) => i.id === selected.id) : -1;
    const next = queue[Math.min(queue.length - 1, Math.max(0, at + step))]!;
    setSelectedId(next.id);
  };
  useShortcut(['ArrowDown'], (e) => { e.preventDefault(); move(1); }, idle);
  useShortcut(['ArrowUp'], (e) => { e.preventDefault(); move(-1); }, idle);
  useShortcut([SEND_KEY, SEND_KEY.toLowerCase()], () => selected && setPicking(selected), idle);
  const ask = useCallback((action: Action) => {
    if (selected) setPending({ incident: selected, action });
  }, [selected]);
  useShortcut(Object.keys(KEY_ACTIONS), (e) => ask(KEY_ACTIONS[e.key]!), idle);

  const confirm = useCallback(async () => {
    if (!pending) return;
    const { incident, action } = pending;
    setSaving(true);
    try {
      const feature = await patchIncident(incident.id, { status: action });
      city.incidents.applyLocal(incidentFromFeature(feature));
      setMessage({ kind: 'done', text: t('done.changed', { status: shared(statusKey(action)) }) });
    } catch (error) {
      // The server's own 409 text is English; say the same from what the store knows now.
      const current = city.incidents.get(incident.id) ?? incident;
      const actionName = shared(actionKey(action));
      const status = shared(statusKey(current.status));
      const allowed = NEXT_STATUSES[current.status].map((s) => shared(statusKey(s))).join(lang === 'en' ? ', ' : '、');
      const text =
        error instanceof ApiError && error.status === 409
          ? allowed ? t('error.conflict', { action: actionName, status, allowed }) : t('error.final', { action: actionName, status })
          : t('error.other', { code: error instanceof ApiError ? error.status : '—' });
      setMessage({ kind: 'error', text });
    } finally {
      setSaving(false);
      setPending(null);
    }
  }, [pending, city, t, shared, lang]);
  const cancel = useCallback(() => setPending(null), []);

  const alertText = alerts.latest ? incidentText(alerts.latest, lang) : null;

  const regionName = (code: string | null): string | null =>
    code === null ? null : (data.regions?.features.find((f) => f.properties.code === code)?.properties.name ?? code);

  return (
    <div className="responder" lang={lang} data-alerts={alerts.sounded} data-muted={alerts.muted} data-testid="responder">
      <header className="responder-bar">
        <h1>{t('title')}</h1>
        <ZoneBadge />
        {ownUnitId && (
          <span className="responder-crew" data-testid="crew-unit" data-unit-id={ownUnitId}>
            {t('crew.unit', { unit: unitById(ownUnitId)?.callSign ?? ownUnitId })}
          </span>
        )}
        <span className={`responder-live is-${data.connection.status}`} role="status">{t(`live.${data.connection.status}`)}</span>
        <button type="button" className={`responder-button${alerts.muted ? ' is-muted' : ''}`} aria-pressed={alerts.muted} onClick={alerts.toggleMuted} data-testid="mute">
          {alerts.muted ? t('sound.muted') : t('sound.on')}
        </button>
        <button type="button" className="responder-button" onClick={toggle}>{t('lang.switch')}</button>
      </header>
      {!alerts.unlocked && !alerts.muted && <p className="responder-unlock">{t('sound.locked')}</p>}
      {alerts.latest && (
        <div className={`responder-alert severity-${alerts.latest.severity}`} role="alert" data-testid="alert-banner">
          <span>{t('alert.new', { severity: shared(severityKey(alerts.latest.severity)) })}<span data-proper-name lang={alertText?.language}>{alertText?.title}</span></span>
          <button type="button" className="responder-button" onClick={() => { setSelectedId(alerts.latest!.id); alerts.dismiss(); }}>{t('alert.dismiss')}</button>
        </div>
      )}
      {data.storeDown && (
        <p className="responder-message is-error" role="alert" data-testid="store-down">
          {t('store.down')}
        </p>
      )}
      {data.phase === 'signed-out' && <SignInCard />}
      {data.error && (
        <p className="responder-message is-error" role="alert">
          {t('error.load')} <button type="button" className="responder-button" onClick={data.retry}>{t('retry')}</button>
        </p>
      )}
      {data.phase === 'signed-in' && !data.incidents.loaded
 && !data.error && <p role="status">{t('loading')}</p>}
      <main className="responder-main">
        <div className="responder-left">
          <QueueOrNothing loaded={data.incidents.loaded} queue={queue} selectedId={selected?.id ?? null} onSelect={setSelectedId} />
          {signedIn && <UnitBoard units={unitList} incidentOf={incidentOf} incidentById={(id) => city.incidents.get(id)} />}
        </div>
        {data.incidents.loaded && (
          <IncidentDetail
            incident={selected}
            regionName={regionName(selected?.regionCode ?? null)}
            radiusM={radiusM}
            onRadius={setRadiusM}
            onAction={ask}
            message={message}
            riskVersion={data.risk.version}
            onSend={() => selected && setPicking(selected)}
            progress={
              <AssignmentProgress
                ref={progressRef}
                assignments={progress}
                unitById={unitById}
                chosen={chosen}
                onChoose={setChoiceId}
                ownUnitId={ownUnitId}
                incidentClosed={incidentClosed}
                saving={recording}
                onStep={step}
              />
            }
            renderMap={(nearby) => selected && data.regions && <ResponderMap regions={data.regions} incident={selected} radiusM={radiusM} nearby={nearby} units={units.group} />}
          />
        )}
      </main>
      {pending && <ConfirmDialog incident={pending.incident} action={pending.action} saving={saving} onConfirm={() => void confirm()} onCancel={cancel} />}
      {clearing && <DispositionDialog unit={unitById(clearing.unitId)?.callSign ?? clearing.unitId} saving={recording} onSave={(d) => void clear(d)} onCancel={cancelClearing} />}
      {picking && <UnitPicker incident={picking} unitById={unitById} onSent={sent} onClose={closePicker} />}
    </div>
  );
}

function QueueOrNothing(props: { loaded: boolean; queue: readonly Incident[]; selectedId: string | null; onSelect: (id: string) => void }) {
  if (!props.loaded) return null;
  return <QueueList queue={props.queue} selectedId={props.selectedId} onSelect={props.onSelect} />;
}
