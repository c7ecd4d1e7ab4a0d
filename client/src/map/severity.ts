/** One colour per CAP severity, shared by the dots, the legend and the ticker. */
import type { Severity } from '#contract/index.ts';

export type Rgb = [number, number, number];

/** Highest first, as the legend lists them. Reds and oranges follow the five-colour risk palette. */
export const SEVERITIES_HIGH_FIRST: readonly Severity[] = ['extreme', 'severe', 'moderate', 'minor', 'unknown'];

export const SEVERITY_COLOURS: Record<Severity, Rgb> = {
  extreme: [215, 38, 61], // #D7263D
  severe: [244, 96, 54], // #F46036
  moderate: [242, 193, 78], // #F2C14E
  minor: [86, 180, 233], // #56B4E9
  unknown: [170, 180, 195], // #AAB4C3
};

/** Dot radius in screen pixels: the worse, the bigger, so a red dot is seen from across the room. */
export const SEVERITY_RADIUS_PX: Record<Severity, number> = {
  extreme: 11,
  severe: 9,
  moderate: 7,
  minor: 6,
  unknown: 5,
};

export const severityCss = (severity: Severity): string => `rgb(${SEVERITY_COLOURS[severity].join(' ')})`;
