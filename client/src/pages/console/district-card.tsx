/**
 * The card of one district on the five-colour map: its level, the measures that level requires, the
 * numbers behind it, and *why* (contributions by category, the rules applied in order), at the
 * instant the map shows. Opened by hovering a district, kept open by clicking it.
 */
import { LEVEL_COLOURS, type Category, type RegionProperties } from '#contract/index.ts';
import { categoryKey, levelName, ruleKey, useI18n } from '../../i18n/i18n.ts';
import { levelTextCss } from '../../map/risk-colours.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { dateTime } from '../../time/zoned-format.ts';
import type { RiskDetail } from '../../features/risk/use-risk-playback.ts';
import { MeasureList } from '../../features/risk/measure-list.tsx';

export interface DistrictCardProps {
  region: RegionProperties;
  /** `null`: no rating known yet (still loading). */
  detail: RiskDetail | null;
  /** ISO time shown during playback; `null` when live. */
  atIso: string | null;
  /** Opened by a click (stays, with a close button; Esc closes it too) rather than by hovering. */
  pinned: boolean;
  onClose: () => void;
}

export function DistrictCard({ region, detail, atIso, pinned, onClose }: DistrictCardProps) {
  const { t, lang } = useI18n();
  const zone = useTimeZone();
  const level = detail?.level;
  const rating = detail?.rating ?? null;
  const population = rating?.population ?? region.population;
  const since = detail?.since ?? null;
  const contributions = Object.entries(rating?.explanation.byCategory ?? {})
    .filter((entry): entry is [Category, number] => typeof entry[1] === 'number' && entry[1] > 0)
    .sort((a, b) => b[1] - a[1]);
  const largest = contributions[0]?.[1] ?? 0;
  const synthetic = region.populationSource === 'synthetic';

  return (
    <section
      className="panel district-card"
      aria-label={t('risk.card')}
      data-testid="district-card"
      data-code={region.code}
      data-level={level ?? ''}
      data-pinned={pinned}
    >
      <div className="district-card-head">
        <span className="district-swatch" style={{ background: level ? LEVEL_COLOURS[level] : 'transparent' }} />
        <h2 className="district-name">{region.name}</h2>
        {pinned && (
          <button type="button" className="detail-close" onClick={onClose} title={t('risk.close')} aria-label={t('risk.close')}>
            ×
          </button>
        )}
      </div>
      {level && (
        <div
          className="level-chip"
          data-testid="district-level"
          style={{ background: LEVEL_COLOURS[level], color: levelTextCss(level) }}
        >
          {levelName(level, lang)}
        </div>
      )}
      {atIso && <p className="muted district-as-of">{t('risk.asOf', { time: dateTime(atIso, zone, lang) })}</p>}
      {synthetic && (
        <p className="district-synthetic" data-testid="risk-synthetic">
          {t('risk.synthetic')}
        </p>
      )}
      <dl className="district-fields">
        <dt>{t('risk.score')}</dt>
        <dd data-testid="district-score">{rating ? rating.score.toFixed(2) : t('detail.none')}</dd>
        <dt>{t('risk.population')}</dt>
        <dd data-testid="district-population">
          {population === null ? t('risk.populationUnknown') : population.toLocaleString(lang)}
        </dd>
        <dt>{t('risk.counts')}</dt>
        <dd data-testid="district-counts">
          {rating ? `${rating.counts.last24h} / ${rating.counts.last72h} / ${rating.counts.window}` : t('detail.none')}
        </dd>
        <dt>{t('risk.clusters')}</dt>
        <dd data-testid="district-clusters">{rating ? rating.clusters : t('detail.none')}</dd>
        <dt>{t('risk.since')}</dt>
        <dd data-testid="district-since">
          {since ? <time dateTime={since}>{dateTime(since, zone, lang)}</time> : t('detail.none')}
        </dd>
      </dl>
      {detail && !rating && <p className="muted">{t('risk.notRecorded')}</p>}
      {rating && (
        <>
          {/* What the level calls for comes first: the card is read to act on it. */}
          <h3>{t('risk.measures')}</h3>
          <MeasureList measures={rating.measures} testId="district-measures" />
          <h3>{t('risk.byCategory')}</h3>
          {contributions.length === 0 ? (
            <p className="muted">{t('risk.noContributions')}</p>
          ) : (
            <ul className="district-contributions" data-testid="district-contributions">
              {contributions.map(([category, value]) => (
                <li key={category} data-category={category}>
                  <span className="contribution-name">{t(categoryKey(category))}</span>
                  <span className="contribution-bar" style={{ width: `${(100 * value) / largest}%` }} />
                  <span className="contribution-value">{value.toFixed(2)}</span>
                </li>
              ))}
            </ul>
          )}
          <h3>{t('risk.rules')}</h3>
          {rating.explanation.rules.length === 0 ? (
            <p className="muted">{t('risk.noRules')}</p>
          ) : (
            <ol className="district-rules" data-testid="district-rules">
              {rating.explanation.rules.map((rule, index) => (
                <li key={`${rule.code}-${index}`} data-rule={rule.rule}>
                  <span className="rule-kind">{t(ruleKey(rule.rule))}</span>
                  {/* The server's sentence as given: it names the numbers and thresholds it used. */}
                  <span className="rule-message" lang="en">{rule.message}</span>
                  <span
                    className="rule-level"
                    style={{ background: LEVEL_COLOURS[rule.levelAfter], color: levelTextCss(rule.levelAfter) }}
                  >
                    {levelName(rule.levelAfter, lang)}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
