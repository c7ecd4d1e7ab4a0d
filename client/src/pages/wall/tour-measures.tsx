/** Beside the tour's label: what the toured district's level requires, large enough to read across the room. */
import { LEVEL_COLOURS, type RegionRisk } from '#contract/index.ts';
import { levelName } from '../../i18n/i18n.ts';
import { MeasureList } from '../../features/risk/measure-list.tsx';
import { levelTextCss } from '../../map/risk-colours.ts';
import { useWallText } from './strings.ts';

export function TourMeasures({ rating }: { rating: RegionRisk }) {
  const { t, lang } = useWallText();
  return (
    <section className="wall-tour-measures" data-testid="wall-tour-measures" data-code={rating.code} data-level={rating.level}>
      <h2>
        <span className="wall-tour-level" style={{ background: LEVEL_COLOURS[rating.level], color: levelTextCss(rating.level) }}>
          {levelName(rating.level, lang)}
        </span>
        {t('tour.measures')}
      </h2>
      <MeasureList measures={rating.measures} testId="wall-measures" />
    </section>
  );
}
