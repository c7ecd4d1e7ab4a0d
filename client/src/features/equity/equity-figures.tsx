/**
 * The city's equity figures, each with a one-line meaning; during a what-if each shows the stored
 * value, the hypothetical one and the change between them.
 */
import type { Change, EquityResult, WhatIfResult } from '#contract/equity.ts';
import { useI18n, type MessageKey } from '../../i18n/i18n.ts';
import { formatAccess, formatIndex, formatShare, formatSigned } from './equity-view-model.ts';

export interface EquityFiguresProps {
  shown: EquityResult;
  /** The what-if on screen, if any. */
  whatIf: WhatIfResult | null;
}

interface Figure {
  id: 'gini' | 'theil' | 'mean-access' | 'zero-share';
  label: MessageKey;
  meaning?: MessageKey;
  value: number;
  change: Change | null;
  format: (v: number) => string;
}

export function EquityFigures({ shown, whatIf }: EquityFiguresProps) {
  const { t, lang } = useI18n();
  const changes = whatIf?.changes ?? null;
  const access = (v: number) => formatAccess(v, lang);
  const figures: Figure[] = [
    { id: 'gini', label: 'equity.gini', meaning: 'equity.giniMeaning', value: shown.gini, change: changes?.gini ?? null, format: formatIndex },
    { id: 'theil', label: 'equity.theil', meaning: 'equity.theilMeaning', value: shown.theil, change: changes?.theil ?? null, format: formatIndex },
    { id: 'mean-access', label: 'equity.meanAccess', value: shown.meanAccess, change: changes?.meanAccess ?? null, format: access },
    { id: 'zero-share', label: 'equity.zeroShare', value: shown.zeroAccessShare, change: changes?.zeroAccessShare ?? null, format: formatShare },
  ];
  return (
    <dl className="equity-figures">
      {figures.map((f) => (
        <div key={f.id} className={`equity-figure equity-figure-${f.id}`}>
          <dt>{t(f.label)}</dt>
          <dd>
            <span className="equity-figure-value" data-testid={`equity-${f.id}`}>
              {f.format(f.value)}
            </span>
            {f.change && (
              <span className="equity-figure-change">
                <span data-testid={`equity-${f.id}-before`}>{f.format(f.change.before)}</span>
                {' → '}
                {f.format(f.change.after)}{' '}
                <span className={`equity-delta ${deltaTone(f.id, f.change.delta)}`} data-testid={`equity-${f.id}-delta`}>
                  ({formatSigned(f.change.delta, f.format)})
                </span>
              </span>
            )}
            {f.meaning && <span className="equity-figure-meaning">{t(f.meaning)}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Lower inequality and less zero access are good news; more mean access too. */
function deltaTone(id: Figure['id'], delta: number): string {
  if (delta === 0) return '';
  const better = id === 'mean-access' ? delta > 0 : delta < 0;
  return better ? 'is-better' : 'is-worse';
}
