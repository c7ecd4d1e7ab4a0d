import { describe, expect, it } from 'vitest';
import { parcelThumbnailSvg, roundScaleLength } from './thumbnail.ts';
import { escapeHtml } from './html.ts';

describe('roundScaleLength', () => {
  it.each([
    [81.9, 50],
    [100, 100],
    [99.9, 50],
    [19, 10],
    [2500, 2000],
    [0.7, 0.5],
    [0, 0],
  ])('picks the largest 1-2-5 length within %s m → %s m', (max, expected) => {
    expect(roundScaleLength(max)).toBeCloseTo(expected, 9);
  });
});

describe('parcelThumbnailSvg', () => {
  it('draws 0.002° × 0.001° at 60° N as a square (cos 60° = ½), centred in the 320 × 200 box with 24 px padding', () => {
    // By hand: spans 0.001 (lon × cos φ) and 0.001 (lat) → scale = min(272, 152) / 0.001 = 152 000 px/°;
    // 152 px square; x from (320 − 152) / 2 = 84 to 236, y from 24 to 176 (north up).
    const svg = parcelThumbnailSvg(
      { type: 'Polygon', coordinates: [[[10, 60], [10.002, 60], [10.002, 60.001], [10, 60.001], [10, 60]]] },
      { label: 'outline' },
      escapeHtml,
    );
    expect(svg).toContain('d="M84 176L236 176L236 24L84 24L84 176Z"');
    // 152 px = 111.195 m → 0.7315 m/px; 35 % of 320 px = 81.9 m → a 50 m bar of 68.35 px.
    expect(svg).toContain('data-scale-m="50">50 m</text>');
    expect(svg).toContain('H76.3V');
  });

  it('cuts holes and draws every polygon of a MultiPolygon', () => {
    const svg = parcelThumbnailSvg(
      {
        type: 'MultiPolygon',
        coordinates: [
          [
            [[0, 0], [0.004, 0], [0.004, 0.004], [0, 0.004], [0, 0]],
            [[0.001, 0.001], [0.002, 0.001], [0.002, 0.002], [0.001, 0.002], [0.001, 0.001]],
          ],
          [[[0.006, 0], [0.008, 0], [0.008, 0.002], [0.006, 0]]],
        ],
      },
      { label: 'outline' },
      escapeHtml,
    );
    const d = /<path d="([^"]+)" fill="#f2b134"/.exec(svg)?.[1] ?? '';
    expect(d.match(/M/g)).toHaveLength(3);
    expect(svg).toContain('fill-rule="evenodd"');
  });

  it('escapes its label and north letter', () => {
    const svg = parcelThumbnailSvg({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, { label: '<b>"x"</b>', north: '<' }, escapeHtml);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('aria-label="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"');
    expect(svg).toContain('>&lt;</text>');
  });
});
