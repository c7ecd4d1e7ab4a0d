/**
 * Land-code parcels: issue codes for new parcels (region from the geometry when not given), step
 * them through their lifecycle, find what surrounds them, import many with progress.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ErrorDetail } from '../contract/common.ts';
import type { ParcelDetail, ParcelFeature, ParcelInput, ParcelStepInput, ParcelSurroundings } from '../contract/parcels.ts';
import { nextStage, DEPARTMENTS } from '../contract/parcel-lifecycle.ts';
import { measureParcel, parcelGeometryErrors } from '../domain/parcels/geometry.ts';
import { haversineM } from '../domain/spatial/haversine.ts';
import { localDate } from '../domain/time/zoned-day.ts';
import type { Database } from '../store/database.ts';
import { appendEvents, logEvent, reserveSeqs } from '../store/event-log.ts';
import type { Actor } from '../contract/auth.ts';
import {
  getParcel,
  issueParcels,
  parcelsNear,
  parcelSteps,
  parcelsWithoutCenter,
  setParcelMeasures,
  stepParcel,
  type NewParcel,
  type StepOutcome,
} from '../store/parcels.ts';
import type { Publish } from './publish.ts';
import type { RegionService } from './regions.ts';

/** Largest surroundings radius: a planner looks at a neighbourhood, not a district. */
export const MAX_SURROUNDINGS_RADIUS_M = 5_000;
const OPEN_STATUSES = ['reported', 'acknowledged', 'dispatched'];

export type Prepared = { ok: true; parcel: NewParcel } | { ok: false; errors: ErrorDetail[] };

export interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  done: number;
  accepted: number;
  rejected: number;
  /** Parcels stored, in input order (index in the import, code issued). */
  items: { index: number; code: string }[];
  errors: (ErrorDetail & { index: number })[];
  startedAt: string;
  finishedAt: string | null;
  seq: number | null;
}

export interface ParcelService {
  /** Checks and measures a parcel to be created; errors name the field and the place. */
  prepare(input: ParcelInput, prefix?: string): Prepared;
  create(parcel: NewParcel, actor: Actor): Promise<ParcelFeature>;
  detail(code: string): Promise<ParcelDetail | null>;
  step(code: string, input: ParcelStepInput, actor: Actor): Promise<StepOutcome>;
  surroundings(parcel: ParcelFeature, radiusM: number): Promise<ParcelSurroundings>;
  /** Starts a bulk import; progress is read from the returned job (and `job(id)`). */
  startImport(inputs: readonly unknown[], validate: (input: unknown, index: number) => Prepared, actor: Actor): ImportJob;
  job(id: string): ImportJob | undefined;
  /** Fills in centers and areas of parcels stored before they were kept. */
  backfill(): Promise<number>;
}

export function createParcelService(deps: {
  db: Database;
  regions: RegionService;
  clock: () => number;
  publish: Publish;
  timeZone: string;
  logger: Logger;
}): ParcelService {
  const { db, regions, clock, logger } = deps;
  const jobs = new Map<string, ImportJob>();
  const year = (): number => Number(localDate(clock(), deps.timeZone).slice(0, 4));

  function prepare(input: ParcelInput, prefix = ''): Prepared {
    const fields = 'type' in input ? input.properties : input;
    const geometry = input.geometry;
    const errors = parcelGeometryErrors(geometry).map((e) => ({ ...e, path: `${prefix}${e.path}` }));
    if (errors.length > 0) return { ok: false, errors };
    const { areaM2, center, bbox } = measureParcel(geometry);
    let adcode = fields.regionCode;
    if (adcode === undefined) {
      const found = regions.assign(center[0], center[1]);
      if (found === null) {
        return { ok: false, errors: [{ path: `${prefix}regionCode`, message: `the parcel (center [${center.join(', ')}]) lies outside every region: give regionCode` }] };
      }
      if (!/^\d{6}$/.test(found)) {
        return { ok: false, errors: [{ path: `${prefix}regionCode`, message: `the parcel lies in region "${found}", whose code is not a 6-digit GB/T 2260 code a land code can carry: give regionCode` }] };
      }
      adcode = found;
    }
    return {
      ok: true,
      parcel: {
        adcode,
        year: year(),
        landUse: fields.landUse,
        hazardous: fields.hazardous ?? false,
        name: fields.name ?? '',
        address: fields.address ?? null,
        geometry,
        center,
        bbox,
        areaM2,
        synthetic: false,
        planned: { department: fields.department ?? DEPARTMENTS.planning['zh-CN'], documents: fields.documents ?? [], note: 'land code issued' },
      },
    };
  }

  async function runImport(job: ImportJob, inputs: readonly unknown[], validate: (input: unknown, index: number) => Prepared, actor: Actor): Promise<void> {
    const CHUNK = 1000;
    for (let start = 0; start < inputs.length; start += CHUNK) {
      const ready: { index: number; parcel: NewParcel }[] = [];
      inputs.slice(start, start + CHUNK).forEach((input, k) => {
        const index = start + k;
        const prepared = validate(input, index);
        if (prepared.ok) ready.push({ index, parcel: prepared.parcel });
        else for (const e of prepared.errors) job.errors.push({ ...e, index });
      });
      const stored = await issueParcels(db, ready.map((r) => r.parcel), actor, clock(), false);
      stored.forEach((p, k) => job.items.push({ index: ready[k]!.index, code: p.properties.code }));
      job.accepted += stored.length;
      job.done = Math.min(inputs.length, start + CHUNK);
      job.rejected = new Set(job.errors.map((e) => e.index)).size;
      logger.info({ job: job.id, done: job.done, total: job.total }, `parcels: import ${Math.round((100 * job.done) / Math.max(1, job.total))}%`);
    }
    if (job.accepted > 0) {
      // One event for the whole import: clients reload their parcel views once.
      const seq = await db.transaction(async (tx) => {
        const s = await reserveSeqs(tx, 1);
        await appendEvents(tx, [logEvent('parcels:imported', s, { seq: s, count: job.accepted })], actor);
        return s;
      });
      job.seq = seq;
      deps.publish([logEvent('parcels:imported', seq, { seq, count: job.accepted })]);
    }
  }

  return {
    prepare,
    async create(parcel, actor) {
      const [stored] = await issueParcels(db, [parcel], actor, clock(), true);
      deps.publish([logEvent('parcel:created', stored!.properties.seq, { seq: stored!.properties.seq, parcel: stored! })]);
      return stored!;
    },
    async detail(code) {
      const parcel = await getParcel(db, code);
      if (!parcel) return null;
      return { ...parcel, steps: await parcelSteps(db, code), nextStep: nextStage(parcel.properties.stage) };
    },
    async step(code, input, actor) {
      const outcome = await stepParcel(db, code, input, actor, clock());
      if (outcome.kind === 'stepped') {
        deps.publish([logEvent('parcel:stepped', outcome.seq, { seq: outcome.seq, code, from: outcome.from, to: input.step, step: outcome.step })]);
      }
      return outcome;
    },
    surroundings: (parcel, radiusM) => surroundingsAt(db, parcel.properties.center, radiusM, parcel.properties.code),
    startImport(inputs, validate, actor) {
      const job: ImportJob = {
        id: randomUUID(),
        status: 'running',
        total: inputs.length,
        done: 0,
        accepted: 0,
        rejected: 0,
        items: [],
        errors: [],
        startedAt: new Date(clock()).toISOString(),
        finishedAt: null,
        seq: null,
      };
      jobs.set(job.id, job);
      void runImport(job, inputs, validate, actor)
        .then(() => {
          job.status = 'done';
        })
        .catch((err: unknown) => {
          job.status = 'failed';
          job.errors.push({ index: -1, path: '', message: `the import stopped: ${err instanceof Error ? err.message : String(err)}; parcels stored before are kept` });
          logger.error({ err, job: job.id }, 'parcels: import failed');
        })
        .finally(() => {
          job.finishedAt = new Date(clock()).toISOString();
        });
      return job;
    },
    job: (id) => jobs.get(id),
    async backfill() {
      const missing = await parcelsWithoutCenter(db);
      if (missing.length === 0) return 0;
      await setParcelMeasures(
        db,
        missing.map(({ code, geometry }) => {
          const m = measureParcel(geometry);
          return { code, lon: m.center[0], lat: m.center[1], bbox: m.bbox, area_m2: m.areaM2 };
        }),
      );
      return missing.length;
    },
  };
}

