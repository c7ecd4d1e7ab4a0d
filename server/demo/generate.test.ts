import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { IncidentInput } from '../contract/incidents.ts';
import { RegionInputCollection } from '../contract/regions.ts';
import { PARCEL_STAGES, ParcelDocument, type ParcelStage } from '../contract/parcels.ts';
import { parseLandCode } from '../contract/land-code.ts';
import { DEPARTMENTS, STEP_GUIDE } from '../contract/parcel-lifecycle.ts';
import { type DemoData, generateDemo } from './generate.ts';

const HANGZHOU = RegionInputCollection.parse(
  JSON.parse(readFileSync(fileURLToPath(new URL('../../data/regions/hangzhou.geojson', import.meta.url)), 'utf8')),
);
const NOW = new Date('2026-11-23T08:00:00Z');
const DAY_MS = 86_400_000;

/** Turf's point-in-polygon, with a box pre-filter: an assignment independent of the generator's own. */
function makeTurfLocator(collection: RegionInputCollection) {
  const regions = collection.features.map((f) => {
    const parts = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const lons = parts.flatMap((p) => (p[0] ?? []).map((pos) => pos[0]));
    const lats = parts.flatMap((p) => (p[0] ?? []).map((pos) => pos[1]));
    return {
      code: String(f.properties?.code ?? f.id),
      box: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)] as const,
      geometry: f.geometry,
    };
  });
  return (lon: number, lat: number): string[] =>
    regions
      .filter((r) => lon >= r.box[0] && lon <= r.box[2] && lat >= r.box[1] && lat <= r.box[3])
      .filter((r) => booleanPointInPolygon([lon, lat], r.geometry))
      .map((r) => r.code);
}
const locate = makeTurfLocator(HANGZHOU);
const DEPARTMENT_NAMES: readonly string[] = Object.values(DEPARTMENTS).map((d) => d['zh-CN']);

