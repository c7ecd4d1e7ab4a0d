/**
 * Parcel vector tiles: slices every parcel once into a geojson-vt index and encodes the tiles a
 * map asks for as Mapbox Vector Tiles (layer `parcels`), keeping the most recently served ones
 * encoded in a small LRU cache. The map then draws 20k–100k parcels from a few small tiles instead
 * of one GeoJSON document of all of them (maplibre's `setData` re-serialises that whole document on every change).
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { ParcelFeature } from '../contract/parcels.ts';

/** Name of the one layer in every parcel tile (the client's `source-layer`). */
export const PARCEL_TILE_LAYER = 'parcels';
/** Deepest zoom tiles are cut at; maplibre over-zooms beyond it (a parcel needs no more detail). */
export const PARCEL_TILE_MAX_ZOOM = 16;
/** Tile extent in tile units (the MVT default). */
const EXTENT = 4096;

/** What a tile needs of a parcel: its shape and the four properties the map styles and picks by. */
export interface ParcelTileSource {
  geometry: ParcelFeature['geometry'];
  properties: Pick<ParcelFeature['properties'], 'code' | 'landUse' | 'stage' | 'hazardous'>;
}

/** An encoded tile, with what HTTP needs to serve it again cheaply. */
export interface EncodedTile {
  /** MVT protobuf, uncompressed. */
  bytes: Buffer;
  /** The same, gzipped (clients that accept it get this). */
  gzipped: Buffer;
  /** Content hash: equal tiles get equal tags, across rebuilds and restarts. */
  etag: string;
  /** Parcels drawn in the tile (whole or in part). */
  features: number;
}

export interface ParcelTileIndexOptions {
  /** Encoded tiles (and empty answers) kept. @default 2048 */
  cacheTiles?: number;
}

/** Whether z/x/y name a tile this index serves: integers, 0 ≤ z ≤ max zoom, x and y inside the zoom's grid. */
export function isTileAddress(z: number, x: number, y: number): boolean {
  if (![z, x, y].every(Number.isInteger) || z < 0 || z > PARCEL_TILE_MAX_ZOOM) return false;
  const size = 2 ** z;
  return x >= 0 && x < size && y >= 0 && y < size;
}

/**
 * The tiles of one set of parcels. Immutable as far as callers go: when parcels change, build a new
 * index (see `ParcelTiles` in `parcel-tile-service.ts`).
 */
export class ParcelTileIndex {
  /** Parcels sliced. */
  readonly size: number;
  private readonly slicer: GeoJSONVT;
  private readonly cache = new Map<string, EncodedTile | null>();
  private readonly cacheTiles: number;

  constructor(parcels: readonly ParcelTileSource[], options: ParcelTileIndexOptions = {}) {
    this.size = parcels.length;
    this.cacheTiles = options.cacheTiles ?? 2048;
    // Only what the tiles carry: a parcel's name, address and history stay in the API.
    const features = parcels.map((p) => ({
      type: 'Feature' as const,
      geometry: p.geometry,
      properties: { code: p.properties.code, landUse: p.properties.landUse, stage: p.properties.stage, hazardous: p.properties.hazardous },
    }));
    this.slicer = new GeoJSONVT(
      { type: 'FeatureCollection', features },
      { maxZoom: PARCEL_TILE_MAX_ZOOM, indexMaxZoom: 5, extent: EXTENT, buffer: 64, tolerance: 3 },
    );
  }

  /**
   * The encoded tile z/x/y, or null when no parcel falls in it.
   * @throws RangeError when z/x/y is not a tile address ({@link isTileAddress}).
   */
  tile(z: number, x: number, y: number): EncodedTile | null {
    if (!isTileAddress(z, x, y)) throw new RangeError(`no parcel tile ${z}/${x}/${y}: z must be 0–${PARCEL_TILE_MAX_ZOOM}, x and y 0–2^z−1`);
    const key = `${z}/${x}/${y}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Map keeps insertion order: moving the entry to the end makes the first one the least recent.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const encoded = this.encode(z, x, y);
    this.cache.set(key, encoded);
    if (this.cache.size > this.cacheTiles) this.cache.delete(this.cache.keys().next().value as string);
    return encoded;
  }

  private encode(z: number, x: number, y: number): EncodedTile | null {
    const sliced = this.slicer.getTile(z, x, y);
    if (!sliced || sliced.features.length === 0) return null;
    const bytes = Buffer.from(fromGeojsonVt({ [PARCEL_TILE_LAYER]: sliced }, { version: 2, extent: EXTENT }));
    const etag = `"${createHash('sha1').update(bytes).digest('base64url').slice(0, 22)}"`;
    return { bytes, gzipped: gzipSync(bytes, { level: 6 }), etag, features: sliced.features.length };
  }
}
