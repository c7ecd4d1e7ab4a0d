/** What a socket asked to receive, validated, and whether a logged event matches it. */
import { z } from 'zod';
import { BboxParam, type Bbox } from '../contract/common.ts';
import type { Layer, LogEvent, Subscription } from '../contract/events.ts';
import { representativePoint } from '../contract/representative-point.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';

const LAYERS = ['incidents', 'regions', 'risk', 'parcels', 'equity', 'units'] as const satisfies readonly Layer[];

const SubscriptionInput = z.strictObject({
  layers: z.array(z.enum(LAYERS)).max(LAYERS.length).optional(),
  bbox: z
    .union([z.tuple([z.number(), z.number(), z.number(), z.number()]), z.string()])
    .transform((v, ctx) => {
      const parsed = BboxParam.safeParse(Array.isArray(v) ? v.join(',') : v);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid bbox' });
      return z.NEVER;
    })
    .optional(),
  regions: z.array(z.string().min(1).max(50)).max(500).optional(),
});

/** A validated subscription; `null` fields mean "everything". */
export interface Filter {
  layers: ReadonlySet<Layer> | null;
  bbox: Bbox | null;
  regions: ReadonlySet<string> | null;
}

export const EVERYTHING: Filter = { layers: null, bbox: null, regions: null };

export function parseSubscription(input: unknown): { ok: true; filter: Filter; subscription: Subscription } | { ok: false; message: string } {
  if (input === undefined || input === null) return { ok: true, filter: EVERYTHING, subscription: {} };
  const parsed = SubscriptionInput.safeParse(input);
  if (!parsed.success) return { ok: false, message: `invalid subscription: ${oneLine(describeIssues(parsed.error))}` };
  const s = parsed.data;
  return {
    ok: true,
    subscription: { ...(s.layers && { layers: s.layers }), ...(s.bbox && { bbox: s.bbox }), ...(s.regions && { regions: s.regions }) },
    filter: { layers: s.layers ? new Set(s.layers) : null, bbox: s.bbox ?? null, regions: s.regions ? new Set(s.regions) : null },
  };
}

/** Whether the socket takes the `units` layer: `unit:updated`, and the positions the stream coalesces. */
export const wantsUnits = (f: Filter): boolean => f.layers === null || f.layers.has('units');

export const isEverything = (f: Filter): boolean => f.layers === null && f.bbox === null && f.regions === null;

function inBbox([lon, lat]: [number, number], [minLon, minLat, maxLon, maxLat]: Bbox): boolean {
  if (lat < minLat || lat > maxLat) return false;
  return minLon <= maxLon ? lon >= minLon && lon <= maxLon : lon >= minLon || lon <= maxLon;
}

export function matches(filter: Filter, event: LogEvent): boolean {
  if (event.type === 'regions:replaced') return filter.layers === null || filter.layers.has('regions');
  if (event.type === 'risk:configured' || event.type === 'measures:configured') return filter.layers === null || filter.layers.has('risk');
  if (event.type === 'parcels:imported') return filter.layers === null || filter.layers.has('parcels');
  // A new clock config changes every incident's clocks: no region or viewport of its own.
  if (event.type === 'sla:configured') return filter.layers === null || filter.layers.has('incidents');
  // City-wide figures: only the layer filter applies (no region or viewport of its own).
  if (event.type === 'equity:updated') return filter.layers === null || filter.layers.has('equity');
  // The register is city-wide too: a unit's region changes as it drives.
  if (event.type === 'unit:updated') return wantsUnits(filter);
  if (event.type === 'parcel:created' || event.type === 'parcel:stepped') {
    if (filter.layers !== null && !filter.layers.has('parcels')) return false;
    const regionCode = event.type === 'parcel:created' ? event.payload.parcel.properties.regionCode : event.payload.code.slice(0, 6);
    return filter.regions === null || filter.regions.has(regionCode);
  }
  if (event.type === 'risk:changed') {
    if (filter.layers !== null && !filter.layers.has('risk')) return false;
    return filter.regions === null || filter.regions.has(event.payload.code);
  }
  if (filter.layers !== null && !filter.layers.has('incidents')) return false;
  if (event.type === 'incident:overdue') {
    const { regionCode, lon, lat } = event.payload;
    if (filter.regions !== null && (regionCode === null || !filter.regions.has(regionCode))) return false;
    return filter.bbox === null || inBbox([lon, lat], filter.bbox);
  }
  // An assignment is filtered by its incident's region and point, like the incident's own events.
  if (event.type === 'assignment:created' || event.type === 'assignment:updated') {
    const { regionCode, point } = event.payload;
    if (filter.regions !== null && (regionCode === null || !filter.regions.has(regionCode))) return false;
    return filter.bbox === null || inBbox(point, filter.bbox);
  }
  const incident = event.payload;
  if (filter.regions !== null && (incident.regionCode === null || !filter.regions.has(incident.regionCode))) return false;
  if (filter.bbox !== null && !inBbox(representativePoint(incident.geometry), filter.bbox)) return false;
  return true;
}
