/**
 * Responding units as dots coloured by status, each with its kind's letter on it (F fire engine,
 * A ambulance, P police car, U utility crew, D department, • any other kind). The data array is the
 * unit store's, the same while no unit is added: `updateTriggers` tell deck.gl to recompute positions
 * alone when units move and colours and letters when a status or kind changes, never the whole set per message.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { UnitStatus } from '#contract/index.ts';
import type { UnitDot, UnitSnapshot } from '../../session/unit-store.ts';

export type Rgb = [number, number, number];

/** Green free, blue busy on the way, amber on scene, grey returning or out of service. */
export const UNIT_STATUS_COLOURS: Readonly<Record<UnitStatus, Rgb>> = {
  available: [46, 204, 113],
  assigned: [52, 152, 219],
  en_route: [41, 128, 255],
  on_scene: [243, 156, 18],
  returning: [149, 165, 166],
  out_of_service: [90, 98, 110],
};

export const UNIT_KIND_LETTERS: Readonly<Record<string, string>> = {
  fire_engine: 'F',
  ambulance: 'A',
  police_car: 'P',
  utility_crew: 'U',
  department: 'D',
};
export const kindLetter = (kind: string): string => UNIT_KIND_LETTERS[kind] ?? '•';

export const UNIT_RADIUS_PX = 9;
const HIDDEN: [number, number] = [0, 0];
const dotPosition = (d: UnitDot): [number, number] => (d.position ? [d.position.lon, d.position.lat] : HIDDEN);

/** The two layers of the units; units that have not reported yet are drawn transparent (no position). */
export function createUnitLayers(snapshot: UnitSnapshot): Layer[] {
  const { units, registerVersion, positionVersion } = snapshot;
  return [
    new ScatterplotLayer<UnitDot>({
      id: 'units-dots',
      data: units,
      radiusUnits: 'pixels',
      getRadius: UNIT_RADIUS_PX,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      getLineColor: [255, 255, 255, 230],
      getPosition: dotPosition,
      getFillColor: (d) => (d.position ? [...UNIT_STATUS_COLOURS[d.unit.status], 240] : [0, 0, 0, 0]),
      updateTriggers: { getPosition: positionVersion, getFillColor: [registerVersion, positionVersion] },
    }),
    new TextLayer<UnitDot>({
      id: 'units-letters',
      data: units,
      getPosition: dotPosition,
      getText: (d) => (d.position ? kindLetter(d.unit.kind) : ''),
      getSize: 11,
      getColor: [10, 18, 32, 255],
      fontWeight: 700,
      characterSet: ['F', 'A', 'P', 'U', 'D', '•'],
      updateTriggers: { getPosition: positionVersion, getText: [registerVersion, positionVersion] },
    }),
  ];
}
