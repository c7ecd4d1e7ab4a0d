import { describe, expect, it } from 'vitest';
import type { Layer } from '@deck.gl/core';
import type { RegionCollection, RiskLevel } from '#contract/index.ts';
import { hexToRgb } from '../risk-colours.ts';
import { drawnLevelsKey, pulseFrame, riskFillColour, RiskLayer, riskMapLayers, type RiskLayerProps } from './risk-layer.ts';

describe('riskFillColour', () => {
  // The contract's colours, converted by hand: D7 = 215, 26 = 38, 3D = 61, …
  it.each([
    ['red', [215, 38, 61, 255]],
    ['orange', [244, 96, 54, 255]],
    ['yellow', [242, 193, 78, 255]],
    ['blue', [46, 134, 171, 255]],
    ['green', [59, 178, 115, 255]],
  ] as const)('draws %s opaque in its contract colour', (level, rgba) => {
    expect(riskFillColour(level)).toEqual(rgba);
  });

  it('draws nothing for a region without a rating, so the basemap shows through', () => {
    expect(riskFillColour(undefined)).toEqual([0, 0, 0, 0]);
  });
});

describe('hexToRgb', () => {
  it('reads #RRGGBB in either case and refuses anything else', () => {
    expect(hexToRgb('#6cb4e4')).toEqual([108, 180, 228]);
    expect(hexToRgb('#0A1220')).toEqual([10, 18, 32]);
    expect(() => hexToRgb('red')).toThrow(/#RRGGBB/);
  });
});

const square = (code: string, west: number): RegionCollection['features'][number] => ({
  type: 'Feature',
  id: code,
  properties: { code, name: code, population: 1000 } as RegionCollection['features'][number]['properties'],
  geometry: { type: 'Polygon', coordinates: [[[west, 0], [west + 1, 0], [west + 1, 1], [west, 1], [west, 0]]] },
});
const regions: RegionCollection = { type: 'FeatureCollection', features: [square('A', 0), square('B', 1), square('C', 2)] };
const levels = (entries: [string, RiskLevel][]) => new Map(entries);

describe('drawnLevelsKey (the fill colours’ update trigger and the map’s record)', () => {
  it('holds the levels of the regions on the map only, in the regions’ order', () => {
    expect(drawnLevelsKey(regions, levels([['C', 'red'], ['Z', 'blue'], ['A', 'green']]))).toBe('{"A":"green","C":"red"}');
  });

  it('stays the same when only a region off the map changes level', () => {
    const before = drawnLevelsKey(regions, levels([['A', 'green'], ['Z', 'blue']]));
    expect(drawnLevelsKey(regions, levels([['A', 'green'], ['Z', 'red']]))).toBe(before);
    expect(drawnLevelsKey(regions, levels([['A', 'yellow'], ['Z', 'red']]))).not.toBe(before);
  });
});

describe('pulseFrame', () => {
  it('gives each district changed within the last 3 s its beat’s strength', () => {
    // 1 s after a change: a full beat faded by a third, 2/3 (as district-pulse.test.ts works out).
    const frame = pulseFrame(regions, new Map([['B', 10_000], ['A', 5_000]]), 11_000);
    expect(frame.codes).toBe('B');
    expect(frame.features.map((f) => f.properties.code)).toEqual(['B']);
    expect(frame.strengths.get('B')).toBeCloseTo(2 / 3, 10);
    expect(frame.atMs).toBe(11_000);
  });

  it('keeps its features while the same districts pulse, so only colours are read again', () => {
    const changedAt = new Map([['A', 10_000], ['C', 10_200]]);
    const first = pulseFrame(regions, changedAt, 10_500);
    const next = pulseFrame(regions, changedAt, 10_516, first);
    expect(next.codes).toBe('A,C');
    expect(next.features).toBe(first.features);
    const fewer = pulseFrame(regions, changedAt, 13_100, next);
    expect(fewer.codes).toBe('C');
    expect(fewer.features).not.toBe(next.features);
    expect(pulseFrame(regions, changedAt, 13_300, fewer).codes).toBe('');
  });
});

type UpdateParams = Parameters<RiskLayer['updateState']>[0];

/**
 * Runs the layer's own lifecycle methods as deck.gl's layer manager does on a match (the state
 * moves to the new instance, then `updateState`, then `renderLayers`), without a GPU: what the
 * sub-layers are asked to draw is checked here; that deck.gl then re-reads only the attributes
 * whose trigger changed is deck.gl's part and needs a browser.
 */
class Lifecycle {
  layer: RiskLayer | null = null;

  update(props: RiskLayerProps): Layer[] {
    const next = new RiskLayer(props);
    const previous = this.layer;
    if (previous) next.state = previous.state;
    else next.initializeState();
    const dataChanged = !previous || previous.props.data !== next.props.data;
    next.updateState({ props: next.props, oldProps: previous?.props ?? {}, changeFlags: { dataChanged, propsChanged: true, somethingChanged: true } } as unknown as UpdateParams);
    this.layer = next;
    return next.renderLayers();
  }
}

const sub = (layers: Layer[], id: string) => {
  const layer = layers.find((l) => l.id === id);
  if (!layer) throw new Error(`no sub-layer ${id} among ${layers.map((l) => l.id).join(', ')}`);
  return layer.props as unknown as Record<string, unknown> & { updateTriggers: Record<string, unknown>; data: unknown };
};

describe('RiskLayer', () => {
  it('documents its defaults: filled, no levels, no focus, no pulses, not pickable', () => {
    const layer = new RiskLayer({ id: 'risk', data: regions });
    expect(layer.props.filled).toBe(true);
    expect(layer.props.levels.size).toBe(0);
    expect(layer.props.focusedCode).toBeNull();
    expect(layer.props.changedAt.size).toBe(0);
    const layers = new Lifecycle().update({ id: 'risk', data: regions });
    expect(layers.map((l) => l.id)).toEqual(['risk-fill', 'risk-focus', 'risk-pulse']);
    expect(sub(layers, 'risk-fill').pickable).toBe(false);
  });

  it('colours the fill by level and re-reads the colours only when the drawn levels change', () => {
    const life = new Lifecycle();
    const first = sub(life.update({ id: 'risk', data: regions, levels: levels([['A', 'red']]) }), 'risk-fill');
    const getFillColor = first.getFillColor as (f: RegionCollection['features'][number]) => number[];
    expect(getFillColor(regions.features[0]!)).toEqual([215, 38, 61, 255]);
    expect(getFillColor(regions.features[1]!)).toEqual([0, 0, 0, 0]);
    // A new map with the same levels, and a level of a region not on the map: same trigger.
    const same = sub(life.update({ id: 'risk', data: regions, levels: levels([['A', 'red'], ['Z', 'blue']]) }), 'risk-fill');
    expect(same.updateTriggers.getFillColor).toBe(first.updateTriggers.getFillColor);
    expect(same.data).toBe(first.data);
    const changed = sub(life.update({ id: 'risk', data: regions, levels: levels([['A', 'orange']]) }), 'risk-fill');
    expect(changed.updateTriggers.getFillColor).not.toBe(first.updateTriggers.getFillColor);
    expect(changed.data).toBe(regions);
  });

  it('outlines the focused district and steps its fill aside without hiding focus or pulse', () => {
    const life = new Lifecycle();
    const layers = life.update({ id: 'risk', data: regions, focusedCode: 'B', filled: false, onDistrictClick: () => {} });
    expect((sub(layers, 'risk-focus').data as { properties: { code: string } }[]).map((f) => f.properties.code)).toEqual(['B']);
    expect(sub(layers, 'risk-fill').visible).toBe(false);
    expect(sub(layers, 'risk-fill').pickable).toBe(true);
    expect(sub(layers, 'risk-focus').visible).toBe(true);
    expect(sub(layers, 'risk-pulse').visible).toBe(true);
    expect(sub(life.update({ id: 'risk', data: regions, focusedCode: 'Z' }), 'risk-focus').data).toEqual([]);
  });

  it('pulses on its own clock: a later update re-reads the pulse at the new time, on the same features', () => {
    let nowMs = 10_500;
    const life = new Lifecycle();
    const changedAt = new Map([['C', 10_000]]);
    const props = { id: 'risk', data: regions, changedAt, now: () => nowMs };
    const first = sub(life.update(props), 'risk-pulse');
    nowMs = 11_000;
    const next = sub(life.update(props), 'risk-pulse');
    expect(next.data).toBe(first.data);
    expect(next.updateTriggers.getLineWidth).toBe(11_000);
    expect(first.updateTriggers.getLineWidth).toBe(10_500);
    // 1 s in: strength 2/3, so the line is 2 + 6 × 2/3 = 6 px wide.
    const width = next.getLineWidth as (f: RegionCollection['features'][number]) => number;
    expect(width(regions.features[2]!)).toBeCloseTo(6, 10);
    expect(life.layer?.pulsingCodes).toBe('C');
    // Past the 3 s: one more frame without the pulse, then later updates leave its colours alone.
    nowMs = 13_500;
    const over = sub(life.update(props), 'risk-pulse');
    expect(over.data).toEqual([]);
    expect(over.updateTriggers.getLineWidth).toBe(13_500);
    nowMs = 20_000;
    expect(sub(life.update(props), 'risk-pulse').updateTriggers.getLineWidth).toBe(13_500);
    expect(life.layer?.pulsingCodes).toBe('');
  });

  it('records what it drew: time shown, levels of the regions on the map and pulsing districts', () => {
    const group = riskMapLayers({ data: regions, levels: levels([['B', 'blue'], ['Q', 'red']]), atIso: null, changedAt: new Map([['A', 0]]), now: () => 1_000 });
    const marks = typeof group.marks === 'function' ? group.marks() : group.marks;
    expect(marks).toEqual({ 'data-risk-at': 'live', 'data-risk-levels': '{"B":"blue"}', 'data-risk-pulsing': 'A' });
  });
});
