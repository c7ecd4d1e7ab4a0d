/**
 * A parcel's outline as a small inline SVG for its public page: no tiles, no script, so it draws
 * on any phone at once. Plain equirectangular projection around the parcel's mean latitude
 * (x = lon·cos φ₀, y = −lat), scaled to fit, with a north arrow and a scale bar.
 */
import type { ParcelFeature } from '../../contract/parcels.ts';

/** Metres per degree of latitude on the mean-radius sphere (π · 6 371 008.8 m / 180). */
const M_PER_DEGREE = (Math.PI * 6_371_008.8) / 180;

export interface ThumbnailOptions {
  /** @default 320 */
  width?: number;
  /** @default 200 */
  height?: number;
  /** Accessible name of the drawing (already in the page's language). */
  label: string;
  /** Letter on the north arrow. @default 'N' */
  north?: string;
}

type Ring = readonly (readonly number[])[];

function polygonsOf(geometry: ParcelFeature['geometry']): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** The largest 1, 2 or 5 × 10ⁿ metres not longer than `maxM`. */
export function roundScaleLength(maxM: number): number {
  if (!(maxM > 0)) return 0;
  const power = 10 ** Math.floor(Math.log10(maxM));
  for (const step of [5, 2, 1]) if (step * power <= maxM) return step * power;
  return power;
}

const formatLength = (m: number): string => (m >= 1000 ? `${m / 1000} km` : `${m} m`);
const n = (v: number): string => String(Math.round(v * 10) / 10);

/**
 * The outline of `geometry` (holes cut out with the even-odd rule) fitted into a
 * `width` × `height` box, north up. Returns SVG markup; nothing in it comes from user text except
 * `label` and `north`, which are escaped by the caller-supplied `escape`.
 */
export function parcelThumbnailSvg(geometry: ParcelFeature['geometry'], options: ThumbnailOptions, escape: (s: string) => string): string {
  const width = options.width ?? 320;
  const height = options.height ?? 200;
  const pad = 24;
  const polygons = polygonsOf(geometry);
  let minLon = Infinity;
  let maxLon = -Infinity;
  let minLat = Infinity;
  let maxLat = -Infinity;
  for (const rings of polygons) {
    for (const [lon = 0, lat = 0] of rings[0] ?? []) {
      minLon = Math.min(minLon, lon);
      maxLon = Math.max(maxLon, lon);
      minLat = Math.min(minLat, lat);
      maxLat = Math.max(maxLat, lat);
    }
  }
  const cosLat = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLon - minLon) * cosLat, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY); // px per degree (of latitude)
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const project = (lon: number, lat: number): string => `${n(offsetX + (lon - minLon) * cosLat * scale)} ${n(offsetY + (maxLat - lat) * scale)}`;
  const d = polygons
    .flatMap((rings) => rings.map((ring) => `M${ring.map(([lon = 0, lat = 0]) => project(lon, lat)).join('L')}Z`))
    .join('');

  const metresPerPx = M_PER_DEGREE / scale;
  const scaleM = roundScaleLength(metresPerPx * width * 0.35);
  const barPx = scaleM / metresPerPx;
  const barY = height - 8;
  const label = escape(options.label);
  return (
    `<svg class="thumb" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${label}">` +
    `<title>${label}</title>` +
    `<rect width="${width}" height="${height}" fill="#eef3f6"/>` +
    `<path d="${d}" fill="#f2b134" fill-opacity="0.55" stroke="#b35c00" stroke-width="2" fill-rule="evenodd" stroke-linejoin="round"/>` +
    `<g transform="translate(${width - 18} 8)" fill="#222"><path d="M0 0L7 16L0 12L-7 16Z"/>` +
    `<text x="0" y="28" font-size="11" text-anchor="middle" font-family="sans-serif">${escape(options.north ?? 'N')}</text></g>` +
    (scaleM > 0
      ? `<g stroke="#222" stroke-width="2" fill="none"><path d="M8 ${barY - 4}V${barY}H${n(8 + barPx)}V${barY - 4}"/></g>` +
        `<text x="${n(8 + barPx + 4)}" y="${barY}" font-size="11" font-family="sans-serif" fill="#222" data-scale-m="${scaleM}">${formatLength(scaleM)}</text>`
      : '') +
    `</svg>`
  );
}
