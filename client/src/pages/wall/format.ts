/** Numbers on the wall, formatted for its language. Times are the centre's: time/zoned-format.ts. */
import type { Lang } from '../../i18n/i18n.ts';

const locale = (lang: Lang) => (lang === 'en' ? 'en-GB' : 'zh-CN');

export const formatCount = (n: number, lang: Lang): string => new Intl.NumberFormat(locale(lang)).format(n);

/** An index such as the Gini to two decimals; rounding error below zero is shown as 0, never "-0.00". */
export const formatIndex = (x: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'negative' }).format(x);

/** A share as a whole percentage (`0.873` → `87%`). */
export const formatPercent = (share: number, lang: Lang): string =>
  new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(share);
