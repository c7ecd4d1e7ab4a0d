import { describe, expect, it } from 'vitest';
import type { Unit } from '#contract/index.ts';
import type { UnitDot, UnitSnapshot } from '../../session/unit-store.ts';
import { createUnitLayers, kindLetter } from './unit-layer.ts';

const unit = (id: string, kind: string, status: Unit['status']): Unit => ({
  id, callSign: id, kind, agency: null, stationId: null, serves: [], status, statusSince: '', updatedAt: '', seq: 1,
});
const units: UnitDot[] = [
  { unit: unit('e1', 'fire_engine', 'on_scene'), position: { lon: 120.1, lat: 30.2, atMs: 1 } },
  { unit: unit('x1', 'drone', 'available'), position: null },
];
const snapshot: UnitSnapshot = { units, registerVersion: 3, positionVersion: 7, loaded: true };

type Accessor<T> = (d: UnitDot) => T;
describe('the units layer', () => {
  const [dots, letters] = createUnitLayers(snapshot);

  it('keeps the store\'s array as data and ties recomputation to the versions', () => {
    expect(dots!.props.data).toBe(units);
    expect(letters!.props.data).toBe(units);
    expect(dots!.props.updateTriggers).toEqual({ getPosition: 7, getFillColor: [3, 7] });
  });

  it('colours by status, letters by kind, and hides a unit with no position yet', () => {
    const fill = (dots!.props as unknown as { getFillColor: Accessor<number[]> }).getFillColor;
    const text = (letters!.props as unknown as { getText: Accessor<string> }).getText;
    // on_scene is amber (243, 156, 18); the unit without a position is fully transparent.
    expect(fill(units[0]!)).toEqual([243, 156, 18, 240]);
    expect(fill(units[1]!)).toEqual([0, 0, 0, 0]);
    expect(text(units[0]!)).toBe('F');
    expect(text(units[1]!)).toBe('');
    expect(kindLetter('drone')).toBe('•');
  });
});