/** Great-circle distance in metres (haversine), for the cluster check. */
function haversineM(a: readonly number[], b: readonly number[]): number {
  const rad = Math.PI / 180;
  const [lon1 = 0, lat1 = 0] = a;
  const [lon2 = 0, lat2 = 0] = b;
  const h =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

function pointOf(incident: IncidentInput): [number, number] {
  if (incident.geometry?.type !== 'Point') throw new Error(`incident ${String(incident.externalId)} is not a Point`);
  const [lon, lat] = incident.geometry.coordinates;
  return [lon, lat];
}

let demo: DemoData;
/** Districts containing each population cell, by turf, in cell order. */
let cellDistricts: string[][];
beforeAll(() => {
  demo = generateDemo(HANGZHOU, { seed: 42, now: NOW });
  cellDistricts = demo.population.features.map((c) => locate(...c.geometry.coordinates));
});

describe('generateDemo on Hangzhou', () => {
  it('is deterministic: same seed and now give identical output, another seed does not', () => {
    const again = generateDemo(HANGZHOU, { seed: 42, now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    // Fewer parcels for the other seed and below: each part has its own stream, and 20k parcels take seconds.
    const other = generateDemo(HANGZHOU, { seed: 43, now: NOW, parcelCount: 100 });
    expect(JSON.stringify(other.population)).not.toBe(JSON.stringify(demo.population));
    expect(JSON.stringify(other.incidents)).not.toBe(JSON.stringify(demo.incidents));
  });

  it('keeps the population of a seed when only the number of incidents changes', () => {
    const fewer = generateDemo(HANGZHOU, { seed: 42, now: NOW, incidentCount: 200, parcelCount: 100 });
    expect(fewer.incidents).toHaveLength(200);
    expect(JSON.stringify(fewer.population)).toBe(JSON.stringify(demo.population));
    expect(JSON.stringify(fewer.facilities)).toBe(JSON.stringify(demo.facilities));
  });

  it('makes a ~1 km grid of 10–12 million synthetic residents, every cell inside exactly one district', () => {
    const cells = demo.population.features;
    const total = cells.reduce((s, c) => s + c.properties.population, 0);
    expect(total).toBeGreaterThanOrEqual(10_000_000);
    expect(total).toBeLessThanOrEqual(12_000_000);
    // Hangzhou covers ~16,900 km²: about that many 1 km² cells.
    expect(cells.length).toBeGreaterThan(14_000);
    expect(cells.length).toBeLessThan(19_000);
    expect(new Set(cells.map((c) => c.properties.id)).size).toBe(cells.length);
    const bad = cells.filter(
      (c) => c.properties.synthetic !== true || !Number.isInteger(c.properties.population) || c.properties.population <= 0,
    );
    expect(bad).toEqual([]);
    const outside = cells.filter((_, i) => cellDistricts[i]?.length !== 1).map((c) => c.properties.id);
    expect(outside).toEqual([]);
  });

  it('gives each region the sum of the cells inside it, labelled synthetic', () => {
    const expected = new Map<string, number>();
    demo.population.features.forEach((c, i) => {
      const code = cellDistricts[i]?.[0];
      if (code !== undefined) expected.set(code, (expected.get(code) ?? 0) + c.properties.population);
    });
    expect(demo.regions.features).toHaveLength(13);
    for (const r of demo.regions.features) {
      const code = String(r.properties?.code);
      expect(r.properties?.populationSource).toBe('synthetic');
      expect(r.properties?.population).toBe(expected.get(code) ?? 0);
    }
    expect(RegionInputCollection.safeParse(demo.regions).success).toBe(true);
  });

  it('makes dense cores denser than the rural west', () => {
    const density = (code: string) => {
      const r = demo.regions.features.find((f) => f.properties?.code === code);
      const cells = cellDistricts.filter((codes) => codes[0] === code).length;
      return (r?.properties?.population ?? 0) / cells; // residents per ~1 km² cell
    };
    // 下城区 (central) vs 淳安县 (Chun'an, lakes and hills).
    expect(density('330103')).toBeGreaterThan(20 * density('330127'));
  });

  it('places synthetic facilities of every kind inside districts, more per resident in the core', () => {
    const features = demo.facilities.features;
    expect(new Set(features.map((f) => f.properties.kind))).toEqual(
      new Set(['hospital', 'clinic', 'school', 'elderly_care', 'fire_station']),
    );
    expect(new Set(features.map((f) => f.properties.id)).size).toBe(features.length);
    for (const f of features) {
      expect(f.properties.synthetic).toBe(true);
      expect(f.properties.name.startsWith('合成')).toBe(true);
      expect(f.properties.capacity).toBeGreaterThan(0);
      expect(locate(...f.geometry.coordinates).length).toBeGreaterThan(0);
    }
    // Hospitals per resident: old city (上城, 下城, 拱墅) against the rural south-west (桐庐, 淳安, 建德).
    const perResident = (codes: string[]) => {
      const hospitals = features.filter(
        (f) => f.properties.kind === 'hospital' && codes.includes(locate(...f.geometry.coordinates)[0] ?? ''),
      ).length;
      const residents = demo.regions.features
        .filter((r) => codes.includes(String(r.properties?.code)))
        .reduce((sum, r) => sum + (r.properties?.population ?? 0), 0);
      return hospitals / residents;
    };
    expect(perResident(['330102', '330103', '330105'])).toBeGreaterThan(2 * perResident(['330122', '330127', '330182']));
  });

  // 20k parcels: each check collects what is wrong and asserts once (an `expect` per field per
  // parcel would take half a minute), naming the parcel so a failure reads on its own.
  it('makes 20,000 parcels with valid land codes, numbered per region and year, inside their district, none overlapping', () => {
    const parcels = demo.parcels.features;
    expect(parcels).toHaveLength(20_000);
    const problems: string[] = [];
    const seqs = new Map<string, number[]>();
    for (const p of parcels) {
      const { code, regionCode, landUse, name, synthetic } = p.properties;
      const parsed = parseLandCode(code);
      if (!parsed.ok) {
        problems.push(`${code}: ${parsed.message}`);
        continue;
      }
      if (parsed.adcode !== regionCode) problems.push(`${code}: in region ${regionCode}`);
      if (parsed.year > 2026) problems.push(`${code}: coded after now`);
      const key = `${parsed.adcode}/${parsed.year}`;
      seqs.set(key, [...(seqs.get(key) ?? []), parsed.seq]);
      if (!/^(0[1-9]|1[0-2])$/.test(landUse)) problems.push(`${code}: land use ${landUse}`);
      if (synthetic !== true || !name.startsWith('[合成] ')) problems.push(`${code}: not labelled synthetic (${name})`);
      const ring = p.geometry.coordinates[0] ?? [];
      if (ring.length !== 5 || JSON.stringify(ring[0]) !== JSON.stringify(ring[4])) problems.push(`${code}: ring ${JSON.stringify(ring)}`);
    }
    for (const [key, list] of seqs) {
      if (list.some((seq, i) => seq !== i + 1)) problems.push(`${key}: sequences ${list.slice(0, 10).join(', ')}… are not 1, 2, 3… in order`);
    }
    // Turf's point-in-polygon over all corners of 20k parcels takes long: every 25th parcel will do.
    for (const p of parcels.filter((_, i) => i % 25 === 0)) {
      for (const [lon, lat] of p.geometry.coordinates[0] ?? []) {
        if (!locate(lon, lat).includes(p.properties.regionCode)) problems.push(`${p.properties.code}: corner ${lon}, ${lat} outside ${p.properties.regionCode}`);
      }
    }
    // Parcels may share an edge (lots of one block) but never overlap: sweep the boxes by west edge.
    const boxes = parcels
      .map((p) => {
        const ring = p.geometry.coordinates[0] ?? [];
        const lons = ring.map((c) => c[0]);
        const lats = ring.map((c) => c[1]);
        return { code: p.properties.code, w: Math.min(...lons), s: Math.min(...lats), e: Math.max(...lons), n: Math.max(...lats) };
      })
      .sort((a, b) => a.w - b.w);
    boxes.forEach((a, i) => {
      for (let j = i + 1; j < boxes.length && boxes[j]!.w < a.e; j++) {
        const b = boxes[j]!;
        if (b.s < a.n && a.s < b.n) problems.push(`${a.code} overlaps ${b.code}`);
      }
    });
    expect(problems.slice(0, 20)).toEqual([]);
    const uses = parcels.map((p) => p.properties.landUse);
    const main = uses.filter((u) => ['05', '06', '07', '08'].includes(u)).length;
    expect(main / uses.length).toBeGreaterThan(0.7);
    expect(new Set(uses).size).toBe(12);
    const hazardous = parcels.filter((p) => p.properties.hazardous);
    expect(hazardous.length).toBeGreaterThan(0);
    expect(hazardous.every((p) => p.properties.landUse === '06')).toBe(true);
  });

  it('gives every parcel its lifecycle from planned to its stage: departments, numbered documents, dates increasing', () => {
    const parcels = demo.parcels.features;
    const guideTitles = (stage: ParcelStage) => STEP_GUIDE[stage].documents.map((g) => g['zh-CN']);
    const problems: string[] = [];
    const stages = new Map<string, number>();
    const numbers = new Set<string>();
    let documents = 0;
    for (const p of parcels) {
      const { code, steps, stage } = p.properties;
      // The steps are the lifecycle's first stages, in order, ending at the parcel's stage.
      const expected = PARCEL_STAGES.slice(0, PARCEL_STAGES.indexOf(stage) + 1).join(' → ');
      if (steps.map((s) => s.step).join(' → ') !== expected) problems.push(`${code}: steps ${steps.map((s) => s.step).join(' → ')}, stage ${stage}`);
      stages.set(stage, (stages.get(stage) ?? 0) + 1);
      const times = steps.map((s) => Date.parse(s.at));
      if (times.some((t, i) => i > 0 && !(t > times[i - 1]!))) problems.push(`${code}: dates do not increase: ${steps.map((s) => s.at).join(', ')}`);
      if (!((times.at(-1) ?? 0) < NOW.getTime())) problems.push(`${code}: a step after now`);
      if (!code.includes(`-${new Date(times[0] ?? 0).getUTCFullYear()}-`)) problems.push(`${code}: planned on ${steps[0]?.at}, not in the code's year`);
      for (const s of steps) {
        if (!DEPARTMENT_NAMES.includes(s.department)) problems.push(`${code} ${s.step}: department ${s.department}`);
        if (s.documents.length === 0) problems.push(`${code} ${s.step}: no document`);
        for (const d of s.documents) {
          documents++;
          numbers.add(d.number);
          if (!ParcelDocument.safeParse(d).success || d.issuedAt !== s.at.slice(0, 10) || !guideTitles(s.step).includes(d.title)) {
            problems.push(`${code} ${s.step}: document ${JSON.stringify(d)}`);
          }
        }
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
    // Numbers are unique (each office counts its own documents per year), in the offices' style.
    expect(numbers.size).toBe(documents);
    expect(numbers.has('杭规证〔2024〕1号')).toBe(true);
    // Every stage is reached by some parcels, and none holds most of them.
    for (const stage of PARCEL_STAGES) {
      expect(stages.get(stage) ?? 0, stage).toBeGreaterThan(0.02 * parcels.length);
      expect(stages.get(stage) ?? 0, stage).toBeLessThan(0.5 * parcels.length);
    }
  });

  it('makes 1500 contract-valid synthetic incidents over the 7 days before now, inside districts', () => {
    const incidents = demo.incidents;
    expect(incidents).toHaveLength(1500);
    const ids = new Set<string>();
    for (const [i, incident] of incidents.entries()) {
      const check = IncidentInput.safeParse(incident);
      expect(check.success, JSON.stringify(check.error?.issues)).toBe(true);
      expect(incident.source).toBe('synthetic-demo');
      expect(incident.externalId).toBe(`demo-${i + 1}`);
      ids.add(String(incident.externalId));
      expect(incident.title?.startsWith('[合成] ')).toBe(true);
      const t = Date.parse(String(incident.occurredAt));
      expect(t).toBeGreaterThanOrEqual(NOW.getTime() - 7 * DAY_MS);
      expect(t).toBeLessThan(NOW.getTime());
      expect(locate(...pointOf(incident)).length).toBeGreaterThan(0);
    }
    expect(ids.size).toBe(incidents.length);
  });

  it('has a realistic mix: hotline appeals most common, extreme incidents few', () => {
    const count = (pred: (i: IncidentInput) => boolean) => demo.incidents.filter(pred).length;
    const hotline = count((i) => i.category === 'hotline');
    expect(hotline / demo.incidents.length).toBeGreaterThan(0.4);
    for (const other of ['fire', 'flood', 'traffic', 'hazmat', 'public_health', 'public_security', 'infrastructure']) {
      expect(count((i) => i.category === other)).toBeLessThan(hotline);
    }
    const extreme = count((i) => i.severity === 'extreme');
    expect(extreme).toBeGreaterThan(0);
    expect(extreme).toBeLessThan(0.02 * demo.incidents.length);
  });

  it('holds a cluster (≥ 3 incidents within 500 m and 24 h) in the last 24 hours', () => {
    const recent = demo.incidents.filter((i) => Date.parse(String(i.occurredAt)) >= NOW.getTime() - DAY_MS);
    const clustered = recent.some((a) => {
      const near = recent.filter(
        (b) =>
          haversineM(pointOf(a), pointOf(b)) <= 500 &&
          Math.abs(Date.parse(String(a.occurredAt)) - Date.parse(String(b.occurredAt))) <= DAY_MS,
      );
      // `near` includes `a` itself; in a cluster every pair must be within 500 m, so check that too.
      return near.length >= 3 && near.every((b) => near.every((c) => haversineM(pointOf(b), pointOf(c)) <= 500));
    });
    expect(clustered).toBe(true);
  });
});

describe('generateDemo on other regions', () => {
  // A 0.1° × 0.1° square (about 9.6 km × 11.1 km at 30° N) with code 330199.
  const square: RegionInputCollection = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        id: 'sq',
        properties: { adcode: '330199', name: '方块区' },
        geometry: {
          type: 'Polygon',
          coordinates: [[[100, 30], [100.1, 30], [100.1, 30.1], [100, 30.1], [100, 30]]],
        },
      },
    ],
  };

  it('scales the grid to the requested total and reads the code from adcode', () => {
    const data = generateDemo(square, { seed: 1, now: NOW, targetPopulation: 100_000, incidentCount: 50, parcelCount: 10 });
    const region = data.regions.features[0];
    expect(region?.properties?.code).toBe('330199');
    // Each cell is rounded to a whole person, so the total may differ from the target by up to half a person per cell.
    const cells = data.population.features.length;
    expect(Math.abs((region?.properties?.population ?? 0) - 100_000)).toBeLessThanOrEqual(cells / 2);
    for (const p of data.parcels.features) expect(p.properties.code.startsWith('330199-')).toBe(true);
    expect(data.incidents).toHaveLength(50);
  });
});
