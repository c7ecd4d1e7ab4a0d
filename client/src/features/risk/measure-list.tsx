/**
 * The measures a district's level requires, in the order to carry them out, in the page's
 * language; one that a category calls for says which. The district card and the wall's tour show it.
 */
import type { DistrictMeasure } from '#contract/index.ts';
import { categoryKey, measureText, useI18n } from '../../i18n/i18n.ts';

export function MeasureList({ measures, testId, className = '' }: { measures: readonly DistrictMeasure[]; testId: string; className?: string }) {
  const { t, lang } = useI18n();
  if (measures.length === 0) return <p className="muted" data-testid={testId}>{t('risk.noMeasures')}</p>;
  return (
    <ol className={`measure-list ${className}`} data-testid={testId}>
      {measures.map((measure) => (
        <li key={measure.id} data-measure={measure.id} data-measure-category={measure.category ?? ''}>
          <span className="measure-text">{measureText(measure, lang)}</span>
          {measure.category && <span className="measure-category">{t(categoryKey(measure.category))}</span>}
        </li>
      ))}
    </ol>
  );
}
