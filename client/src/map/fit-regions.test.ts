import { describe, expect, it } from 'vitest';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionCollection } from '#contract/index.ts';
import { cameraMoved, RegionFit, regionSetKey, shouldFit, shrinkPadding, type Camera } from './fit-regions.ts';

const square = (code: string, west: number, south: number, size: number): RegionCollection['features'][number] => ({
  type: 'Feature',
  id: code,
  properties: { code, name: code, population: null, populationSource: null },
  geometry: { type: 'Polygon', coordinates: [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]] },
});
const city = (...features: RegionCollection['features']): RegionCollection => ({ type: 'FeatureCollection', features });

describe('shrinkPadding', () => {
  it('keeps the wanted padding when the map has room for it', () => {
    expect(shrinkPadding(1600, 1000, { top: 80, right: 500, bottom: 120, left: 430 })).toEqual({ top: 80, right: 500, bottom: 120, left: 430 });
  });
  it('shrinks left and right in proportion so that 120 px of map stay free', () => {
    // 800 px wide: 680 px for 500 + 350 = 850 wanted → × 0.8.
    expect(shrinkPadding(800, 1000, { top: 80, right: 500, bottom: 120, left: 350 })).toEqual({ top: 80, right: 400, bottom: 120, left: 280 });
  });
  it('shrinks top and bottom on their own', () => {
    // 1024 × 300: 180 px for 96 + 144 = 240 wanted → × 0.75; the width has room.
    expect(shrinkPadding(1024, 300, { top: 96, right: 160, bottom: 144, left: 40 })).toEqual({ top: 72, right: 160, bottom: 108, left: 40 });
  });
  it('gives a map smaller than the free minimum no padding at all', () => {
    expect(shrinkPadding(100, 90, { top: 10, right: 10, bottom: 10, left: 10 })).toEqual({ top: 0, right: 0, bottom: 0, left: 0 });
  });
});

describe('regionSetKey', () => {
  const a = square('A', 104, 30, 0.1);
  const b = square('B', 104.1, 30, 0.2);
  it('is the same for the same set, in any order and as a fresh copy', () => {
    expect(regionSetKey(city(b, a))).toBe(regionSetKey(structuredClone(city(a, b))));
  });
  it('differs when a code or the extent changes', () => {
    expect(regionSetKey(city(a, square('C', 104.1, 30, 0.2)))).not.toBe(regionSetKey(city(a, b)));
    expect(regionSetKey(city(a, square('B', 104.1, 30, 0.3)))).not.toBe(regionSetKey(city(a, b)));
  });
});

describe('cameraMoved', () => {
  const held: Camera = { lng: 104, lat: 60, zoom: 8, bearing: 0, pitch: 0 };
  // At zoom 8 one pixel is 360 / (512 × 256) ≈ 0.002747° of longitude, and half that of latitude at 60°.
  const px = 360 / (512 * 256);
  it('is false for the same view', () => {
    expect(cameraMoved(held, { ...held })).toBe(false);
    expect(cameraMoved(held, { ...held, lng: held.lng + 0.4 * px, lat: held.lat + 0.2 * px })).toBe(false);
  });
  it('is true once the centre has moved half a pixel or the view zoomed, turned or tilted', () => {
    expect(cameraMoved(held, { ...held, lng: held.lng + 0.6 * px })).toBe(true);
    expect(cameraMoved(held, { ...held, lat: held.lat + 0.3 * px })).toBe(true);
    expect(cameraMoved(held, { ...held, zoom: 8.01 })).toBe(true);
    expect(cameraMoved(held, { ...held, bearing: 5 })).toBe(true);
    expect(cameraMoved(held, { ...held, pitch: 10 })).toBe(true);
  });
});

describe('shouldFit', () => {
  it.each([
    ['regions', null, 'k1', true, true, 'the first set'],
    ['regions', 'k1', 'k2', false, true, 'another set, even after a move'],
    ['regions', 'k1', 'k1', true, true, 'the same set on an untouched map'],
    ['regions', 'k1', 'k1', false, false, 'the same set after a move'],
    ['resize', 'k1', 'k1', true, true, 'a resize of an untouched map'],
    ['resize', 'k1', 'k1', false, false, 'a resize after a move'],
    ['resize', null, 'k1', true, true, 'a resize that gives the container its first size'],
  ] as const)('%s with fitted %s, now %s, untouched %s → %s (%s)', (reason, fittedKey, key, untouched, expected, _case) => {
    expect(shouldFit(reason, { fittedKey, key, untouched })).toBe(expected);
  });
});

