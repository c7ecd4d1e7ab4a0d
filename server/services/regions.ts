/**
 * Regions in use: the stored boundaries plus the spatial index every incident is assigned with;
 * replacing them publishes `regions:replaced` once stored.
 */
import type { Actor } from '../contract/auth.ts';
import type { ErrorDetail } from '../contract/common.ts';
import type { LogEvent } from '../contract/events.ts';
import type { RegionFeature, RegionInputCollection } from '../contract/regions.ts';
import { assignRegion, createRegionIndex, type RegionIndex } from '../domain/spatial/region-index.ts';
import type { Database } from '../store/database.ts';
import { logEvent } from '../store/event-log.ts';
import { listRegions, replaceRegions } from '../store/regions.ts';
import type { Publish } from './publish.ts';

export interface RegionService {
  /** Region code containing the point, or `null` outside every region. */
  assign(lon: number, lat: number): string | null;
  list(): RegionFeature[];
  /** Replaces every region and reassigns incidents; throws {@link RegionImportError} when the input is not valid. */
  replace(input: RegionInputCollection, actor?: Actor): Promise<{ count: number; reassigned: number; seq: number }>;
  /** Reads the regions from the store again. */
  reload(): Promise<void>;
  /**
   * Committed events from the log: when another server node replaced the regions, reads them
   * again (a promise to wait for); otherwise nothing to do (undefined, synchronously).
   */
  follow(events: readonly LogEvent[]): Promise<void> | undefined;
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
        ...(p.geocodes?.length ? { geocodes: p.geocodes.map(String) } : {}),
      },
    });
  });
  return errors.length > 0 ? errors : regions;
}

/**
 * `loadedAfterSeq`: a log seq read before the regions are loaded (any replacement after it is read
 * again). `publish`: where a replacement's event goes once stored.
 */
export async function createRegionService(db: Database, options: { loadedAfterSeq: number; publish: Publish }): Promise<RegionService> {
  const { loadedAfterSeq, publish } = options;
  /** Seq of the newest replacement these regions include (or might include). */
  let knownSeq = loadedAfterSeq;
  let regions = await listRegions(db);
  let index: RegionIndex = createRegionIndex(regions.map((r) => ({ code: r.properties.code, geometry: r.geometry })));
  async function reload(): Promise<void> {
    const stored = await listRegions(db);
    regions = stored;
    index = createRegionIndex(stored.map((r) => ({ code: r.properties.code, geometry: r.geometry })));
  }
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
      knownSeq = Math.max(knownSeq, outcome.seq);
      publish([logEvent('regions:replaced', outcome.seq, { seq: outcome.seq, count: outcome.count })]);
      return outcome;
    },
    reload,
    follow(events) {
      let newest = 0;
      for (const e of events) if (e.type === 'regions:replaced' && e.seq > knownSeq) newest = e.seq;
      if (newest === 0) return undefined;
      knownSeq = newest;
      return reload();
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
