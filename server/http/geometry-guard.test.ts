/** The structural limits, on parsed bodies and on raw bytes, checked against hand-made inputs. */
import { describe, expect, it } from 'vitest';
import { findStructuralProblem, scanJsonBody } from './geometry-guard.ts';

const ring = (n: number) => Array.from({ length: n }, (_, i) => [120 + i * 1e-6, 30]);
const polygon = (n: number) => ({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring(n)] }, properties: { name: 'a "coordinates": [1,2]' } });

describe('geometry guard', () => {
  it('lets a polygon at the limit through and refuses one position more, parsed or raw', () => {
    expect(findStructuralProblem(polygon(100), 100)).toBeNull();
    expect(findStructuralProblem(polygon(101), 100)?.path).toBe('geometry.coordinates');
    expect(() => scanJsonBody(Buffer.from(JSON.stringify(polygon(100))), 100)).not.toThrow();
    expect(() => scanJsonBody(Buffer.from(JSON.stringify(polygon(101))), 100)).toThrow(/more than 100 positions/);
  });

  it('counts each geometry on its own: many small geometries pass', () => {
    const many = { type: 'FeatureCollection', features: Array.from({ length: 50 }, () => polygon(90)) };
    expect(findStructuralProblem(many, 100)).toBeNull();
    expect(() => scanJsonBody(Buffer.from(JSON.stringify(many)), 100)).not.toThrow();
    // 4,500 positions in all, 90 per geometry: under a limit of 100 per geometry.
  });

  it('refuses nesting deeper than the limit, and ignores brackets inside strings', () => {
    const deep = JSON.parse(`${'['.repeat(40)}1${']'.repeat(40)}`) as unknown;
    expect(findStructuralProblem(deep, 100, 32)?.message).toMatch(/nested more than 32/);
    expect(() => scanJsonBody(Buffer.from(`${'['.repeat(40)}1${']'.repeat(40)}`), 100, 32)).toThrow(/nested/);
    expect(() => scanJsonBody(Buffer.from(JSON.stringify({ note: '['.repeat(100) + '\\"' })), 100, 32)).not.toThrow();
  });
});
