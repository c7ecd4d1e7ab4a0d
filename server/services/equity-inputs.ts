/**
 * Uploads of population and facilities, parsed into rows: ids decided (sent, or the index, or
 * generated), polygons reduced to their centroid, duplicates named by the field that repeats.
 */
import { randomUUID } from 'node:crypto';
import type { ErrorDetail } from '../contract/common.ts';
import { FacilitiesInput, FacilityFeatureInput, PopulationInput, type FacilityFeature } from '../contract/equity.ts';
import { representativePoint } from '../contract/representative-point.ts';
import { describeIssues } from '../ingest/zod-errors.ts';
import type { CellRow, FacilityRow } from '../store/equity.ts';

/** At most this many field errors are listed in one answer. */
const MAX_DETAILS = 100;

export type Parsed<T> = { ok: true; rows: T[] } | { ok: false; message: string; details: ErrorDetail[] };

const invalid = <T>(what: string, details: ErrorDetail[]): Parsed<T> => ({
  ok: false,
  message: `the ${what} are not valid: ${details
    .slice(0, 3)
    .map((d) => `${d.path}: ${d.message}`)
    .join('; ')}`,
  details: details.slice(0, MAX_DETAILS),
});

/** Refuses a second use of an id, naming both features. */
function checkUnique(ids: readonly string[], field: (index: number) => string): ErrorDetail[] {
  const first = new Map<string, number>();
  const errors: ErrorDetail[] = [];
  ids.forEach((id, i) => {
    const seen = first.get(id);
    if (seen === undefined) first.set(id, i);
    else errors.push({ path: field(i), message: `id "${id}" is used twice (features ${seen} and ${i})` });
  });
  return errors;
}

const idOf = (f: { id?: string | number | undefined; properties: { id?: string | number | undefined } }): string | undefined => {
  const raw = f.properties.id ?? f.id;
  return raw === undefined ? undefined : String(raw);
};

/** `PUT /api/v1/population`: every feature becomes a cell named by its id, or by its index when it has none. */
export function parsePopulation(body: unknown): Parsed<CellRow> {
  const parsed = PopulationInput.safeParse(body);
  if (!parsed.success) return invalid('population features', describeIssues(parsed.error));
  const features = parsed.data.features;
  const rows: CellRow[] = features.map((f, i) => {
    const [lon, lat] = representativePoint(f.geometry);
    return { id: idOf(f) ?? String(i), lon, lat, population: f.properties.population, synthetic: f.properties.synthetic === true, properties: f.properties };
  });
  const duplicates = checkUnique(
    rows.map((r) => r.id),
    (i) => `features.${i}.properties.id`,
  );
  return duplicates.length > 0 ? invalid('population features', duplicates) : { ok: true, rows };
}

function facilityRow(f: FacilityFeatureInput): FacilityRow {
  const p = f.properties;
  // Generated ids carry the kind, so a list of them still reads as what they are.
  const id = idOf(f) ?? `${p.kind}-${randomUUID()}`;
  const [lon, lat] = [f.geometry.coordinates[0], f.geometry.coordinates[1]];
  return { id, kind: p.kind, name: p.name?.trim() || id, capacity: p.capacity, lon, lat, synthetic: p.synthetic === true, properties: { ...p, id } };
}

function facilityRows(features: readonly FacilityFeatureInput[]): Parsed<FacilityRow> {
  const rows = features.map(facilityRow);
  const duplicates = checkUnique(
    rows.map((r) => r.id),
    (i) => `features.${i}.properties.id`,
  );
  return duplicates.length > 0 ? invalid('facilities', duplicates) : { ok: true, rows };
}

/** `PUT /api/v1/facilities`: a FeatureCollection of Points. */
export function parseFacilityCollection(body: unknown): Parsed<FacilityRow> {
  const parsed = FacilitiesInput.safeParse(body);
  if (!parsed.success) return invalid('facilities', describeIssues(parsed.error));
  return facilityRows(parsed.data.features);
}

/** `POST /api/v1/facilities`: one Feature or a FeatureCollection. */
export function parseFacilityAddition(body: unknown): Parsed<FacilityRow> {
  // Parsed against the shape it claims, so errors name its own fields rather than another shape's.
  if (typeof body === 'object' && body !== null && (body as { type?: unknown }).type === 'Feature') {
    const one = FacilityFeatureInput.safeParse(body);
    return one.success ? facilityRows([one.data]) : invalid('facilities', describeIssues(one.error));
  }
  return parseFacilityCollection(body);
}

/** A stored facility as served. */
export function facilityFeature(row: FacilityRow, regionCode: string | null): FacilityFeature {
  return {
    type: 'Feature',
    id: row.id,
    geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
    properties: { id: row.id, kind: row.kind, name: row.name, capacity: row.capacity, regionCode, synthetic: row.synthetic },
  };
}
