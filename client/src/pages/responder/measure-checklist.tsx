/**
 * The measures the incident's district requires at its level now, as a checklist: ticking one is
 * recorded in the incident's history (who, when) and seen at once on every other screen.
 */
import { FINAL_STATUSES, LEVEL_COLOURS, type Incident } from '#contract/index.ts';
import { categoryKey, levelName, measureText } from '../../i18n/i18n.ts';
import { levelTextCss } from '../../map/risk-colours.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { shortDateTime } from '../../time/zoned-format.ts';
import { useResponderText } from './strings.ts';
import type { Checklist } from './use-checklist.ts';

export function MeasureChecklist({ incident, checklist }: { incident: Incident; checklist: Checklist }) {
  const { t, shared, lang } = useResponderText();
  const zone = useTimeZone();
  const { state, saving, failed, tick } = checklist;
  // A closed incident's checklist is a record: shown, no longer ticked.
  const closed = FINAL_STATUSES.has(incident.status);
  return (
    <section className="responder-block responder-checklist" data-testid="measure-checklist">
      <h3>
        {t('measures.heading')}
        {state.kind === 'ready' && state.checklist.level && (
          <span className="responder-level" data-level={state.checklist.level} style={{ background: LEVEL_COLOURS[state.checklist.level], color: levelTextCss(state.checklist.level) }}>
            {levelName(state.checklist.level, lang)}
          </span>
        )}
      </h3>
      {state.kind === 'loading' && <p role="status">{t('measures.loading')}</p>}
      {state.kind === 'error' && <p role="alert">{t('measures.error')}</p>}
      {state.kind === 'ready' && state.checklist.level === null && (
        <p>{t(state.checklist.regionCode === null ? 'measures.outside' : 'measures.unrated')}</p>
      )}
      {state.kind === 'ready' && state.checklist.level !== null && state.checklist.items.length === 0 && <p>{t('measures.none')}</p>}
      {state.kind === 'ready' && state.checklist.items.length > 0 && (
        <ul className="responder-plain responder-measures">
          {state.checklist.items.map((item) => (
            <li key={item.id} data-measure={item.id} data-done={item.done} data-saving={saving?.measureId === item.id}>
              <label>
                <input
                  type="checkbox"
                  checked={saving?.measureId === item.id ? saving.done : item.done}
                  disabled={closed || saving !== null}
                  onChange={(e) => tick(item.id, e.target.checked)}
                />
                <span>{measureText(item, lang)}</span>
                {item.category && <span className="responder-note"> · {shared(categoryKey(item.category))}</span>}
              </label>
              {item.done && item.by && item.at && (
                <span className="responder-note measure-done-by">{t('measures.doneBy', { name: item.by.name, time: shortDateTime(item.at, zone, lang) })}</span>
              )}
              {failed?.measureId === item.id && <span className="responder-message is-error" role="alert">{t('measures.failed', { message: failed.message })}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
