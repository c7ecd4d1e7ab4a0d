/**
 * A parcel's life in seven stages, each done step with its department, date and documents, then
 * every document again under the department that issued it: one department sees what the others
 * decided before it (docs/architecture.md, Land-code parcels).
 */
import type { ParcelStage, ParcelStep } from '#contract/index.ts';
import { DEPARTMENTS, STEP_GUIDE } from '#contract/parcel-lifecycle.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { localDay } from '../../time/zoned-format.ts';
import { documentDate, documentsByDepartment, timelineRows, type StageState } from './parcel-view-model.ts';
import { stageName, usePlannerText, type PlannerKey } from './strings.ts';

const STATE_KEYS: Record<StageState, PlannerKey> = {
  done: 'timeline.done',
  current: 'timeline.current',
  next: 'timeline.next',
  pending: 'timeline.pending',
};

export function ParcelTimeline({ stage, steps }: { stage: ParcelStage; steps: readonly ParcelStep[] }) {
  const { t, lang } = usePlannerText();
  const zone = useTimeZone();
  const rows = timelineRows(stage, steps);
  return (
    <section className="parcel-section">
      <h3>{t('timeline.heading')}</h3>
      <ol className="parcel-timeline" data-testid="parcel-timeline">
        {rows.map((row, index) => (
          <li
            key={row.stage}
            className={`parcel-step is-${row.state}`}
            data-stage={row.stage}
            data-state={row.state}
            data-testid={row.state === 'current' ? 'parcel-stage' : undefined}
            aria-current={row.state === 'current' ? 'step' : undefined}
          >
            <span className="parcel-step-marker" aria-hidden="true">
              {row.state === 'done' ? '✓' : index + 1}
            </span>
            <div className="parcel-step-body">
              <div className="parcel-step-title">
                <strong>{stageName(row.stage, lang)}</strong>
                <span className="parcel-step-state">{t(STATE_KEYS[row.state])}</span>
              </div>
              {row.step && (
                <div className="parcel-step-meta">
                  <span className="parcel-step-department">{row.step.department}</span>
                  <time dateTime={row.step.at}>{localDay(row.step.at, zone) || row.step.at}</time>
                </div>
              )}
              {row.step && row.step.documents.length > 0 && (
                <ul className="parcel-docs">
                  {row.step.documents.map((document, i) => (
                    <li key={`${document.number}-${i}`}>
                      <span className="parcel-doc-title">{document.title}</span>
                      <span className="parcel-doc-number">{document.number}</span>
                    </li>
                  ))}
                </ul>
              )}
              {row.step?.note && <p className="parcel-step-note">{row.step.note}</p>}
              {row.state === 'next' && (
                <p className="parcel-step-expected">
                  {t('timeline.expected', { departments: STEP_GUIDE[row.stage].departments.map((id) => DEPARTMENTS[id][lang]).join(' / ') })}
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

export function DocumentsByDepartment({ steps }: { steps: readonly ParcelStep[] }) {
  const { t, lang } = usePlannerText();
  const groups = documentsByDepartment(steps);
  return (
    <section className="parcel-section">
      <h3>{t('docs.heading')}</h3>
      {groups.length === 0 ? (
        <p className="muted">{t('docs.none')}</p>
      ) : (
        <dl className="parcel-department-docs" data-testid="parcel-documents">
          {groups.map((group) => (
            <div key={group.department} data-department={group.department}>
              <dt>{group.department}</dt>
              <dd>
                <ul className="parcel-docs">
                  {group.documents.map((document, i) => (
                    <li key={`${document.number}-${i}`}>
                      <span className="parcel-doc-title">{document.title}</span>
                      <span className="parcel-doc-number">{document.number}</span>
                      <span className="parcel-doc-meta">
                        {stageName(document.stage, lang)} · {documentDate(document.issuedAt)}
                      </span>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
