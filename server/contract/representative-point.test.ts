import { describe, expect, it } from 'vitest';
import type { Position } from './common.ts';
import { representativePoint } from './representative-point.ts';

function polygonOf(...rings: Position[][]) {
  return { type: 'Polygon' as const, coordinates: rings };
}
function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}
function expectClose(actual: [number, number], expected: [number, number], digits = 12): void {
  expect(actual[0]).toBeCloseTo(expected[0], digits);
  expect(actual[1]).toBeCloseTo(expected[1], digits);
}

describe('representativePoint', () => {
  it('returns the lon/lat of a Point and drops its altitude', () => {
    expect(representativePoint({ type: 'Point', coordinates: [120.15, 30.28] })).toEqual([120.15, 30.28]);
    expect(representativePoint({ type: 'Point', coordinates: [120.15, 30.28, -12] })).toEqual([120.15, 30.28]);
  });

  it('returns the centre of a square whichever way it is wound', () => {
    expectClose(representativePoint(polygonOf(rect(0, 0, 2, 2))), [1, 1]);
    expectClose(representativePoint(polygonOf(rect(0, 0, 2, 2).reverse())), [1, 1]);
  });

  it('returns the centroid of a triangle (mean of its corners)', () => {
    expectClose(representativePoint(polygonOf([[0, 0], [3, 0], [0, 3], [0, 0]])), [1, 1]);
  });

  it('weights by area, not by vertices: an L shape', () => {
    // Two unit-height blocks: [0,2]×[0,1] (area 2, centre (1, 0.5)) and [0,1]×[1,2] (area 1, centre (0.5, 1.5)).
    const l: Position[] = [[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]];
    expectClose(representativePoint(polygonOf(l)), [5 / 6, 5 / 6]);
  });

  it('subtracts holes, whichever way they are wound', () => {
    // 4×4 square (area 16, centre (2, 2)) minus the unit square at (1..2, 1..2) (centre (1.5, 1.5)).
    const expected: [number, number] = [(16 * 2 - 1.5) / 15, (16 * 2 - 1.5) / 15];
    expectClose(representativePoint(polygonOf(rect(0, 0, 4, 4), rect(1, 1, 2, 2).reverse())), expected);
    expectClose(representativePoint(polygonOf(rect(0, 0, 4, 4), rect(1, 1, 2, 2))), expected);
  });

  it('handles an unclosed ring like the closed one', () => {
    expectClose(representativePoint(polygonOf([[0, 0], [3, 0], [0, 3]])), [1, 1]);
  });

  it('keeps full precision for a small block at city coordinates', () => {
    const block = polygonOf(rect(120.1234, 30.2468, 120.1244, 30.2478));
    expectClose(representativePoint(block), [120.1239, 30.2473], 10);
  });

  it('falls back to the mean of distinct vertices for a zero-area ring', () => {
    expectClose(representativePoint(polygonOf([[0, 0], [1, 1], [3, 3], [0, 0]])), [4 / 3, 4 / 3]);
    expectClose(representativePoint(polygonOf([[120.1, 30.1], [120.2, 30.2], [120.4, 30.4], [120.1, 30.1]])), [360.7 / 3, 90.7 / 3]);
    expect(representativePoint(polygonOf([[5, 6], [5, 6], [5, 6], [5, 6]]))).toEqual([5, 6]);
  });
});
