import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createParcelTiles } from './parcel-tile-service.ts';
import { PARCEL_TILE_LAYER, ParcelTileIndex, type ParcelTileSource } from './parcel-tiles.ts';

/** Web-mercator tile of a point, written out here (the slippy-map formula), not taken from the code under test. */
function tileOf(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)];
}

/** A square parcel of `sizeDeg` with its south-west corner at lon, lat. */
function square(code: string, lon: number, lat: number, sizeDeg: number, extra: Partial<ParcelTileSource['properties']> = {}): ParcelTileSource {
  const ring: [number, number][] = [[lon, lat], [lon + sizeDeg, lat], [lon + sizeDeg, lat + sizeDeg], [lon, lat + sizeDeg], [lon, lat]];
  return { geometry: { type: 'Polygon', coordinates: [ring] }, properties: { code, landUse: '07', stage: 'planned', hazardous: false, ...extra } };
}

const decode = (bytes: Uint8Array) => new VectorTile(new PbfReader(bytes));

// Two parcels 1 km apart in Hangzhou: a residential one and a hazardous store.
const HOME = square('330106-2026-00001-5', 120.17, 30.25, 0.001);
const STORE = square('330106-2026-00002-3', 120.18, 30.25, 0.001, { landUse: '06', stage: 'construction_permit', hazardous: true });

describe('ParcelTileIndex', () => {
  it('encodes the parcels of a tile as MVT layer "parcels" with code, land use, stage and hazardous, shaped as given', () => {
    const index = new ParcelTileIndex([HOME, STORE]);
    const [x, y] = tileOf(120.1705, 30.2505, 16);
    const tile = index.tile(16, x, y);
    expect(tile).not.toBeNull();
    const layer = decode(tile!.bytes).layers[PARCEL_TILE_LAYER];
    expect(layer?.length).toBe(1);
    const feature = layer!.feature(0);
    expect(feature.properties).toEqual({ code: HOME.properties.code, landUse: '07', stage: 'planned', hazardous: false });
    // At z16 a tile unit is about 0.6 m: corners come back within a few micro-degrees.
    const geojson = feature.toGeoJSON(x, y, 16);
    expect(geojson.geometry.type).toBe('Polygon');
    const ring = (geojson.geometry as GeoJSON.Polygon).coordinates[0]!;
    for (const [lon, lat] of HOME.geometry.coordinates[0] as number[][]) {
      expect(ring.some(([a = 0, b = 0]) => Math.abs(a - lon!) < 1e-5 && Math.abs(b - lat!) < 1e-5), `corner ${lon}, ${lat}`).toBe(true);
    }
  });

  it('puts both parcels into the z12 tile that covers them, the hazardous flag kept', () => {
    const index = new ParcelTileIndex([HOME, STORE]);
    const [x, y] = tileOf(120.175, 30.2505, 12);
    expect(tileOf(120.1705, 30.2505, 12)).toEqual(tileOf(120.1805, 30.2505, 12));
    const layer = decode(index.tile(12, x, y)!.bytes).layers[PARCEL_TILE_LAYER]!;
    const features = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    expect(features).toHaveLength(2);
    expect(features).toContainEqual({ code: STORE.properties.code, landUse: '06', stage: 'construction_permit', hazardous: true });
  });

  it('answers null where no parcel lies, and refuses addresses that are no tile', () => {
    const index = new ParcelTileIndex([HOME]);
    const [x, y] = tileOf(121.5, 31.2, 14); // Shanghai
    expect(index.tile(14, x, y)).toBeNull();
    expect(() => index.tile(17, 0, 0)).toThrow(RangeError);
    expect(() => index.tile(2, 4, 0)).toThrow(/x and y 0–2\^z−1/);
    expect(() => index.tile(1.5, 0, 0)).toThrow(RangeError);
    expect(() => index.tile(3, -1, 0)).toThrow(RangeError);
  });

  it('gives equal tiles equal ETags across indexes, and a changed tile another', () => {
    const [x, y] = tileOf(120.1705, 30.2505, 15);
    const a = new ParcelTileIndex([HOME, STORE]).tile(15, x, y)!;
    const b = new ParcelTileIndex([HOME, STORE]).tile(15, x, y)!;
    const stepped = new ParcelTileIndex([{ ...HOME, properties: { ...HOME.properties, stage: 'supplied' } }, STORE]).tile(15, x, y)!;
    expect(b.etag).toBe(a.etag);
    expect(stepped.etag).not.toBe(a.etag);
  });

  it('keeps serving correct tiles when its cache is smaller than the tiles asked for', () => {
    const index = new ParcelTileIndex([HOME, STORE], { cacheTiles: 1 });
    const home = tileOf(120.1705, 30.2505, 16);
    const store = tileOf(120.1805, 30.2505, 16);
    for (let round = 0; round < 3; round++) {
      expect(decode(index.tile(16, ...home)!.bytes).layers[PARCEL_TILE_LAYER]!.feature(0).properties.code).toBe(HOME.properties.code);
      expect(decode(index.tile(16, ...store)!.bytes).layers[PARCEL_TILE_LAYER]!.feature(0).properties.code).toBe(STORE.properties.code);
    }
  });
});

describe('createParcelTiles', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('builds once, then after changes serves an index loaded after the last change, and a burst of changes costs one rebuild', async () => {
    vi.useFakeTimers();
    let stored: ParcelTileSource[] = [HOME];
    let loads = 0;
    const tiles = createParcelTiles({ load: async () => (loads++, stored), debounceMs: 500 });
    expect((await tiles.current()).size).toBe(1);
    expect((await tiles.current()).size).toBe(1);
    expect(loads).toBe(1);

    // A request right after a change waits for a fresh index (no stale tile for the planner who just drew a parcel).
    stored = [HOME, STORE];
    tiles.invalidate();
    expect((await tiles.current()).size).toBe(2);
    expect(loads).toBe(2);

    // Fifty steps in a row, nobody asking: one rebuild after the quiet time.
    for (let i = 0; i < 50; i++) {
      stored = [...stored];
      tiles.invalidate();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(loads).toBe(2);
    await vi.advanceTimersByTimeAsync(500);
    expect(loads).toBe(3);
    await tiles.current();
    expect(loads).toBe(3);
    tiles.close();
  });

  it('does not serve a build whose load began before a change', async () => {
    let stored: ParcelTileSource[] = [HOME];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let loads = 0;
    const tiles = createParcelTiles({
      load: async () => {
        loads++;
        const snapshot = stored;
        if (loads === 1) await gate; // the first load is slow and reads the store before the change
        return snapshot;
      },
      debounceMs: 10_000,
    });
    const first = tiles.current();
    stored = [HOME, STORE];
    tiles.invalidate();
    const second = tiles.current();
    release();
    expect((await first).size).toBe(1);
    expect((await second).size).toBe(2);
    tiles.close();
  });
});
