import { describe, expect, it } from 'vitest';
import { outlinePath } from './map-focus.ts';

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
