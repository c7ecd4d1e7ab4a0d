import { describe, expect, it } from 'vitest';
import { accessClass, accessColour, accessScale, medianSpacingM, roundSignificant, viridis } from './equity-layer.ts';

describe('viridis', () => {
  // matplotlib's viridis, converted by hand: #440154 = (68, 1, 84), #21918c = (33, 145, 140), #fde725 = (253, 231, 37).
  it('runs from dark purple through teal to yellow', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(0.5)).toEqual([33, 145, 140]);
    expect(viridis(1)).toEqual([253, 231, 37]);
  });

  it('interpolates between stops and clamps outside 0–1', () => {
    // Half-way between #440154 (68, 1, 84) and #482475 (72, 36, 117): (70, 18.5, 100.5), rounded half up.
    expect(viridis(0.05)).toEqual([70, 19, 101]);
    expect(viridis(-3)).toEqual([68, 1, 84]);
    expect(viridis(7)).toEqual([253, 231, 37]);
    expect(viridis(Number.NaN)).toEqual([68, 1, 84]);
  });
});

describe('roundSignificant', () => {
  it('keeps two significant digits by default', () => {
    expect(roundSignificant(0.0012345)).toBe(0.0012);
    expect(roundSignificant(0.00456)).toBe(0.0046);
    expect(roundSignificant(1234)).toBe(1200);
    expect(roundSignificant(0)).toBe(0);
  });
});

describe('accessScale (legend breaks)', () => {
  it('cuts the cells with access into seven quantile classes and ignores zeros', () => {
    // 14 positive values 1…14: the k-th break is value number ⌊14k/7⌋ = 2k (0-based) = 2k + 1.
    const values = [0, 0, 0, ...Array.from({ length: 14 }, (_, i) => 14 - i)];
    const scale = accessScale(values);
    expect(scale.breaks).toEqual([1, 3, 5, 7, 9, 11, 13]);
    expect(scale.colours[0]).toEqual([68, 1, 84]);
    expect(scale.colours[6]).toEqual([253, 231, 37]);
    expect(scale.colours[3]).toEqual([33, 145, 140]);
    expect([0, 0.5, 1, 2.99, 3, 12.9, 13, 1e9].map((a) => accessClass(scale, a))).toEqual([-1, 0, 0, 0, 1, 5, 6, 6]);
  });

  it('rounds inner breaks to two digits but keeps the smallest access in the lowest class', () => {
    const values = [0.001234, 0.001236, 0.002, 0.0031, 0.0042, 0.0057, 0.0066, 0.0071];
    const scale = accessScale(values, 4);
    // Quantile indices ⌊8k/4⌋ = 2, 4, 6 → 0.002, 0.0042, 0.0066 (already two digits).
    expect(scale.breaks).toEqual([0.001234, 0.002, 0.0042, 0.0066]);
    expect(accessClass(scale, 0.001234)).toBe(0);
    expect(accessClass(scale, 0.0071)).toBe(3);
  });

  it('merges classes that round to the same break, drawing one class in the top colour', () => {
    const scale = accessScale([5, 5, 5, 5]);
    expect(scale.breaks).toEqual([5]);
    expect(scale.colours).toEqual([[253, 231, 37]]);
    expect(accessColour(scale, 5)).toEqual([253, 231, 37, 255]);
  });

  it('draws no access in grey (#808080), even with no classes at all', () => {
    const empty = accessScale([0, 0]);
    expect(empty.breaks).toEqual([]);
    expect(accessColour(empty, 0)).toEqual([128, 128, 128, 255]);
    expect(accessColour(accessScale([1, 2]), 0, 100)).toEqual([128, 128, 128, 100]);
  });

  it('changes its key when its classes change, not otherwise', () => {
    expect(accessScale([1, 2, 3]).key).toBe(accessScale([3, 2, 1]).key);
    expect(accessScale([1, 2, 3]).key).not.toBe(accessScale([1, 2, 4]).key);
  });
});

describe('medianSpacingM', () => {
  it('measures a regular grid’s spacing in metres, longitude shrunk by cos(latitude)', () => {
    // At 60° N, 0.02° of longitude × cos 60° = 0.01° = 0.01 × 111,195 m ≈ 1,112 m, as 0.01° of latitude
    // (a little less on the rows further north, where cos is smaller: within 1 m here).
    const cells = [];
    for (let i = 0; i < 6; i++) for (let j = 0; j < 5; j++) cells.push({ lon: 10 + 0.02 * i, lat: 60 + 0.01 * j });
    expect(Math.abs((medianSpacingM(cells) ?? 0) - 1111.95)).toBeLessThan(1);
    // Stretched in longitude only, the latitude spacing is the nearest neighbour.
    const wide = cells.map((c) => ({ lon: 10 + (c.lon - 10) * 3, lat: c.lat }));
    expect(Math.abs((medianSpacingM(wide) ?? 0) - 1111.95)).toBeLessThan(0.01);
  });

  it('has no answer for fewer than two distinct points', () => {
    expect(medianSpacingM([])).toBeNull();
    expect(medianSpacingM([{ lon: 1, lat: 1 }])).toBeNull();
    expect(medianSpacingM([{ lon: 1, lat: 1 }, { lon: 1, lat: 1 }])).toBeNull();
  });
});
