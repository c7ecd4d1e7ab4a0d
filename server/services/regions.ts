/** Regions in use: the stored boundaries plus the spatial index every incident is assigned with. */
import type { ErrorDetail } from '../contract/common.ts';
import type { RegionFeature, RegionInputCollection } from '../contract/regions.ts';
import { assignRegion, createRegionIndex, type RegionIndex } from '../domain/spatial/region-index.ts';
import type { Database } from '../store/database.ts';
import { listRegions, replaceRegions } from '../store/regions.ts';

export interface RegionService {
  /** Region code containing the point, or `null` outside every region. */
  assign(lon: number, lat: number): string | null;
  list(): RegionFeature[];
  replace(input: RegionInputCollection, actor?: { name: string; role: string }): Promise<{ count: number; reassigned: number; seq: number }>;
  /** Reads the regions from the store again (another server node replaced them). */
  reload(): Promise<void>;
}

/** Normalises an import: codes from `code`, `adcode` or the feature id; names default to codes. */
export function normaliseRegions(input: RegionInputCollection): RegionFeature[] | ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const seen = new Map<string, number>();
  const regions: RegionFeature[] = [];
  input.features.forEach((f, i) => {
    const p = f.properties ?? {};
    const raw = p.code ?? p.adcode ?? f.id;
    if (raw === undefined || String(raw).trim() === '') {
      errors.push({ path: `features.${i}.properties.code`, message: 'every region needs a code (properties.code)' });
      return;
    }
    const code = String(raw).trim();
    const first = seen.get(code);
    if (first !== undefined) {
      errors.push({ path: `features.${i}.properties.code`, message: `code "${code}" is used twice (features ${first} and ${i})` });
      return;
    }
    seen.set(code, i);
    regions.push({
      type: 'Feature',
      id: code,
      geometry: f.geometry,
      properties: {
        code,
        name: typeof p.name === 'string' && p.name.trim() ? p.name.trim() : code,
        population: p.population ?? null,
        populationSource: p.populationSource ?? null,
      },
    });
  });
  return errors.length > 0 ? errors : regions;
}

export async function createRegionService(db: Database): Promise<RegionService> {
  let regions = await listRegions(db);
  let index: RegionIndex = createRegionIndex(regions.map((r) => ({ code: r.properties.code, geometry: r.geometry })));
  return {
    assign: (lon, lat) => assignRegion(index, lon, lat),
    list: () => regions,
    async replace(input, actor) {
      const normalised = normaliseRegions(input);
      if (!isRegions(normalised)) throw new RegionImportError(normalised);
      const next = createRegionIndex(normalised.map((r) => ({ code: r.properties.code, geometry: r.geometry })));
      const outcome = await replaceRegions(db, normalised, (lon, lat) => assignRegion(next, lon, lat), actor);
      regions = normalised;
      index = next;
      return outcome;
    },
    async reload() {
      const stored = await listRegions(db);
      regions = stored;
      index = createRegionIndex(stored.map((r) => ({ code: r.properties.code, geometry: r.geometry })));
    },
  };
}

const isRegions = (v: RegionFeature[] | ErrorDetail[]): v is RegionFeature[] =>
  v.length === 0 || (v[0] as RegionFeature).type === 'Feature';

export class RegionImportError extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super('the regions could not be imported');
  }
}
