/**
 * The units sent to the chosen incident and how far each has got: assigned → accepted → en route
 * → on scene → cleared (or declined), each step with its time, live through the assignment events.
 */
import type { Assignment, AssignmentStatus, Unit } from '#contract/index.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { clockTime } from '../../time/zoned-format.ts';
import { useResponderText } from './strings.ts';
import { kindName } from './unit-board.tsx';

/** The way forward; `declined` replaces the rest when a unit turns the call down. */
const STEPS: readonly AssignmentStatus[] = ['assigned', 'accepted', 'en_route', 'on_scene', 'cleared'];

export function AssignmentProgress({ assignments, unitById }: { assignments: readonly Assignment[]; unitById: (id: string) => Unit | undefined }) {
  const { t, lang } = useResponderText();
  const zone = useTimeZone();
  return (
    <section className="responder-block responder-progress" data-testid="assignment-progress" aria-labelledby="responder-progress-heading">
      <h3 id="responder-progress-heading">{t('progress.heading')}</h3>
      {assignments.length === 0 ? <p>{t('progress.none')}</p> : (
        <ul className="responder-plain responder-progress-list">
          {assignments.map((a) => {
            const unit = unitById(a.unitId);
            const steps = a.status === 'declined' ? (['assigned', 'declined'] as const) : STEPS;
            return (
              <li key={a.id} data-assignment-id={a.id} data-unit-id={a.unitId} data-status={a.status}>
                <strong data-proper-name>{unit?.callSign ?? a.unitId}</strong>
                {unit && <span className="responder-note"> · {kindName(unit.kind, lang)}</span>}
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
                {a.disposition && <p className="responder-note">{t('progress.disposition', { text: a.disposition })}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
