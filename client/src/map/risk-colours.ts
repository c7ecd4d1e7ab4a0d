/** The five risk colours as deck.gl and CSS take them, parsed once from the contract's hex codes. */
import { LEVEL_COLOURS, RISK_LEVELS, type RiskLevel } from '#contract/index.ts';
import type { Rgb } from './severity.ts';

/** `#RRGGBB` → `[r, g, b]`. */
export function hexToRgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #RRGGBB colour: ${hex}`);
  return [parseInt(match[1] ?? '0', 16), parseInt(match[2] ?? '0', 16), parseInt(match[3] ?? '0', 16)];
}

export const LEVEL_RGB: Readonly<Record<RiskLevel, Rgb>> = {
  red: hexToRgb(LEVEL_COLOURS.red),
  orange: hexToRgb(LEVEL_COLOURS.orange),
  yellow: hexToRgb(LEVEL_COLOURS.yellow),
  blue: hexToRgb(LEVEL_COLOURS.blue),
  green: hexToRgb(LEVEL_COLOURS.green),
};

/** Highest first, as the legend and bulletins list them. */
export const LEVELS_HIGH_FIRST: readonly RiskLevel[] = [...RISK_LEVELS].reverse();

/** Text on a level's colour: dark on yellow (white would not read), white on the others. */
export const levelTextCss = (level: RiskLevel): string => (level === 'yellow' ? '#111' : '#fff');
