import { describe, expect, it } from 'vitest';
import { ScatterplotLayer } from '@deck.gl/layers';
import { applyMarks, layersOf, marksOf, type MapLayerEntry } from './map-layers.ts';

const layer = (id: string) => new ScatterplotLayer({ id, data: [] });

/** An element that keeps its attributes in a map and logs every write. */
class FakeElement {
  readonly attributes = new Map<string, string>();
  readonly writes: string[] = [];
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
    this.writes.push(`set ${name}=${value}`);
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
    this.writes.push(`remove ${name}`);
  }
}

describe('layersOf', () => {
  it('lists layers and groups bottom to top, skipping entries and layers that are off', () => {
    const entries: MapLayerEntry[] = [layer('a'), null, { layers: [layer('b'), false, layer('c')] }, undefined, false, layer('d')];
    expect(layersOf(entries).map((l) => l.id)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('marksOf', () => {
  it('reads functions now, and a later group wins on the same attribute', () => {
    let count = 1;
    const entries: MapLayerEntry[] = [
      { layers: [], marks: { 'data-x': 'first', 'data-y': 'y' } },
      layer('plain'),
      { layers: [], marks: () => ({ 'data-x': `second-${count}` }) },
    ];
    expect(Object.fromEntries(marksOf(entries))).toEqual({ 'data-x': 'second-1', 'data-y': 'y' });
    count = 2;
    expect(marksOf(entries).get('data-x')).toBe('second-2');
  });
});

describe('applyMarks', () => {
  it('writes only what changed and removes marks no longer wanted', () => {
    const element = new FakeElement();
    let written = applyMarks(element, new Map(), new Map([['data-a', '1'], ['data-b', '2'], ['data-c', null]]));
    expect(element.writes).toEqual(['set data-a=1', 'set data-b=2']);
    element.writes.length = 0;
    written = applyMarks(element, written, new Map([['data-a', '1'], ['data-b', '3']]));
    expect(element.writes).toEqual(['set data-b=3']);
    element.writes.length = 0;
    // The group that wrote data-b is gone, and data-a is now asked to be off.
    written = applyMarks(element, written, new Map([['data-a', null]]));
    expect(element.writes.sort()).toEqual(['remove data-a', 'remove data-b']);
    expect([...element.attributes]).toEqual([]);
    expect([...written]).toEqual([]);
  });
});
