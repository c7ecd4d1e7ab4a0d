import { describe, expect, it } from 'vitest';
import { parseWallParams } from './wall-params.ts';
import { CITY, nextStop, tourStops } from './rotation.ts';
import type { RegionRisk } from '#contract/index.ts';

describe('parseWallParams', () => {
  it('defaults to risk, incidents and units with a 30 s tour', () => {
    const p = parseWallParams('');
    expect([...p.layers].sort()).toEqual(['incidents', 'risk', 'units']);
    expect(p.rotateS).toBe(30);
  });
  it('reads layers and rotate, ignoring unknown names', () => {
    const p = parseWallParams('?layers=risk,equity,bogus&rotate=12&lang=en');
    expect([...p.layers].sort()).toEqual(['equity', 'risk']);
    expect(p.rotateS).toBe(12);
  });
  it('rotate=0 stops the tour; nonsense keeps the default; tiny values are raised to 5 s', () => {
    expect(parseWallParams('?rotate=0').rotateS).toBe(0);
    expect(parseWallParams('?rotate=abc').rotateS).toBe(30);
    expect(parseWallParams('?rotate=-3').rotateS).toBe(30);
    expect(parseWallParams('?rotate=1').rotateS).toBe(5);
  });
});

const rating = (code: string, level: RegionRisk['level'], score: number) => ({ code, level, score }) as RegionRisk;

describe('the tour', () => {
  const ratings = [rating('A', 'orange', 7), rating('B', 'red', 11), rating('C', 'green', 0), rating('D', 'red', 25), rating('E', 'orange', 9)];

  it('visits red districts first, then orange, worst score first', () => {
    expect(tourStops(ratings)).toEqual(['D', 'B', 'E', 'A']);
  });

  it('goes through the round, then back to the whole city, then starts again', () => {
    const stops = tourStops(ratings);
    const seen: (string | null)[] = [];
    let stop = CITY;
    for (let i = 0; i < 6; i++) {
      stop = nextStop(stop, stops);
      seen.push(stop.code);
    }
    expect(seen).toEqual(['D', 'B', 'E', 'A', null, 'D']);
  });

  it('skips a district that cooled down mid-round and stays on the city when nothing is hot', () => {
    let stop = nextStop(CITY, ['D', 'B', 'E']);
    stop = nextStop(stop, ['D', 'E']);
    expect(stop.code).toBe('E');
    expect(nextStop(CITY, []).code).toBeNull();
  });
});

describe('formatIndex', () => {
  it('shows two decimals and never "-0.00" for a rounding error below zero', async () => {
    const { formatIndex } = await import('./format.ts');
    expect(formatIndex(-1e-17, 'en')).toBe('0.00');
    expect(formatIndex(0.4567, 'zh-CN')).toBe('0.46');
  });
});
