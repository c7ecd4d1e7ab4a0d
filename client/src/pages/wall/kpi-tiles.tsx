/** The wall's figures: open incidents by severity, districts per risk level, the hospital access Gini. */
import { LEVEL_COLOURS, type EquityDefaultSummaries, type RegionRisk, type RiskLevel } from '#contract/index.ts';
import { levelName, severityKey, useI18n } from '../../i18n/i18n.ts';
import { LEVELS_HIGH_FIRST } from '../../map/risk-colours.ts';
import { SEVERITIES_HIGH_FIRST, severityCss } from '../../map/severity.ts';
import { formatCount, formatIndex, formatPercent } from './format.ts';
import { useWallText } from './strings.ts';
import type { WallIncidentSnapshot } from '../../session/open-incidents.ts';
import type { ClockFigures } from './clock-figures.ts';

/** Text on a level's colour with AA contrast: white only on red; dark reads better on the other four. */
const figureTextOn = (level: RiskLevel): string => (level === 'red' ? '#fff' : '#111');

export interface KpiTilesProps {
  incidents: WallIncidentSnapshot;
  ratings: ReadonlyMap<string, RegionRisk>;
  equity: EquityDefaultSummaries | null;
  clocks: ClockFigures | null;
}

export function KpiTiles({ incidents, ratings, equity, clocks }: KpiTilesProps) {
  const { t, lang } = useWallText();
  const shared = useI18n();
  const perLevel: Record<RiskLevel, number> = { red: 0, orange: 0, yellow: 0, blue: 0, green: 0 };
  for (const rating of ratings.values()) perLevel[rating.level]++;
  const gini = equity?.summaries.find((s) => s.kind === 'hospital')?.gini;
  const bound = incidents.truncated ? `${t('kpi.atLeast')} ` : '';
  return (
    <section className="wall-kpis" aria-label={t('kpi.open')}>
      <div className="wall-tile" data-testid="kpi-open">
        <h2>
          {t('kpi.open')}
          <span className="wall-tile-total">
            {t('kpi.openTotal')} <b data-testid="kpi-open-total">{bound}{formatCount(incidents.openTotal, lang)}</b>
          </span>
        </h2>
        <ul className="wall-figures">
          {SEVERITIES_HIGH_FIRST.map((severity) => (
            <li key={severity} data-severity={severity}>
              <span className="wall-figure" data-testid={`kpi-severity-${severity}`}>{formatCount(incidents.counts[severity], lang)}</span>
              <span className="wall-figure-label">
                <span className="wall-dot" style={{ background: severityCss(severity) }} aria-hidden="true" />
                {shared.t(severityKey(severity))}
              </span>
            </li>
          ))}
        </ul>
      </div>
      <div className="wall-tile" data-testid="kpi-levels">
        <h2>{t('kpi.levels')}</h2>
        <ul className="wall-figures">
          {LEVELS_HIGH_FIRST.map((level) => (
            <li key={level} data-level={level}>
              <span className="wall-figure wall-level-figure" style={{ background: LEVEL_COLOURS[level], color: figureTextOn(level) }} data-testid={`kpi-level-${level}`}>
                {formatCount(perLevel[level], lang)}
              </span>
              <span className="wall-figure-label">{levelName(level, lang)}</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="wall-tile" data-testid="kpi-clocks">
        <h2>{t('kpi.clocks')}</h2>
        <ul className="wall-figures wall-clock-figures">
          <li>
            <span className="wall-figure" data-testid="kpi-on-time">
              {clocks?.onTimeShare == null ? t('kpi.onTimeNone') : formatPercent(clocks.onTimeShare, lang)}
            </span>
            <span className="wall-figure-label">{t('kpi.onTime')}</span>
          </li>
          <li>
            <span className="wall-figure" data-testid="kpi-overdue">{clocks ? formatCount(clocks.overdueOpen, lang) : '—'}</span>
            <span className="wall-figure-label">{t('kpi.overdue')}</span>
          </li>
        </ul>
      </div>
      <div className="wall-tile wall-tile-gini" data-testid="kpi-gini">
        <h2>{t('kpi.gini')}</h2>
        <span className="wall-figure" data-testid="kpi-gini-value">{gini === undefined ? t('kpi.giniNone') : formatIndex(gini, lang)}</span>
        <span className="wall-figure-label">{t('kpi.giniHint')}</span>
      </div>
    </section>
  );
}
