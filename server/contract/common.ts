/** Shared building blocks of the public contract: errors, coordinates, bounding boxes. */
import { z } from 'zod';

/** Version of the socket protocol; bumped on any incompatible change of an event payload. */
export const PROTOCOL_VERSION = 1;

/** API version prefix of every HTTP route. */
export const API_PREFIX = '/api/v1';

/** Machine-readable error codes; each maps to one HTTP status in `server/http/errors.ts`. */
export const ErrorCode = z.enum([
  'invalid_json',
  'invalid_body',
  'invalid_query',
  'invalid_path',
  'unsupported_media_type',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'conflict',
  'too_many_requests',
  'internal',
  'unavailable',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One problem with one field of the input; `path` names the field, e.g. `features.3.geometry.coordinates`. */
export const ErrorDetail = z.object({
  path: z.string(),
  message: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** Every 4xx/5xx answer has this body. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.array(ErrorDetail),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** WGS84 longitude in degrees. */
export const Longitude = z.number().finite().min(-180).max(180);
/** WGS84 latitude in degrees. */
export const Latitude = z.number().finite().min(-90).max(90);

/** A GeoJSON position: [lon, lat] or [lon, lat, altitude] (USGS sends depth as a third value). */
export const Position = z.union([
  z.tuple([Longitude, Latitude]),
  z.tuple([Longitude, Latitude, z.number().finite()]),
]);
export type Position = z.infer<typeof Position>;

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });
export type PointGeometry = z.infer<typeof PointGeometry>;

const LinearRing = z.array(Position).min(4, 'a linear ring needs at least 4 positions');
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(LinearRing).min(1) });
export type PolygonGeometry = z.infer<typeof PolygonGeometry>;
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(LinearRing).min(1)).min(1),
});
export type MultiPolygonGeometry = z.infer<typeof MultiPolygonGeometry>;

/** `[minLon, minLat, maxLon, maxLat]`; minLon > maxLon means the box crosses the antimeridian. */
export type Bbox = [number, number, number, number];

/** Parses the `bbox=minLon,minLat,maxLon,maxLat` query parameter. */
export const BboxParam = z
  .string()
  .transform((raw, ctx): Bbox => {
    const parts = raw.split(',').map((p) => Number(p.trim()));
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    const [minLon, minLat, maxLon, maxLat] = parts as Bbox;
    if ([minLon, maxLon].some((v) => v < -180 || v > 180) || [minLat, maxLat].some((v) => v < -90 || v > 90)) {
      ctx.addIssue({ code: 'custom', message: 'bbox longitudes must lie in [-180, 180] and latitudes in [-90, 90]' });
      return z.NEVER;
    }
    if (minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'bbox minLat must not exceed maxLat' });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat];
  });
