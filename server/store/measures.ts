/**
 * Measures config versions (as the risk config's: append-only, each save one logged and audited
 * event) and the ticks of incidents' checklists, which are incident changes like a status step.
 */
import type { Actor } from '../contract/auth.ts';
import type { IncidentUpdatedEvent } from '../contract/events.ts';
import { FINAL_STATUSES, type Category } from '../contract/incidents.ts';
import type { DistrictMeasure, MeasuresConfig, MeasuresConfigRecord, MeasuresConfigUpdate, MeasureTickRecord } from '../contract/measures.ts';
import type { RecordedTick } from '../domain/measures/measures.ts';
import { saveConfigVersion, type SaveConfigOutcome } from './config-versions.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import { insertChanges, type NewChange } from './incident-changes.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';

const iso = (v: Date | string): string => new Date(v).toISOString();

/** The latest saved config, or `null` when nobody saved one (the default applies). */
export async function loadMeasuresConfig(db: Sql): Promise<MeasuresConfigRecord | null> {
  const [row] = await db.query<{ config: MeasuresConfig; saved_at: Date | string; actor_name: string; actor_role: string }>(
    'SELECT config, saved_at, actor_name, actor_role FROM measures_configs ORDER BY version DESC LIMIT 1',
  );
  if (!row) return null;
  return { config: row.config, savedAt: iso(row.saved_at), savedBy: { name: row.actor_name, role: row.actor_role } };
}

/** Saves the next version of the measures config, logged (and so audited) as `measures:configured`. */
export const saveMeasuresConfig = (db: Database, draft: MeasuresConfigUpdate, actor: Actor, atMs: number, defaultVersion: number): Promise<SaveConfigOutcome<MeasuresConfig>> =>
  saveConfigVersion<MeasuresConfig>(db, 'measures:configured', draft, actor, atMs, defaultVersion);

/** Every tick recorded on an incident's checklist, oldest first. */
export async function measureTicks(db: Sql, incidentId: string): Promise<RecordedTick[]> {
  const rows = await db.query<{ at: Date | string; actor_name: string; actor_role: string; measure: MeasureTickRecord }>(
    'SELECT at, actor_name, actor_role, measure FROM incident_changes WHERE incident_id = $1 AND measure IS NOT NULL ORDER BY seq',
    [incidentId],
  );
  return rows.map((r) => ({ measure: r.measure, at: iso(r.at), actor: { name: r.actor_name, role: r.actor_role } }));
}

/** The measures in force for an incident at the moment of ticking, or why it has none. */
export type MeasuresInForce = (incident: { id: string; regionCode: string | null; category: Category }) => DistrictMeasure[] | { refused: string };

export type MeasureTickOutcome =
  | { kind: 'changed'; event: IncidentUpdatedEvent }
  /** The measure already was as asked: nothing is written (a repeated tick is harmless). */
  | { kind: 'unchanged' }
  | { kind: 'not_found' }
  | { kind: 'refused'; message: string };

/**
 * Ticks (or unticks) one measure of an incident's checklist: the change in its history, its
 * `incident:updated` event and audit entry, in one transaction with the next seq. Refused, writing
 * nothing, when the incident is closed or the measure is not among those `inForce` names.
 */
export async function recordMeasureTick(
  db: Database,
  tick: { incidentId: string; measureId: string; done: boolean; actor: Actor; at: string; inForce: MeasuresInForce },
): Promise<MeasureTickOutcome> {
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const [row] = await tx.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [tick.incidentId]);
    if (!row) return { kind: 'not_found' };
    if (FINAL_STATUSES.has(row.status)) {
      return { kind: 'refused', message: `incident ${tick.incidentId} is ${row.status}: its checklist is closed` };
    }
    const inForce = tick.inForce({ id: row.id, regionCode: row.region_code, category: row.category });
    if (!Array.isArray(inForce)) return { kind: 'refused', message: inForce.refused };
    const measure = inForce.find((m) => m.id === tick.measureId);
    if (!measure) {
      const listed = inForce.map((m) => m.id).join(', ') || 'none';
      return { kind: 'refused', message: `measure "${tick.measureId}" is not in force for incident ${tick.incidentId} (in force: ${listed}); reload the checklist` };
    }
    const [last] = await tx.query<{ measure: MeasureTickRecord }>(
      `SELECT measure FROM incident_changes WHERE incident_id = $1 AND measure->>'id' = $2 ORDER BY seq DESC LIMIT 1`,
      [tick.incidentId, tick.measureId],
    );
    if ((last?.measure.done ?? false) === tick.done) return { kind: 'unchanged' };
    const seq = await reserveSeqs(tx, 1);
    await tx.query('UPDATE incidents SET seq = $1 WHERE id = $2', [seq, tick.incidentId]);
    const record: MeasureTickRecord = { id: measure.id, done: tick.done, text: measure.text, textEn: measure.textEn };
    const change: NewChange = { seq, incidentId: tick.incidentId, at: tick.at, actor: tick.actor, from: row.status, to: row.status, note: null, measure: record };
    await insertChanges(tx, [change]);
    const { incidentId: _incidentId, ...shown } = change;
    const event: IncidentUpdatedEvent = { ...fromRow({ ...row, seq }), change: shown };
    await appendEvents(tx, [logEvent('incident:updated', seq, event)], tick.actor);
    return { kind: 'changed', event };
  });
}
