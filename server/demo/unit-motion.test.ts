import { describe, expect, it } from 'vitest';
import { haversineM } from '../domain/spatial/haversine.ts';
import { mulberry32 } from './random.ts';
import { AT_HOME_M, JITTER_M, stepUnits, type MovingUnit } from './unit-motion.ts';

const HOME = { lon: 120.1, lat: 30.25 };
const SCENE = { lon: 120.2, lat: 30.3 }; // ~11 km away
const unit = (over: Partial<MovingUnit>): MovingUnit => ({ unitId: 'u1', kind: 'fire_engine', status: 'available', position: HOME, home: HOME, target: null, ...over });
const NOW = Date.parse('2026-11-23T08:00:00Z');
const dist = (a: { lon: number; lat: number }, b: { lon: number; lat: number }): number => haversineM(a.lon, a.lat, b.lon, b.lat);
/** A fire engine's straight-line speed, 30 km/h, over a 10 s step, written out here. */
const ENGINE_10S_M = (30_000 / 3600) * 10;

describe('demo unit motion', () => {
  it('drives a unit with a call toward its incident at its kind speed, stamped now', () => {
    for (const status of ['assigned', 'en_route'] as const) {
      const [r] = stepUnits([unit({ status, target: SCENE })], NOW, 10_000, mulberry32(1));
      expect(r?.at).toBe(new Date(NOW).toISOString());
      expect(dist(HOME, r!)).toBeCloseTo(ENGINE_10S_M, 0);
      expect(dist(SCENE, HOME) - dist(SCENE, r!)).toBeCloseTo(ENGINE_10S_M, 0);
      expect(r?.speed).toBeCloseTo(ENGINE_10S_M / 10, 0);
      expect(r?.heading).toBeGreaterThan(0); // north-east
      expect(r?.heading).toBeLessThan(90);
    }
  });

  it('stops at the incident instead of overshooting, and stays there on scene', () => {
    const near = { lon: SCENE.lon - 0.0002, lat: SCENE.lat }; // ~19 m short
    const [arrive] = stepUnits([unit({ status: 'en_route', position: near, target: SCENE })], NOW, 10_000, mulberry32(1));
    expect([arrive?.lon, arrive?.lat]).toEqual([SCENE.lon, SCENE.lat]);
    const [stay] = stepUnits([unit({ status: 'on_scene', position: SCENE, target: SCENE })], NOW, 60_000, mulberry32(1));
    expect([stay?.lon, stay?.lat, stay?.speed]).toEqual([SCENE.lon, SCENE.lat, 0]);
  });

  it('drives a returning (or free but away) unit home, then parks it within a few metres of its station', () => {
    for (const status of ['returning', 'available'] as const) {
      const [r] = stepUnits([unit({ status, position: SCENE })], NOW, 10_000, mulberry32(1));
      expect(dist(HOME, SCENE) - dist(HOME, r!)).toBeCloseTo(ENGINE_10S_M, 0);
    }
    const justOutside = { lon: HOME.lon + (AT_HOME_M + 20) / 96_000, lat: HOME.lat };
    const [last] = stepUnits([unit({ status: 'returning', position: justOutside })], NOW, 10_000, mulberry32(1));
    expect([last?.lon, last?.lat]).toEqual([HOME.lon, HOME.lat]);
    for (let seed = 0; seed < 50; seed++) {
      const [p] = stepUnits([unit({ status: 'available' })], NOW, 10_000, mulberry32(seed));
      expect(dist(HOME, p!)).toBeLessThanOrEqual(JITTER_M + 0.01);
      expect(p?.speed).toBe(0);
    }
  });

  it('jitters the same for the same seed, and starts a unit that never reported at home', () => {
    const a = stepUnits([unit({ position: null })], NOW, 5000, mulberry32(42));
    expect(stepUnits([unit({ position: null })], NOW, 5000, mulberry32(42))).toEqual(a);
    expect(dist(HOME, a[0]!)).toBeLessThanOrEqual(JITTER_M + 0.01);
    expect(stepUnits([unit({ position: null })], NOW, 5000, mulberry32(43))).not.toEqual(a);
  });

  it('reports nothing for a department (no vehicle) or a unit out of service', () => {
    expect(stepUnits([unit({ kind: 'department', position: null, home: null }), unit({ status: 'out_of_service' })], NOW, 5000, mulberry32(1))).toEqual([]);
  });
});
