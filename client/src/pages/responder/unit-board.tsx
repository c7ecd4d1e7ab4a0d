/**
 * The unit status board: every unit of the register, grouped by status (free first), each with its
 * call sign, kind, status and the incident it is on; live through the units layer and the
 * assignment events.
 */
import { useMemo } from 'react';
import type { Incident, Unit } from '#contract/index.ts';
import { UNIT_KIND_NAMES, UNIT_STATUS_NAMES, type KnownUnitKind } from '#contract/index.ts';
import { incidentText } from '../../features/incidents/incident-text.ts';
import { UNIT_STATUS_COLOURS } from '../../map/layers/unit-layer.ts';
import type { Lang } from '../../i18n/i18n.ts';
import { useResponderText } from './strings.ts';
import { unitBoard } from './unit-board-model.ts';

const css = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function kindName(kind: string, lang: Lang): string {
  return kind in UNIT_KIND_NAMES ? UNIT_KIND_NAMES[kind as KnownUnitKind][lang] : kind;
}

export function UnitBoard({ units, incidentOf, incidentById }: {
  units: readonly Unit[];
  /** Unit id → the incident its active assignment is on. */
  incidentOf: ReadonlyMap<string, string>;
  /** The open incidents the page holds (a unit may be on one it does not hold: said as "another incident"). */
  incidentById: (id: string) => Incident | undefined;
}) {
  const { t, lang } = useResponderText();
  const groups = useMemo(() => unitBoard(units, incidentOf), [units, incidentOf]);
  return (
    <section className="responder-board" aria-labelledby="responder-board-heading" data-testid="unit-board">
      <header className="responder-queue-head">
        <h2 id="responder-board-heading">{t('board.heading')}</h2>
        <span className="responder-count">{t('board.count', { n: units.length })}</span>
      </header>
      {units.length === 0 ? <p className="responder-empty">{t('board.empty')}</p> : (
        <div className="responder-board-list" tabIndex={0} aria-labelledby="responder-board-heading">
          {groups.map((group) => (
            <section key={group.status} data-board-status={group.status}>
              <h3 className="responder-board-group">
                <i className="responder-swatch" style={{ background: css(UNIT_STATUS_COLOURS[group.status]) }} />
                {UNIT_STATUS_NAMES[group.status][lang]} <span className="responder-count">{group.rows.length}</span>
              </h3>
              <ul className="responder-plain responder-board-rows">
                {group.rows.map(({ unit, incidentId }) => {
                  const incident = incidentId === null ? undefined : incidentById(incidentId);
                  const text = incident ? incidentText(incident, lang) : null;
                  return (
                    <li key={unit.id} data-unit-id={unit.id} data-status={unit.status} data-incident-id={incidentId ?? undefined}>
                      <strong data-proper-name>{unit.callSign}</strong>
                      <span className="responder-note"> · {kindName(unit.kind, lang)} · {UNIT_STATUS_NAMES[unit.status][lang]}</span>
                      {incidentId !== null && (
                        <span className="responder-board-incident">
                          {text ? <>{t('board.on')}<span data-proper-name lang={text.language}>{text.title}</span></> : t('board.onOther')}
                        </span>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))}
        </div>
      )}
    </section>
  );
}
