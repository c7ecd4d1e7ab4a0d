/**
 * Colours of the GB/T 21010 first-level land uses on the parcel map, after the conventions Chinese
 * planners read at a glance (residential yellow, commercial red, industry brown, public services
 * magenta, water blue, green for what grows), tuned to stay apart on the dark wall basemap.
 */
import { LAND_USES, type LandUse } from '#contract/index.ts';

/** Opaque `#RRGGBB`, so a screenshot test finds them pixel for pixel. */
export const LAND_USE_COLOURS: Readonly<Record<LandUse, string>> = {
  '01': '#e8e26b', // cropland: straw
  '02': '#b5d66b', // orchards: yellow-green
  '03': '#2f8f46', // forest: deep green
  '04': '#7fcf8e', // grassland: mint
  '05': '#e2463f', // commercial & services: red
  '06': '#a47148', // industrial & storage: brown
  '07': '#f2b134', // residential: amber
  '08': '#d966c9', // public administration & services: magenta
  '09': '#7a68c2', // special use: violet
  '10': '#9aa3ad', // transport: grey
  '11': '#3a8fd9', // water: blue
  '12': '#c9b99b', // other: beige
};

/** Outline of a parcel holding hazardous goods: warning yellow, only ever drawn on brown (06). */
export const HAZARDOUS_OUTLINE = '#ffe600';

/** A parcel whose land use is none of the twelve (bad data): drawn, but visibly odd. */
export const UNKNOWN_LAND_USE = '#ffffff';

/** Land uses in legend order: the built city first (what most parcels are), then the rest. */
export const LAND_USES_LEGEND_ORDER: readonly LandUse[] = ['07', '05', '06', '08', '10', '09', '01', '02', '03', '04', '11', '12'];

// Every class listed once: a new class in the contract must get a colour and a legend row.
if (LAND_USES_LEGEND_ORDER.length !== LAND_USES.length || !LAND_USES.every((u) => LAND_USES_LEGEND_ORDER.includes(u))) {
  throw new Error('LAND_USES_LEGEND_ORDER must list every land use once');
}
