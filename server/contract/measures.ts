/**
 * Measures per risk level (因地制宜, docs/domain.md §16): the administrator's versioned list of what
 * each level requires of a district, optionally added to or overridden per incident category; what
 * `GET /api/v1/risk` attaches to each district; and the responder's checklist on an incident.
 * Shared by server and client.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import { Category } from './incidents.ts';
import { RISK_LEVELS, type RiskLevel } from './risk.ts';

/**
 * A measure's words in both languages, keyed like the level names (`LEVEL_NAMES`): Simplified
 * Chinese, which every page shows by default, and English.
 */
export interface MeasureText {
  'zh-CN': string;
  en: string;
}

/** One measure a level requires, as the config holds it. */
export interface Measure {
  /** Stable across versions and languages: a responder's tick names it. Lower-case letters, digits and `-`. */
  id: string;
  text: MeasureText;
}

/** Measures for some levels (a category's additions need not name every level). */
export type LevelMeasures = Partial<Record<RiskLevel, Measure[]>>;

/** The whole measures config. Versioned like the risk config: each save is the next version. */
export interface MeasuresConfig {
  version: number;
  /** What each level requires of every district at that level, in the order to carry them out. */
  levels: Record<RiskLevel, Measure[]>;
  /**
   * Per incident category, measures for some levels: one whose `id` is a level measure's replaces
   * that measure's words in place (an override); any other is added after the level's own.
   */
  categories?: Partial<Record<Category, LevelMeasures>>;
}

/** A stored config version: who saved it and when (`null`s for the built-in default). */
export interface MeasuresConfigRecord {
  config: MeasuresConfig;
  savedAt: string | null;
  savedBy: Actor | null;
}

/**
 * A measure in force for a district or an incident, as answers carry it: `text` in Simplified
 * Chinese (the API's language; no JSON answer takes a language) and `textEn` beside it, so a page
 * can switch language without asking again.
 */
export interface DistrictMeasure {
  id: string;
  text: string;
  textEn: string;
  /** Present when the measure comes from (or was overridden by) this category's entries. */
  category?: Category;
}

/** One line of an incident's checklist: a measure in force and whether it was ticked done. */
export interface ChecklistItem extends DistrictMeasure {
  done: boolean;
  /** The last tick of this measure (done or undone), `null` when never ticked. */
  at: string | null;
  by: Actor | null;
}

/** `GET /api/v1/incidents/{id}/measures`: the measures the incident's district requires now, ticked or not. */
export interface IncidentChecklist {
  id: string;
  regionCode: string | null;
  /** The district's level now; `null` outside every district or before its first rating (no measures). */
  level: RiskLevel | null;
  measuresVersion: number;
  /** Log seq of the incident's latest change when this was read. */
  seq: number;
  items: ChecklistItem[];
}

/** What a tick records in the incident's history: the measure as it read when ticked. */
export interface MeasureTickRecord {
  id: string;
  done: boolean;
  text: string;
  textEn: string;
}

/** `measures:configured`: an administrator saved a new measures config; districts' measures follow it. */
export interface MeasuresConfiguredEvent {
  seq: number;
  version: number;
  at: string;
  by: Actor;
}

const MEASURE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_MEASURES_PER_LIST = 30;

const words = () =>
  z
    .string({ message: 'must be text' })
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(300, { message: 'is longer than 300 characters' });

/** One list of measures; a zod issue's path names where (e.g. `levels.red.2.id`), so messages need not. */
const measureList = z
  .array(
    z.strictObject({
      id: z.string({ message: 'must be text' }).regex(MEASURE_ID, { message: 'must be 1–64 lower-case letters, digits or "-", starting with a letter or digit' }),
      text: z.strictObject({ 'zh-CN': words(), en: words() }, { message: 'must be {"zh-CN": "…", "en": "…"}' }),
    }),
    { message: 'must be a list of measures [{id, text: {"zh-CN", en}}]' },
  )
  .max(MAX_MEASURES_PER_LIST, { message: `may hold at most ${MAX_MEASURES_PER_LIST} measures` })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `measure "${m.id}" is named twice in this list` });
      seen.add(m.id);
    });
  });

/**
 * An administrator's measures config, parsed at the edge: strict (a misspelt level or category is
 * an error naming it), ids unique within each list, words in both languages.
 */
export const MeasuresConfigInput = z.strictObject({
  version: z.number({ message: 'must be a number' }).int({ message: 'must be a whole number' }).positive({ message: 'must be greater than 0' }),
  levels: z.strictObject(
    { red: measureList, orange: measureList, yellow: measureList, blue: measureList, green: measureList },
    { message: `must list the measures of every level (${RISK_LEVELS.join(', ')})` },
  ),
  categories: z
    .partialRecord(
      Category,
      z.strictObject({
        red: measureList.optional(),
        orange: measureList.optional(),
        yellow: measureList.optional(),
        blue: measureList.optional(),
        green: measureList.optional(),
      }),
      { message: `must map incident categories (${Category.options.join(', ')}) to measures per level` },
    )
    .optional(),
});

// Compile-time check that a parsed config is a MeasuresConfig.
const _parsedIsConfig: (v: z.infer<typeof MeasuresConfigInput>) => MeasuresConfig = (v) => v;
void _parsedIsConfig;

/**
 * Body of `PUT /api/v1/measures/config`: a whole config; `version` left out takes the next one,
 * given it must be the current + 1 (else 409), as for the risk config.
 */
export const MeasuresConfigUpdate = MeasuresConfigInput.partial({ version: true });
export type MeasuresConfigUpdate = z.infer<typeof MeasuresConfigUpdate>;

/** Body of `POST /api/v1/incidents/{id}/measures/{measureId}`: tick a measure done, or untick it. */
export const MeasureTickBody = z.strictObject({
  done: z.boolean({ message: 'done must be true or false' }),
});
export type MeasureTickBody = z.infer<typeof MeasureTickBody>;

/** Answer of `POST /api/v1/incidents/{id}/measures/{measureId}`: whether anything was recorded, and the checklist now. */
export interface MeasureTickResult {
  /** `false` when the measure already was as asked: nothing was recorded. */
  changed: boolean;
  checklist: IncidentChecklist;
}
