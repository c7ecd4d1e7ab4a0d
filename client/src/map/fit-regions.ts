/**
 * Keeps a map on the city: it starts on the regions' bounds, fits again when the region set
 * changes, and follows its container's size until someone moves it (a person, the wall's tour, a
 * fly to a parcel); panel padding shrinks where it would leave no map to fit into. A page may
 * frame something smaller instead (the responder's incident and its radius): the same rules, on
 * that frame.
 */
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionCollection } from '#contract/index.ts';
import { regionsBounds, type LonLat } from './geometry.ts';

/** `[[west, south], [east, north]]`. */
export type Frame = [LonLat, LonLat];

/** Screen space (px) the panels cover on each side of the map. */
export interface ScreenPadding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A page's padding, or how to work it out when fitting (e.g. in rem of a font that grows with the screen). */
export type PaddingSource = ScreenPadding | (() => ScreenPadding);

export const resolvePadding = (source: PaddingSource): ScreenPadding => (typeof source === 'function' ? source() : source);

/**
 * Padding that still leaves at least `minFree` pixels of map each way: when the panels' padding
 * exceeds the map, maplibre refuses the fit and leaves the camera wherever it was.
 */
export function shrinkPadding(width: number, height: number, wanted: ScreenPadding, minFree = 120): ScreenPadding {
  const scaleX = Math.min(1, Math.max(0, width - minFree) / Math.max(1, wanted.left + wanted.right));
  const scaleY = Math.min(1, Math.max(0, height - minFree) / Math.max(1, wanted.top + wanted.bottom));
  return {
    top: Math.floor(wanted.top * scaleY),
    bottom: Math.floor(wanted.bottom * scaleY),
    left: Math.floor(wanted.left * scaleX),
    right: Math.floor(wanted.right * scaleX),
  };
}

/**
 * Which region set this is: its codes and its bounds. A refetch of the same set (a reconnect, a PUT
 * of the same file) has the same key and is not a reason to take the view from whoever moved it.
 */
export function regionSetKey(regions: RegionCollection): string {
  const codes = regions.features.map((feature) => feature.properties.code).sort();
  return JSON.stringify([codes, regionsBounds(regions)]);
}

/** Where a map looks. */
export interface Camera {
  lng: number;
  lat: number;
  zoom: number;
  bearing: number;
  pitch: number;
}

/** maplibre's world is 512 px wide at zoom 0. */
const WORLD_PX = 512;

/**
 * Whether the view has moved since `held` by half a pixel or more (or zoomed, turned, tilted). A
 * resize keeps centre and zoom; a fly that lands on the same fit differs by rounding only.
 */
export function cameraMoved(held: Camera, now: Camera): boolean {
  const degreesPerPx = 360 / (WORLD_PX * 2 ** held.zoom);
  const latScale = Math.cos((held.lat * Math.PI) / 180);
  return (
    Math.abs(now.zoom - held.zoom) > 1e-6 ||
    Math.abs(now.bearing - held.bearing) > 1e-6 ||
    Math.abs(now.pitch - held.pitch) > 1e-6 ||
    Math.abs(now.lng - held.lng) > degreesPerPx / 2 ||
    Math.abs(now.lat - held.lat) > (degreesPerPx * latScale) / 2
  );
}

/**
 * Whether to fit again. New regions that are another set: always (the old view shows a city that is
 * gone). The same set again, or a new container size: only while the map is still where the last
 * fit left it (`untouched`), so a view somebody chose is kept.
 */
export function shouldFit(reason: 'regions' | 'resize', state: { fittedKey: string | null; key: string; untouched: boolean }): boolean {
  if (reason === 'regions' && state.key !== state.fittedKey) return true;
  return state.untouched;
}

const cameraOf = (map: MaplibreMap): Camera => {
  const { lng, lat } = map.getCenter();
  return { lng, lat, zoom: map.getZoom(), bearing: map.getBearing(), pitch: map.getPitch() };
};

/** Fits one map to the regions it is given, on its own from then on (container resizes). */
export class RegionFit {
  private regions: RegionCollection | null = null;
  /** What to fit instead of the regions' bounds; `null`: the regions. */
  private frame: Frame | null = null;
  private fittedKey: string | null = null;
  /** Where the last fit left the camera; `null` before the first fit. */
  private held: Camera | null = null;

  constructor(
    private readonly map: MaplibreMap,
    private readonly padding: () => PaddingSource,
  ) {
    map.on('resize', this.onResize);
  }

  /** Regions arrived: the first set, a live change, or a refetch. Fits at once (the style need not have loaded). */
  show(regions: RegionCollection): void {
    this.regions = regions;
    const key = this.keyOf(regions);
    if (shouldFit('regions', { fittedKey: this.fittedKey, key, untouched: this.untouched() })) this.fit(regions, key);
  }

  /** Frames `frame` from now on (`null`: the regions again); another frame is fitted at once, moved view or not. */
  setFrame(frame: Frame | null): void {
    this.frame = frame;
    const regions = this.regions;
    if (!regions) return;
    const key = this.keyOf(regions);
    if (shouldFit('regions', { fittedKey: this.fittedKey, key, untouched: this.untouched() })) this.fit(regions, key);
  }

  remove(): void {
    this.map.off('resize', this.onResize);
  }

  private untouched(): boolean {
    return this.held === null || !cameraMoved(this.held, cameraOf(this.map));
  }

  private onResize = (): void => {
    const regions = this.regions;
    if (!regions) return;
    const key = this.keyOf(regions);
    if (shouldFit('resize', { fittedKey: this.fittedKey, key, untouched: this.untouched() })) this.fit(regions, key);
  };

  /** The region set and, when there is one, the frame: a new frame is a new thing to fit. */
  private keyOf(regions: RegionCollection): string {
    const set = regionSetKey(regions);
    return this.frame ? `${set}|${JSON.stringify(this.frame)}` : set;
  }

  private fit(regions: RegionCollection, key: string): void {
    const bounds = this.frame ?? regionsBounds(regions);
    // The canvas has the size the camera computes with (a container without one yet fits on its first resize).
    const { clientWidth: width, clientHeight: height } = this.map.getCanvas();
    if (!bounds || width <= 0 || height <= 0) return;
    const camera = this.map.cameraForBounds(bounds, { padding: shrinkPadding(width, height, resolvePadding(this.padding())) });
    if (!camera) return;
    this.map.jumpTo(camera);
    this.fittedKey = key;
    this.held = cameraOf(this.map);
  }
}
