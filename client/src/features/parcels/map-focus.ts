/**
 * Shows the open parcel on a page's map: flies there and outlines it. The drawer is handed the map
 * by its page (map-context.ts).
 * The outline is an SVG laid over the map inside its container: deck.gl's canvas covers every
 * maplibre layer (the five-colour fill would hide a maplibre line), and the panels stay above it.
 */
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { ParcelFeature } from '#contract/index.ts';
import { shrinkPadding, type ScreenPadding } from '../../map/fit-regions.ts';
import { geometryBounds } from './parcel-view-model.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Outer and inner rings of a Polygon or MultiPolygon. */
function ringsOf(geometry: ParcelFeature['geometry']): number[][][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** An SVG path of `rings`, each point placed by `project` (screen pixels). */
export function outlinePath(rings: readonly (readonly (readonly number[])[])[], project: (lonLat: [number, number]) => { x: number; y: number }): string {
  let d = '';
  for (const ring of rings) {
    ring.forEach(([lon = 0, lat = 0], index) => {
      const { x, y } = project([lon, lat]);
      d += `${index === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`;
    });
    if (ring.length > 0) d += 'Z';
  }
  return d;
}

/** The outline drawn over one map, redrawn whenever the map moves. */
class ParcelOutline {
  private readonly svg: SVGSVGElement;
  private readonly paths: SVGPathElement[];
  private rings: number[][][] = [];

  constructor(private readonly map: MaplibreMap) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'planner-outline');
    this.svg.setAttribute('data-testid', 'parcel-outline');
    this.svg.setAttribute('aria-hidden', 'true');
    // A dark halo under the bright line: readable over every one of the five colours.
    this.paths = ['planner-outline-halo', 'planner-outline-line'].map((className) => {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('class', className);
      path.setAttribute('fill-rule', 'evenodd');
      this.svg.appendChild(path);
      return path;
    });
    map.getContainer().appendChild(this.svg);
    map.on('move', this.draw);
    map.on('resize', this.draw);
  }

  show(parcel: ParcelFeature): void {
    this.rings = ringsOf(parcel.geometry);
    this.svg.setAttribute('data-code', parcel.properties.code);
    this.draw();
  }

  private draw = (): void => {
    const d = outlinePath(this.rings, (lonLat) => this.map.project(lonLat));
    for (const path of this.paths) path.setAttribute('d', d);
  };

  remove(): void {
    this.map.off('move', this.draw);
    this.map.off('resize', this.draw);
    this.svg.remove();
  }
}

const outlines = new WeakMap<MaplibreMap, ParcelOutline>();

/** Outlines `parcel` and, unless `fly` is false (a live refresh), flies to it. */
export function showParcelOnMap(map: MaplibreMap, parcel: ParcelFeature, padding: ScreenPadding, fly = true): void {
  let outline = outlines.get(map);
  if (!outline) {
    outline = new ParcelOutline(map);
    outlines.set(map, outline);
  }
  outline.show(parcel);
  if (!fly) return;
  const bounds = geometryBounds(parcel.geometry);
  if (!bounds) return;
  const canvas = map.getCanvas();
  const fitted = shrinkPadding(canvas.clientWidth, canvas.clientHeight, padding);
  // Not closer than 16.5: a parcel is read against its neighbours and streets.
  map.fitBounds(bounds, { padding: fitted, maxZoom: 16.5, duration: 1200 });
}

/** Removes the outline (the drawer closed). */
export function clearParcelOnMap(map: MaplibreMap): void {
  outlines.get(map)?.remove();
  outlines.delete(map);
}