/**
 * What lies within `radiusM` of `center`: facilities, open incidents, parcels (all but `excludeCode`)
 * and residents of population cells. Shared by parcel surroundings and incident nearby answers.
 */
export async function surroundingsAt(db: Database, center: [number, number], radiusM: number, excludeCode: string | null): Promise<ParcelSurroundings> {
  const [lon, lat] = center;
  // A box around the circle narrows the rows; the great-circle distance decides.
  const dLat = (radiusM / 6_371_008.8) * (180 / Math.PI) * 1.001;
  const dLon = dLat / Math.max(1e-6, Math.cos(((Math.abs(lat) + dLat) * Math.PI) / 180));
  const box = [lon - dLon, lat - dLat, lon + dLon, lat + dLat] as const;
  const within = <T extends { lon: number; lat: number }>(rows: T[]) =>
    rows.map((r) => ({ ...r, distanceM: haversineM(lon, lat, r.lon, r.lat) })).filter((r) => r.distanceM <= radiusM).sort((a, b) => a.distanceM - b.distanceM);
  const boxWhere = 'lon BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4';
  const facilities = within(await db.query<{ id: string; kind: string; name: string; lon: number; lat: number }>(`SELECT id, kind, name, lon, lat FROM facilities WHERE ${boxWhere}`, [...box]));
  const incidents = within(
    await db.query<{ id: string; title: string; category: string; severity: string; status: string; lon: number; lat: number }>(
      `SELECT id, title, category, severity, status, lon, lat FROM incidents WHERE ${boxWhere} AND status = ANY($5::text[]) AND NOT drill`,
      [...box, OPEN_STATUSES],
    ),
  );
  const neighbours = within((await parcelsNear(db, [...box])).filter((p) => p.code !== excludeCode).map((p) => ({ ...p, lon: Number(p.lon), lat: Number(p.lat) })));
  const cells = within(await db.query<{ population: number; lon: number; lat: number; properties: { synthetic?: boolean } }>(`SELECT population, lon, lat, properties FROM population_cells WHERE ${boxWhere}`, [...box]));
  return {
    code: excludeCode ?? '',
    center,
    radius: radiusM,
    facilities: facilities.map(({ id, kind, name, lon: x, lat: y, distanceM }) => ({ id, kind, name, lon: x, lat: y, distanceM })),
    incidents: incidents.map(({ id, title, category, severity, status, distanceM }) => ({ id, title, category, severity, status, distanceM })),
    parcels: neighbours.map((p) => ({ code: p.code, landUse: p.land_use, stage: p.stage, hazardous: p.hazardous, name: p.name, distanceM: p.distanceM })),
    population: cells.reduce((sum, c) => sum + Number(c.population), 0),
    populationSource: cells.length === 0 ? null : cells.some((c) => c.properties?.synthetic) ? 'synthetic' : 'population cells',
  };
}
