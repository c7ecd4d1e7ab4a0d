/** How one history entry reads: a creation, an operator's step, a source's update of some fields, or a measure ticked. */
import type { IncidentChange, MeasureTickRecord, Status } from '#contract/index.ts';
import type { Lang, MessageKey, Translate } from '../../i18n/i18n.ts';

export type HistoryLine =
  | { kind: 'created' }
  | { kind: 'step'; from: Status; to: Status }
  /** A source's update; `step` when it also moved the status (e.g. a Cancel: reported → cancelled). */
  | { kind: 'updated'; fields: readonly string[]; step: { from: Status; to: Status } | null }
  /** A measure of the checklist ticked done, or unticked. */
  | { kind: 'measure'; measure: MeasureTickRecord };

export function historyLine(change: IncidentChange): HistoryLine {
  if (change.from === null) return { kind: 'created' };
  if (change.measure) return { kind: 'measure', measure: change.measure };
  if (change.fields !== undefined && change.fields.length > 0) {
    return { kind: 'updated', fields: change.fields, step: change.from === change.to ? null : { from: change.from, to: change.to } };
  }
  return { kind: 'step', from: change.from, to: change.to };
}

/** The fields the server names, as people call them; one it names that we do not know is shown as sent. */
const FIELD_KEYS: ReadonlyMap<string, MessageKey> = new Map<string, MessageKey>([
  ['category', 'field.category'],
  ['severity', 'field.severity'],
  ['status', 'field.status'],
  ['geometry', 'field.geometry'],
  ['occurredAt', 'field.occurredAt'],
  ['title', 'field.title'],
  ['description', 'field.description'],
  ['reporter', 'field.reporter'],
  ['attributes', 'field.attributes'],
  ['drill', 'field.drill'],
  ['regionCode', 'field.regionCode'],
  // A newer version that changed none of the fields above.
  ['version', 'field.version'],
]);

/** `severity, geometry` → 严重程度、位置 (zh) or "severity, geometry" (en). */
export function fieldNames(fields: readonly string[], t: Translate, lang: Lang): string {
  return fields
    .map((field) => {
      const key = FIELD_KEYS.get(field);
      return key ? t(key) : field;
    })
    .join(lang === 'en' ? ', ' : '、');
}
