/**
 * The Lorenz curve: residents sorted from the lowest access up against the share of all access
 * they hold, beside the line of equality; during a what-if the stored curve stays, dashed.
 */
import { useI18n } from '../../i18n/i18n.ts';
import { lorenzPath } from './equity-view-model.ts';

const SIZE = 100;

export interface LorenzChartProps {
  curve: readonly (readonly [number, number])[];
  /** The stored curve while a hypothetical one is shown. */
  before?: readonly (readonly [number, number])[] | null;
}

export function LorenzChart({ curve, before = null }: LorenzChartProps) {
  const { t } = useI18n();
  const area = curve.length > 1 ? `${lorenzPath(curve, SIZE)}L${SIZE} ${SIZE}Z` : '';
  return (
    <figure className="lorenz" data-testid="lorenz">
      <svg viewBox={`-8 -4 ${SIZE + 12} ${SIZE + 14}`} role="img" aria-label={t('equity.lorenz')}>
        <rect x="0" y="0" width={SIZE} height={SIZE} className="lorenz-frame" />
        <path d={area} className="lorenz-gap" />
        <line x1="0" y1={SIZE} x2={SIZE} y2="0" className="lorenz-equality" data-testid="lorenz-equality" />
        {before && <path d={lorenzPath(before, SIZE)} className="lorenz-before" data-testid="lorenz-before" />}
        <path d={lorenzPath(curve, SIZE)} className="lorenz-curve" data-testid="lorenz-curve" data-points={curve.length} />
        <text x="0" y={SIZE + 8} className="lorenz-tick">0</text>
        <text x={SIZE} y={SIZE + 8} className="lorenz-tick" textAnchor="end">100%</text>
        <text x="-2" y="4" className="lorenz-tick" textAnchor="end">100%</text>
      </svg>
      <figcaption className="muted">{t('equity.lorenzHint')}</figcaption>
    </figure>
  );
}
