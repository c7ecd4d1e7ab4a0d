/**
 * Which of an incident's texts a page shows. A source that publishes in several languages (a CAP
 * alert with one `<info>` per language) leaves them in `attributes.texts`; `title` and
 * `description` hold the first. A page shows the text in its own language when there is one.
 */
import type { Incident } from '#contract/index.ts';
import type { Lang } from '../../i18n/i18n.ts';

export interface IncidentText {
  title: string;
  description: string;
  /** The source's words for the area (CAP `<areaDesc>`), when it gave them. */
  areaDesc?: string;
  /**
   * BCP 47 tag of what is shown (for the element's `lang`, so a screen reader reads Spanish as
   * Spanish on an English page), or `undefined` when the incident does not say.
   */
  language?: string;
}

interface LanguageText {
  language: string;
  title: string;
  description: string;
  areaDesc?: string;
}

const isText = (value: unknown): value is LanguageText => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.language === 'string' &&
    typeof v.title === 'string' &&
    typeof v.description === 'string' &&
    (v.areaDesc === undefined || typeof v.areaDesc === 'string')
  );
};

/** The texts an incident carries; anything malformed is skipped (attributes are the source's own). */
export function incidentTexts(incident: Pick<Incident, 'attributes'>): LanguageText[] {
  const texts = incident.attributes['texts'];
  return Array.isArray(texts) ? texts.filter(isText) : [];
}

/** `zh-CN` → `zh`, `en-US` → `en`: the primary language subtag, lower case. */
const primary = (tag: string): string => (tag.split(/[-_]/)[0] ?? '').toLowerCase();

/**
 * The page's language among `texts`: the same tag first (`zh-CN` for a `zh-CN` page), else the
 * first of the same language (`zh-TW`, `en-GB`, `en-US` for an `en` page).
 */
function pick(texts: readonly LanguageText[], lang: Lang): LanguageText | undefined {
  const wanted = lang.toLowerCase();
  return (
    texts.find((t) => t.language.toLowerCase() === wanted) ??
    texts.find((t) => primary(t.language) === primary(lang))
  );
}

/**
 * The title and description to show on a page in `lang`: the text in that language when the
 * incident has one, else its own `title` and `description` (the source's first language). A text
 * with an empty title or description borrows that field from the incident rather than showing
 * nothing.
 */
export function incidentText(incident: Pick<Incident, 'title' | 'description' | 'attributes'>, lang: Lang): IncidentText {
  const texts = incidentTexts(incident);
  const chosen = pick(texts, lang);
  if (!chosen) {
    const first = texts[0];
    // A source in one language keeps its area's words in `attributes.areaDesc` (CAP with one `<info>`).
    const own = incident.attributes['areaDesc'];
    const areaDesc = first ? first.areaDesc : typeof own === 'string' ? own : undefined;
    return {
      title: incident.title,
      description: incident.description,
      ...(areaDesc !== undefined && { areaDesc }),
      ...(first && { language: first.language }),
    };
  }
  return {
    title: chosen.title || incident.title,
    description: chosen.description || incident.description,
    ...(chosen.areaDesc !== undefined && { areaDesc: chosen.areaDesc }),
    language: chosen.language,
  };
}
