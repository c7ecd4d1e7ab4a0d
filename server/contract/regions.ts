/** Regions (districts): the units the five-colour map colours and equity is summarised by. */
import { z } from 'zod';
import { MultiPolygonGeometry, PolygonGeometry } from './common.ts';

/** A region as the API answers it (GeoJSON Feature `properties`). */
export const RegionProperties = z.object({
  /** GB/T 2260 code or any unique code the city uses. */
  code: z.string(),
  name: z.string(),
  /** Residents; `null` when unknown (risk scores need it). */
  population: z.number().nonnegative().nullable(),
  /** Where the population figure comes from, e.g. "synthetic" for the demo. */
  populationSource: z.string().nullable(),
  /**
   * Other codes that name this region in alerts (CAP `<geocode>` values such as a weather
   * service's zone), as `value` or `valueName=value`; absent when none.
   */
  geocodes: z.array(z.string()).optional(),
});
export type RegionProperties = z.infer<typeof RegionProperties>;

export const RegionGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]);
export type RegionGeometry = z.infer<typeof RegionGeometry>;

export const RegionFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: RegionGeometry,
  properties: RegionProperties,
});
export type RegionFeature = z.infer<typeof RegionFeature>;

export interface RegionCollection {
  type: 'FeatureCollection';
  features: RegionFeature[];
}

/**
 * Input of `PUT /api/v1/regions`: a FeatureCollection of Polygon/MultiPolygon features. Other
 * properties are allowed (real boundary files carry many) and ignored; `code` may also come from
 * `properties.adcode` or the feature `id`, as boundary files from different sources name it.
 */
export const RegionInputFeature = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]).optional(),
  geometry: RegionGeometry,
  properties: z
    .looseObject({
      code: z.union([z.string().min(1), z.number().int()]).optional(),
      adcode: z.union([z.string().min(1), z.number().int()]).optional(),
      name: z.string().optional(),
      population: z.number().finite().nonnegative().nullable().optional(),
      populationSource: z.string().nullable().optional(),
      geocodes: z.array(z.union([z.string().min(1).max(200), z.number()])).max(1000).optional(),
    })
    .nullable(),
});
export type RegionInputFeature = z.infer<typeof RegionInputFeature>;

export const RegionInputCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(RegionInputFeature).min(1, 'at least one region is needed'),
});
export type RegionInputCollection = z.infer<typeof RegionInputCollection>;

/** Answer of `PUT /api/v1/regions`. */
export interface RegionsReplaced {
  count: number;
  /** Incidents whose region was recomputed against the new boundaries. */
  reassigned: number;
  seq: number;
}
