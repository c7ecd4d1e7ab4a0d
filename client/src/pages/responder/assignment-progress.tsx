/**
 * The units sent to the chosen incident and how far each has got: assigned → accepted → en route
 * → on scene → cleared (or declined), each step with its time, live through the assignment events.
 * Each active unit's allowed next steps are buttons; the chosen one's are also keys (N next, X
 * decline, C clear). P focuses the chosen row, where ↑/↓ move focus and choice to another active
 * unit and Esc leaves.
 */
import { forwardRef, type KeyboardEvent } from 'react';
import type { Assignment, AssignmentStatus, Unit } from '#contract/index.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { clockTime } from '../../time/zoned-format.ts';
import { allowedSteps, keyForStep, moveChoice, type CrewStep } from './crew-steps.ts';
import { useResponderText } from './strings.ts';
import { kindName } from './unit-board.tsx';

/** The way forward; `declined` replaces the rest when a unit turns the call down. */
const STEPS: readonly AssignmentStatus[] = ['assigned', 'accepted', 'en_route', 'on_scene', 'cleared'];
const rowId = (assignmentId: string) => `progress-${assignmentId}`;

export interface ProgressProps {
  assignments: readonly Assignment[];
  unitById: (id: string) => Unit | undefined;
  /** The assignment the step keys act on. */
  chosen: Assignment | null;
  onChoose: (assignmentId: string | null) => void;
  /** The unit this device speaks for (a crew's tablet), marked in the list. */
  ownUnitId: string | null;
  /** A closed incident's units may only stand down. */
  incidentClosed: boolean;
  saving: boolean;
  onStep: (assignment: Assignment, step: CrewStep) => void;
}

export const AssignmentProgress = forwardRef<HTMLUListElement, ProgressProps>(function AssignmentProgress(
  { assignments, unitById, chosen, onChoose, ownUnitId, incidentClosed, saving, onStep },
  listRef,
) {
  const { t, lang } = useResponderText();
  const zone = useTimeZone();
  // Focus sits on the list or on one of its rows (not on a step button, which keeps its own keys).
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.target instanceof HTMLButtonElement) return;
    if (event.key === 'Escape') (event.target as HTMLElement).blur();
    else if (['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) {
      const next = moveChoice(assignments, chosen, event.key);
      onChoose(next);
      if (next) document.getElementById(rowId(next))?.focus();
    } else return;
    // Inside the list these keys are the list's: the queue must not move too.
    event.preventDefault();
    event.stopPropagation();
  };
  return (
    <section className="responder-block responder-progress" data-testid="assignment-progress" aria-labelledby="responder-progress-heading">
      <h3 id="responder-progress-heading">{t('progress.heading')}</h3>
      {assignments.length === 0 ? <p>{t('progress.none')}</p> : (
        <>
          {chosen && <p className="responder-note">{t('progress.hint')}</p>}
          <ul
            ref={listRef}
            tabIndex={-1}
            className="responder-plain responder-progress-list"
            aria-label={t('progress.list')}
            onKeyDown={onKeyDown}
            data-testid="progress-list"
          >
            {assignments.map((a) => {
              const unit = unitById(a.unitId);
              const steps = a.status === 'declined' ? (['assigned', 'declined'] as const) : STEPS;
              const next = allowedSteps(a.status, incidentClosed);
              const isChosen = chosen?.id === a.id;
              return (
                <li
                  key={a.id}
                  id={rowId(a.id)}
                  tabIndex={-1}
                  className={`responder-progress-row${isChosen ? ' is-selected' : ''}`}
                  aria-current={isChosen ? 'true' : undefined}
                  data-assignment-id={a.id}
                  data-unit-id={a.unitId}
                  data-status={a.status}
                  data-chosen={isChosen}
                >
                  <strong data-proper-name>{unit?.callSign ?? a.unitId}</strong>
                  {unit && <span className="responder-note"> · {kindName(unit.kind, lang)}</span>}
                  {a.unitId === ownUnitId && <span className="responder-own">{t('progress.own')}</span>}
                  <ol className="responder-steps">
                    {steps.map((step) => {
                      const at = a.times[step];
                      return (
                        <li key={step} className={at ? 'is-done' : ''} data-step={step} aria-current={a.status === step ? 'step' : undefined}>
                          {t(`progress.${step}`)}
                          {at && <span className="responder-note"> {clockTime(at, zone, lang)}</span>}
                        </li>
                      );
                    })}
                  </ol>
                  {next.length > 0 && (
                    <div className="responder-step-buttons">
                      {next.map((step) => (
                        <button
                          key={step}
                          type="button"
                          className={`responder-button${step === 'declined' ? '' : ' is-primary'}`}
                          disabled={saving}
                          onClick={() => (onChoose(a.id), onStep(a, step))}
                          data-step-button={step}
                        >
                          {t(`step.${step}`)}
                          {isChosen && <kbd>{t('action.key', { key: keyForStep(step, a.status, incidentClosed) })}</kbd>}
                        </button>
                      ))}
                    </div>
                  )}
                  {a.disposition && <p className="responder-note">{t('progress.disposition', { text: a.disposition })}</p>}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
});
