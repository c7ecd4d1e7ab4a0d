import { describe, expect, it } from 'vitest';
import { fitPadding, outlinePath } from './map-focus.ts';

describe('fitPadding', () => {
  it('keeps the wanted padding when the map has room for it', () => {
    expect(fitPadding(1600, 1000, { top: 80, right: 500, bottom: 120, left: 430 })).toEqual({ top: 80, right: 500, bottom: 120, left: 430 });
  });
  it('shrinks left and right in proportion so that 120 px of map stay free', () => {
    // 800 px wide: 680 px for 500 + 350 = 850 wanted → × 0.8.
    expect(fitPadding(800, 1000, { top: 80, right: 500, bottom: 120, left: 350 })).toEqual({ top: 80, right: 400, bottom: 120, left: 280 });
  });
});

describe('outlinePath', () => {
  it('draws every ring as a closed path through the projected points', () => {
    const project = ([lon, lat]: [number, number]) => ({ x: lon * 10, y: 100 - lat * 10 });
    const rings = [
      [[0, 0], [2, 0], [2, 2], [0, 0]],
      [[5, 5], [6, 5], [6, 6.5], [5, 5]],
    ];
    expect(outlinePath(rings, project)).toBe('M0.0 100.0L20.0 100.0L20.0 80.0L0.0 100.0ZM50.0 50.0L60.0 50.0L60.0 35.0L50.0 50.0Z');
  });
  it('is empty without rings', () => {
    expect(outlinePath([], () => ({ x: 0, y: 0 }))).toBe('');
  });
});