/**
 * The few calls RegionFit makes, on a flat camera: the fitted centre is the bounds' middle, the
 * zoom how many times the bounds fit across the free width. Enough to tell fits apart.
 */
class FlatMap {
  width = 1000;
  height = 800;
  camera: Camera = { lng: 0, lat: 0, zoom: 0, bearing: 0, pitch: 0 };
  jumps = 0;
  lastPadding: unknown = null;
  private listeners: Array<() => void> = [];
  on(_: 'resize', listener: () => void) {
    this.listeners.push(listener);
  }
  off(_: 'resize', listener: () => void) {
    this.listeners = this.listeners.filter((l) => l !== listener);
  }
  getCanvas() {
    return { clientWidth: this.width, clientHeight: this.height };
  }
  cameraForBounds([[w, s], [e, n]]: [[number, number], [number, number]], { padding }: { padding: { left: number; right: number } }) {
    this.lastPadding = padding;
    return { center: [(w + e) / 2, (s + n) / 2], zoom: Math.log2((this.width - padding.left - padding.right) / (e - w)) };
  }
  jumpTo({ center: [lng = 0, lat = 0], zoom }: { center: number[]; zoom: number }) {
    this.jumps++;
    this.camera = { ...this.camera, lng, lat, zoom };
  }
  getCenter() {
    return { lng: this.camera.lng, lat: this.camera.lat };
  }
  getZoom() {
    return this.camera.zoom;
  }
  getBearing() {
    return 0;
  }
  getPitch() {
    return 0;
  }
  resize(width: number, height: number) {
    this.width = width;
    this.height = height;
    for (const listener of this.listeners) listener();
  }
}

describe('RegionFit', () => {
  const chengdu = city(square('A', 103, 30, 1), square('B', 104, 30.5, 0.9));
  const other = city(square('X', 87, 43, 0.5));
  const setup = (padding = { top: 10, right: 300, bottom: 10, left: 100 }) => {
    const map = new FlatMap();
    const fit = new RegionFit(map as unknown as MaplibreMap, () => padding);
    return { map, fit };
  };

  it('starts on the regions, with the padding, and follows the container while nobody moves the map', () => {
    const { map, fit } = setup();
    fit.show(chengdu);
    expect(map.camera.lng).toBeCloseTo(103.95, 12);
    expect(map.camera.lat).toBeCloseTo(30.7, 12);
    expect(map.camera.zoom).toBeCloseTo(Math.log2(600 / 1.9), 12);
    map.resize(500, 400);
    // 500 px: 380 free for 400 wanted → × 0.95: 95 + 285.
    expect(map.lastPadding).toEqual({ top: 10, right: 285, bottom: 10, left: 95 });
    expect(map.camera.zoom).toBeCloseTo(Math.log2((500 - 380) / 1.9), 12);
    fit.remove();
    map.resize(1000, 800);
    expect(map.camera.zoom).toBeCloseTo(Math.log2(120 / 1.9), 12);
  });

  it('keeps a moved view on resizes and refetches of the same set, and fits another set', () => {
    const { map, fit } = setup();
    fit.show(chengdu);
    map.camera = { ...map.camera, lng: map.camera.lng + 0.5, zoom: map.camera.zoom + 1 };
    const moved = { ...map.camera };
    map.resize(1200, 900);
    fit.show(structuredClone(chengdu));
    expect(map.camera).toEqual(moved);
    fit.show(other);
    expect(map.camera).toMatchObject({ lng: 87.25, lat: 43.25 });
    // The new set's fit is the map's own again: resizes follow it.
    map.resize(800, 600);
    expect(map.camera.zoom).toBeCloseTo(Math.log2((800 - 400) / 0.5), 12);
  });

  it('waits for a container with a size', () => {
    const { map, fit } = setup();
    map.width = 0;
    fit.show(chengdu);
    expect(map.jumps).toBe(0);
    map.resize(1000, 800);
    expect(map.camera.lng).toBeCloseTo(103.95, 12);
    expect(map.camera.lat).toBeCloseTo(30.7, 12);
  });
});
