/**
 * What a feature hands the map: deck.gl layers, alone or in a group that also says what the map
 * writes on its element once deck.gl has drawn them (`data-*` attributes that tests and a wall's
 * monitoring read: "what is on screen", not "what is on its way").
 */
import type { Layer } from '@deck.gl/core';

/** `data-*` attribute → value; `null` leaves the attribute off. */
export type MapMarks = Readonly<Record<`data-${string}`, string | null>>;

/** One feature's layers, drawn in this order, and what the map records once they are drawn. */
export interface MapLayerGroup {
  layers: readonly (Layer | null | false | undefined)[];
  /** Written after each frame deck.gl draws with these layers; a function is read after every frame (a counter, a placement). */
  marks?: MapMarks | (() => MapMarks);
}

/** An entry of the map's layer list: a layer, a group, or nothing (a feature that is off). */
export type MapLayerEntry = Layer | MapLayerGroup | null | false | undefined;

const isGroup = (entry: Layer | MapLayerGroup): entry is MapLayerGroup => 'layers' in entry && Array.isArray(entry.layers);

/** The deck.gl layers of `entries`, bottom to top. */
export function layersOf(entries: readonly MapLayerEntry[]): Layer[] {
  const out: Layer[] = [];
  for (const entry of entries) {
    if (!entry) continue;
    if (isGroup(entry)) {
      for (const layer of entry.layers) if (layer) out.push(layer);
    } else out.push(entry);
  }
  return out;
}

/** The marks of `entries`, functions read now; a later entry wins on the same attribute. */
export function marksOf(entries: readonly MapLayerEntry[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const entry of entries) {
    if (!entry || !isGroup(entry) || !entry.marks) continue;
    const marks = typeof entry.marks === 'function' ? entry.marks() : entry.marks;
    for (const [name, value] of Object.entries(marks)) out.set(name, value);
  }
  return out;
}

/**
 * Brings an element's marks from `written` (what this code wrote last) to `wanted`: changed ones
 * set, ones no longer wanted (or `null`) removed, the rest untouched. Returns what is now written.
 */
export function applyMarks(element: Pick<Element, 'setAttribute' | 'removeAttribute'>, written: ReadonlyMap<string, string>, wanted: ReadonlyMap<string, string | null>): Map<string, string> {
  const now = new Map<string, string>();
  for (const [name, value] of wanted) {
    if (value === null) continue;
    now.set(name, value);
    if (written.get(name) !== value) element.setAttribute(name, value);
  }
  for (const name of written.keys()) if (!now.has(name)) element.removeAttribute(name);
  return now;
}
