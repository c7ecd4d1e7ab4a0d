/**
 * The browser half of the `client-update` bench: two deck.gl canvases drawing the same seeded
 * synthetic incidents with the map's own layer factory (`createIncidentLayers`) over the map's own
 * rows (`IncidentRows`). Both get the same batches of new incidents; "ours" hands deck.gl the rows
 * that changed (`_dataDiff`), the baseline tells deck.gl that everything changed, which is what a
 * client that replaces the layer's data pays. Each update is timed on the main thread from the
 * batch's arrival to the end of the frame that draws it, done synchronously (see `BenchDeck`).
 */
import { Deck } from '@deck.gl/core';
import type { Incident } from '../../../server/contract/index.ts';
import { mulberry32 } from '../../../server/demo/random.ts';
import { createIncidentLayers } from '../../../client/src/map/layers/incident-layer.ts';
import { IncidentRows, type IncidentRowsSnapshot } from '../../../client/src/map/layers/incident-rows.ts';
import { syntheticIncidents } from '../synthetic-incidents.ts';

/**
 * deck.gl takes new layers in its next animation frame (`updateLayers`, then `redraw`). The bench
 * does that frame's work at once, so the time of one update is measured in one synchronous task.
 */
class BenchDeck extends Deck {
  updateAndDraw(): void {
    this.layerManager?.updateLayers();
    this.redraw('bench');
  }
}

interface Side {
  deck: BenchDeck;
  rows: IncidentRows;
  counter: { rowsEvaluated: number };
  total: number;
  /** The baseline's wrapper: every view claims it cannot say what changed. */
  wrap: (snapshot: IncidentRowsSnapshot) => IncidentRowsSnapshot;
}

export interface UpdateTiming {
  ms: number;
  rowsEvaluated: number;
}

const VIEW_STATE = { longitude: 120.2, latitude: 30.25, zoom: 9.5, pitch: 0, bearing: 0 };

function asIncidents(count: number, seed: number, idPrefix: string): Incident[] {
  return syntheticIncidents(mulberry32(seed), count).map(({ lon: _lon, lat: _lat, ...row }, i) => ({ ...row, id: `${idPrefix}-${i}`, seq: i + 1 }));
}

const identity = (s: IncidentRowsSnapshot) => s;
const replaced = (s: IncidentRowsSnapshot): IncidentRowsSnapshot => ({
  version: s.version,
  views: s.views.map((v) => ({ ...v, changesSince: () => null })),
});

function openDeck(parent: HTMLDivElement): Promise<BenchDeck> {
  return new Promise((resolve, reject) => {
    const deck: BenchDeck = new BenchDeck({
      parent,
      width: 1280,
      height: 720,
      initialViewState: VIEW_STATE,
      controller: false,
      layers: [],
      onLoad: () => resolve(deck),
      onError: (error) => reject(error),
    });
  });
}

function draw(side: Side): void {
  side.deck.setProps({ layers: createIncidentLayers(side.wrap(side.rows.getSnapshot()), side.total, { counter: side.counter, pickable: false }) });
  side.deck.updateAndDraw();
}

const sides = new Map<string, Side>();
let batchNumber = 0;

/** Loads `count` incidents into both canvases and draws them once (also compiles the shaders). */
async function setup(count: number, seed: number): Promise<void> {
  const base = asIncidents(count, seed, 'base');
  for (const [name, wrap] of [['ours', identity], ['baseline', replaced]] as const) {
    const deck = await openDeck(document.getElementById(name) as HTMLDivElement);
    const side: Side = { deck, rows: new IncidentRows(), counter: { rowsEvaluated: 0 }, total: count, wrap };
    side.rows.apply({ reset: true, changed: base });
    draw(side);
    sides.set(name, side);
  }
}

/** One batch of `size` new incidents, the same for both sides; returns the main-thread time. */
function update(name: 'ours' | 'baseline', size: number, seed: number): UpdateTiming {
  const side = sides.get(name);
  if (!side) throw new Error(`setup first: no side ${name}`);
  const batch = asIncidents(size, seed, `batch-${seed}`);
  batchNumber++;
  const before = side.counter.rowsEvaluated;
  const start = performance.now();
  side.rows.apply({ reset: false, changed: batch });
  side.total += size;
  draw(side);
  const ms = performance.now() - start;
  return { ms, rowsEvaluated: side.counter.rowsEvaluated - before };
}

/** Where each side's incidents ended up, to check both drew the same rows. */
function rowCounts(name: string): number[] {
  const side = sides.get(name);
  return side ? side.rows.getSnapshot().views.map((v) => v.rows.filter(Boolean).length) : [];
}

declare global {
  interface Window {
    bench: { setup: typeof setup; update: typeof update; rowCounts: typeof rowCounts; batches: () => number };
  }
}
window.bench = { setup, update, rowCounts, batches: () => batchNumber };
