import { describe, expect, it } from 'vitest';
import { hexToRgb } from '../risk-colours.ts';
import { riskFillColour } from './risk-layer.ts';

describe('riskFillColour', () => {
  // docs/domain.md §5.1, converted by hand: D7 = 215, 26 = 38, 3D = 61, …
  it.each([
    ['red', [215, 38, 61, 255]],
    ['orange', [244, 96, 54, 255]],
    ['yellow', [242, 193, 78, 255]],
    ['blue', [46, 134, 171, 255]],
    ['green', [59, 178, 115, 255]],
  ] as const)('draws %s opaque in its contract colour', (level, rgba) => {
    expect(riskFillColour(level)).toEqual(rgba);
  });

  it('draws nothing for a region without a rating, so the basemap shows through', () => {
    expect(riskFillColour(undefined)).toEqual([0, 0, 0, 0]);
  });
});

describe('hexToRgb', () => {
  it('reads #RRGGBB in either case and refuses anything else', () => {
    expect(hexToRgb('#6cb4e4')).toEqual([108, 180, 228]);
    expect(hexToRgb('#0A1220')).toEqual([10, 18, 32]);
    expect(() => hexToRgb('red')).toThrow(/#RRGGBB/);
  });
});
