/**
 * Which measures are in force (docs/domain.md §16.1): a level's own measures, then, per category
 * that calls for its own, that category's entries for the level — an entry whose id is already
 * listed replaces that measure's words in place, any other is added. Pure.
 */
import type { Category } from '../../contract/incidents.ts';
import type { ChecklistItem, DistrictMeasure, Measure, MeasuresConfig, MeasureTickRecord } from '../../contract/measures.ts';
import type { RiskLevel } from '../../contract/risk.ts';
import type { Actor } from '../../contract/auth.ts';

const shown = (measure: Measure, category?: Category): DistrictMeasure => ({
  id: measure.id,
  text: measure.text['zh-CN'],
  textEn: measure.text.en,
  ...(category && { category }),
});

/** The level's measures with each category's entries for it applied, categories in the order given. */
export function measuresInForce(config: MeasuresConfig, level: RiskLevel, categories: readonly Category[]): DistrictMeasure[] {
  const out = config.levels[level].map((measure) => shown(measure));
  const at = new Map(out.map((measure, index) => [measure.id, index]));
  // Ids a category already claimed: a later category repeating one changes nothing.
  const claimed = new Set<string>();
  for (const category of categories) {
    for (const measure of config.categories?.[category]?.[level] ?? []) {
      if (claimed.has(measure.id)) continue;
      claimed.add(measure.id);
      const index = at.get(measure.id);
      if (index === undefined) {
        at.set(measure.id, out.length);
        out.push(shown(measure, category));
      } else {
        out[index] = shown(measure, category);
      }
    }
  }
  return out;
}

/**
 * A district's measures: its level's, with the entries of every category that contributes to its
 * score (largest contribution first; a tie in category order). What drives the colour decides
 * what is added: a red district of floods gets the flood measures, one of fires the fire ones.
 */
export function districtMeasures(config: MeasuresConfig, level: RiskLevel, byCategory: Partial<Record<Category, number>>): DistrictMeasure[] {
  const contributing = (Object.entries(byCategory) as [Category, number | undefined][])
    .filter((entry): entry is [Category, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([category]) => category);
  return measuresInForce(config, level, contributing);
}

/** An incident's checklist: its district's level's measures, with its own category's entries. */
export function incidentMeasures(config: MeasuresConfig, level: RiskLevel, category: Category): DistrictMeasure[] {
  return measuresInForce(config, level, [category]);
}

/** A recorded tick, as the incident's history keeps it. */
export interface RecordedTick {
  measure: MeasureTickRecord;
  at: string;
  actor: Actor;
}

/** The checklist: each measure in force, done when its latest tick (in history order) says so. */
export function checklist(inForce: readonly DistrictMeasure[], ticks: readonly RecordedTick[]): ChecklistItem[] {
  const last = new Map<string, RecordedTick>();
  for (const tick of ticks) last.set(tick.measure.id, tick);
  return inForce.map((measure) => {
    const tick = last.get(measure.id);
    return { ...measure, done: tick?.measure.done ?? false, at: tick?.at ?? null, by: tick?.actor ?? null };
  });
}
